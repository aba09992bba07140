import type { ClusterView } from '@shared/dashboard/view';
import { startTransition, useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';
import { LiveViewFolder } from './live-view';
import { probeArrivals } from './paint-probe';

/**
 * A cluster's live Mesos view, pushed by the host (`dashboard.deltas`) and folded here. A gap in the
 * batches' sequence means one was missed: subscribing again brings a fresh snapshot. `offers`: the
 * host polls the outstanding offers meanwhile (a subscription of its own, so that turning it on and off
 * does not subscribe the view again: that would send the whole view, 10,000 tasks, again).
 */
export function useClusterView(cluster: string, { offers = false }: { offers?: boolean } = {}): ClusterView | null {
  const client = useClient();
  const [view, setView] = useState<ClusterView | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let lastSeq: number | null = null;
    // Folded here, outside React's updaters (which may run twice): the folder changes its tasks in place.
    // Each batch at once: the host sends at most one a frame (ten a second while busy, SubscriberFeed).
    // Rendered as a transition: React renders a new view in slices between frames and gives way to the
    // user (a click, a scroll) meanwhile; a view that comes while the last one renders replaces it.
    // Rendered urgently, each batch of a busy cluster was a frame of 30 ms or more (bench:events).
    const folder = new LiveViewFolder();
    const unsubscribe = client.subscribe(
      'dashboard.deltas',
      { cluster },
      (batch) => {
        const startsFresh = batch.deltas[0]?.kind === 'snapshot';
        if (!startsFresh && lastSeq !== null && batch.seq !== lastSeq + 1) {
          setGeneration((g) => g + 1);
          return;
        }
        lastSeq = batch.seq;
        probeArrivals(batch.deltas);
        const next = folder.fold(batch.deltas);
        startTransition(() => setView(next));
      },
      () => setView(null),
    );
    return unsubscribe;
  }, [client, cluster, generation]);

  useEffect(() => {
    if (!offers) return;
    // Nothing to do with its one event: the offers come in the view's batches.
    return client.subscribe('dashboard.watchOffers', { cluster }, () => undefined);
  }, [client, cluster, offers]);

  return view;
}
