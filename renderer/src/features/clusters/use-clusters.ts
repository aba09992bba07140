import type { ClusterSummary } from '@shared/cluster/status';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useClient } from '../../api/client-context';
import { useDockerStatus } from '../docker/use-docker-status';

export const CLUSTERS_KEY = ['clusters'] as const;

/**
 * All clusters: listed once, then replaced whenever the host pushes a change (useLiveFeeds). A list
 * that failed (Docker away) is asked again when Docker answers.
 */
export function useClusters() {
  const client = useClient();
  const query = useQuery({ queryKey: CLUSTERS_KEY, queryFn: () => client.call('clusters.list', {}) });
  const dockerUp = useDockerStatus().data?.reachable === true;
  const { refetch, isError } = query;
  useEffect(() => {
    if (dockerUp && isError) void refetch();
  }, [dockerUp, isError, refetch]);
  return query;
}

export function useCluster(name: string | null): ClusterSummary | undefined {
  const { data } = useClusters();
  return data?.find((c) => c.name === name);
}

/** A one-line state of the whole cluster, for lists and headers. */
export function clusterState(cluster: ClusterSummary): { label: string; color: 'green' | 'amber' | 'red' | 'gray' } {
  const running = cluster.nodes.filter((n) => n.state === 'running').length;
  if (cluster.completeness === 'partial') return { label: 'Partial', color: 'amber' };
  if (running === cluster.nodes.length) return { label: 'Running', color: 'green' };
  if (running === 0) return { label: 'Stopped', color: 'gray' };
  return { label: `${running} of ${cluster.nodes.length} running`, color: 'amber' };
}
