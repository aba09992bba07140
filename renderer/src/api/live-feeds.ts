import type { ClusterSummary } from '@shared/cluster/status';
import type { DockerStatus } from '@shared/docker';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AttachedCluster } from '@shared/attach/connection';
import { ATTACHED_KEY } from '../features/attach/use-attached';
import { CLUSTERS_KEY } from '../features/clusters/use-clusters';
import { DOCKER_STATUS_KEY } from '../features/docker/use-docker-status';
import { useClient } from './client-context';

/**
 * Mounted once, at the app's root: the host's pushed data goes into the query cache, and every
 * component reads it from there. One subscription per feed, however many components show it.
 */
export function useLiveFeeds(): void {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const stops = [
      client.subscribe('docker.statusChanged', {}, (status) => queryClient.setQueryData<DockerStatus>(DOCKER_STATUS_KEY, status)),
      client.subscribe('clusters.changed', {}, (clusters) => queryClient.setQueryData<ClusterSummary[]>(CLUSTERS_KEY, clusters)),
      client.subscribe('attach.changed', {}, (attached) => queryClient.setQueryData<AttachedCluster[]>(ATTACHED_KEY, attached)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, queryClient]);
}
