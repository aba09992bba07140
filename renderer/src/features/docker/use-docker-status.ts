import type { DockerStatus } from '@shared/docker';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useClient } from '../../api/client-context';

const KEY = ['docker.status'] as const;

/** The Docker status, kept live: the first answer from a call, then every change the host pushes. */
export function useDockerStatus() {
  const client = useClient();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: KEY, queryFn: () => client.call('docker.status', {}) });

  useEffect(
    () =>
      client.subscribe('docker.statusChanged', {}, (status) => {
        queryClient.setQueryData<DockerStatus>(KEY, status);
      }),
    [client, queryClient],
  );
  return query;
}

/** "Check now": probe at once instead of waiting for the next retry. */
export function useCheckDockerNow() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.call('docker.status', {}),
    onSuccess: (status) => queryClient.setQueryData<DockerStatus>(KEY, status),
  });
}
