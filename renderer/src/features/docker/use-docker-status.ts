import type { DockerStatus } from '@shared/docker';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

export const DOCKER_STATUS_KEY = ['docker.status'] as const;

/** The Docker status: the first answer from a call, then every change pushed by the host (useLiveFeeds). */
export function useDockerStatus() {
  const client = useClient();
  return useQuery({ queryKey: DOCKER_STATUS_KEY, queryFn: () => client.call('docker.status', {}) });
}

/** "Check now": probe at once instead of waiting for the next retry. */
export function useCheckDockerNow() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.call('docker.status', {}),
    onSuccess: (status) => queryClient.setQueryData<DockerStatus>(DOCKER_STATUS_KEY, status),
  });
}
