import type { LaunchProgress } from '@shared/cluster/status';
import { useEffect } from 'react';
import { create } from 'zustand';
import { useClient } from '../../api/client-context';

interface LaunchState {
  /** The latest progress of each node, per cluster being launched. */
  byCluster: Record<string, Record<string, LaunchProgress>>;
  record(progress: LaunchProgress): void;
  clear(cluster: string): void;
}

export const useLaunchStore = create<LaunchState>()((set) => ({
  byCluster: {},
  record: (p) =>
    set((s) => {
      const nodes = { ...s.byCluster[p.cluster], [p.node ?? '']: p };
      return { byCluster: { ...s.byCluster, [p.cluster]: nodes } };
    }),
  clear: (cluster) =>
    set((s) => {
      const { [cluster]: _gone, ...rest } = s.byCluster;
      return { byCluster: rest };
    }),
}));

/** Mounted once: feeds every launch's progress from the host into the store. */
export function useLaunchProgressFeed(): void {
  const client = useClient();
  const record = useLaunchStore((s) => s.record);
  useEffect(() => client.subscribe('clusters.launchProgress', {}, record), [client, record]);
}
