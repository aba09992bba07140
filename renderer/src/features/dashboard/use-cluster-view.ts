import { applyDeltas } from '@shared/dashboard/apply';
import type { Delta } from '@shared/dashboard/deltas';
import type { ClusterView } from '@shared/dashboard/view';
import { useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';

/**
 * How long batches gather before they are folded into the view: about a frame when the stream is
 * quiet; while it is busy (more than BUSY_DELTAS_PER_S at the last fold) longer, so that the table is
 * filtered, sorted and rendered ten times a second rather than with every batch (bench:events: at
 * 1,000 updates a second that work, not the updates, was what the page could not keep up with).
 */
const FOLD_MS = 16;
const BUSY_FOLD_MS = 100;
const BUSY_DELTAS_PER_S = 300;

/**
 * A cluster's live Mesos view, pushed by the host (`dashboard.deltas`) and folded here. A gap in the
 * batches' sequence means one was missed: subscribing again brings a fresh snapshot.
 */
export function useClusterView(cluster: string, { offers = false }: { offers?: boolean } = {}): ClusterView | null {
  const client = useClient();
  const [view, setView] = useState<ClusterView | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let lastSeq: number | null = null;
    // Batches that came since the last fold: folded together once per frame, so a page that falls
    // behind a busy stream (1,000 updates a second, bench:events) catches up in one step, not one per batch.
    let pending: Delta[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFold = 0;
    let busy = false;
    const fold = () => {
      timer = undefined;
      const now = Date.now();
      busy = (pending.length * 1000) / Math.max(now - lastFold, 1) > BUSY_DELTAS_PER_S;
      lastFold = now;
      const deltas = pending;
      pending = [];
      // Not a transition: under a busy stream a new fold arrived before a transition's render finished
      // and restarted it, so the table could go seconds without a commit (bench:events). A fold is
      // bounded work (the table renders only its visible rows), done at most ten times a second.
      setView((current) => applyDeltas(current, deltas));
    };
    const unsubscribe = client.subscribe(
      'dashboard.deltas',
      { cluster, offers },
      (batch) => {
        const startsFresh = batch.deltas[0]?.kind === 'snapshot';
        if (!startsFresh && lastSeq !== null && batch.seq !== lastSeq + 1) {
          setGeneration((g) => g + 1);
          return;
        }
        lastSeq = batch.seq;
        if (startsFresh) pending = [];
        pending.push(...batch.deltas);
        timer ??= setTimeout(fold, busy ? BUSY_FOLD_MS : FOLD_MS);
      },
      () => setView(null),
    );
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [client, cluster, offers, generation]);

  return view;
}
