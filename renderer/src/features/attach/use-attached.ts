import type { AttachedCluster } from '@shared/attach/connection';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

export const ATTACHED_KEY = ['attached'] as const;

/** Clusters Mesoscope did not start: listed once, then replaced on every change the host pushes (useLiveFeeds). */
export function useAttached() {
  const client = useClient();
  return useQuery({ queryKey: ATTACHED_KEY, queryFn: () => client.call('attach.list', {}) });
}

export function useAttachedCluster(name: string | null): AttachedCluster | undefined {
  return useAttached().data?.find((c) => c.name === name);
}
