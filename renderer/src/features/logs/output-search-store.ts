import type { MesoscopeClient } from '@shared/api/client';
import type { OutputSearchParamsInput, OutputSearchView } from '@shared/search/schema';
import type { SearchScope } from '@shared/search/scope';
import { create } from 'zustand';

/**
 * The search of every task's output, per cluster: kept while the user opens a match in the viewer and
 * comes back. One search runs per cluster; a new one (or Cancel) unsubscribes the last, which stops
 * its reads on the host.
 */

export interface SearchState {
  params: OutputSearchParamsInput;
  /** What the user chose the search to cover (the params hold it resolved). */
  scope: SearchScope;
  view: OutputSearchView | null;
  running: boolean;
  error: string | null;
}

interface OutputSearchStore {
  byCluster: Record<string, SearchState>;
  start(client: MesoscopeClient, params: OutputSearchParamsInput, scope?: SearchScope): void;
  cancel(cluster: string): void;
}

const stops = new Map<string, () => void>();

export const useOutputSearch = create<OutputSearchStore>()((set) => {
  const patch = (cluster: string, p: Partial<SearchState>) =>
    set((s) => {
      const current = s.byCluster[cluster];
      return current ? { byCluster: { ...s.byCluster, [cluster]: { ...current, ...p } } } : s;
    });
  return {
    byCluster: {},
    start(client, params, scope = { kind: 'cluster' }) {
      const { cluster } = params;
      stops.get(cluster)?.();
      set((s) => ({ byCluster: { ...s.byCluster, [cluster]: { params, scope, view: null, running: true, error: null } } }));
      const stop = client.subscribe(
        'logs.searchAll',
        params,
        (view) => {
          patch(cluster, { view, running: !view.done });
          if (view.done) {
            stops.delete(cluster);
            stop();
          }
        },
        (err) => {
          stops.delete(cluster);
          patch(cluster, { running: false, error: err.message });
        },
      );
      stops.set(cluster, stop);
    },
    cancel(cluster) {
      stops.get(cluster)?.();
      stops.delete(cluster);
      patch(cluster, { running: false });
    },
  };
});
