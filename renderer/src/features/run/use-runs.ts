import type { MesoscopeClient } from '@shared/api/client';
import { emptyRunsView, type RunsView } from '@shared/runs/schemas';
import { useCallback, useSyncExternalStore } from 'react';
import { useClient } from '../../api/client-context';

/**
 * The built-in framework's view of a cluster (`runs.view`), shared by every component that shows it
 * (run dialog, kill buttons, fault results): one subscription per cluster while any of them is mounted.
 */

interface Feed {
  view: RunsView;
  listeners: Set<() => void>;
  stop: () => void;
}

const feeds = new WeakMap<MesoscopeClient, Map<string, Feed>>();

function feedsOf(client: MesoscopeClient): Map<string, Feed> {
  let byCluster = feeds.get(client);
  if (!byCluster) {
    byCluster = new Map();
    feeds.set(client, byCluster);
  }
  return byCluster;
}

function subscribe(client: MesoscopeClient, cluster: string, listener: () => void): () => void {
  const byCluster = feedsOf(client);
  let feed = byCluster.get(cluster);
  if (!feed) {
    const created: Feed = { view: emptyRunsView(cluster), listeners: new Set(), stop: () => {} };
    created.stop = client.subscribe('runs.view', { cluster }, (view) => {
      created.view = view;
      created.listeners.forEach((l) => l());
    });
    byCluster.set(cluster, created);
    feed = created;
  }
  const held = feed;
  held.listeners.add(listener);
  return () => {
    held.listeners.delete(listener);
    if (held.listeners.size > 0) return;
    held.stop();
    if (byCluster.get(cluster) === held) byCluster.delete(cluster);
  };
}

export function useRuns(cluster: string): RunsView {
  const client = useClient();
  const sub = useCallback((listener: () => void) => subscribe(client, cluster, listener), [client, cluster]);
  const get = useCallback(() => feedsOf(client).get(cluster)?.view ?? EMPTY.get(cluster) ?? remember(cluster), [client, cluster]);
  return useSyncExternalStore(sub, get);
}

/** A stable empty view per cluster (useSyncExternalStore wants the same object until it changes). */
const EMPTY = new Map<string, RunsView>();
function remember(cluster: string): RunsView {
  const v = emptyRunsView(cluster);
  EMPTY.set(cluster, v);
  return v;
}

/** The ids of the built-in framework's subscriptions on the cluster. */
export const ownFrameworkIds = (runs: RunsView): Set<string> => new Set(runs.frameworks.flatMap((f) => (f.id ? [f.id] : [])));
