import { applyDeltas } from '@shared/dashboard/apply';
import type { ClusterView } from '@shared/dashboard/view';
import { startTransition, useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';

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
    return client.subscribe(
      'dashboard.deltas',
      { cluster, offers },
      (batch) => {
        const startsFresh = batch.deltas[0]?.kind === 'snapshot';
        if (!startsFresh && lastSeq !== null && batch.seq !== lastSeq + 1) {
          setGeneration((g) => g + 1);
          return;
        }
        lastSeq = batch.seq;
        // A transition: React renders what the batch changed in slices and yields to the browser between
        // them, so a busy stream (hundreds of updates a second) never holds a frame (bench:events).
        startTransition(() => setView((current) => applyDeltas(current, batch.deltas)));
      },
      () => setView(null),
    );
  }, [client, cluster, offers, generation]);

  return view;
}
