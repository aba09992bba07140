import type { Delta } from '@shared/dashboard/deltas';
import { useLayoutEffect } from 'react';

/**
 * For `npm run bench:events` only, and only with `?paint-probe` in the page's URL: the time each task
 * row was painted in a state, kept in `window.__mesoscopePaints` for Playwright to read. Off, it costs
 * one boolean test per row render.
 */
export interface PaintRecord {
  task: string;
  state: string;
  /** The shown status' own timestamp (epoch ms), which tells one update of a task from the next. */
  statusAt?: number;
  /**
   * The row's place in the table. Sorted newest first, an update lands in the first rows; a row
   * further down shows an older update brought into view by scrolling, which is no measure of latency.
   */
  row: number;
  /** Epoch ms, comparable with Mesos status timestamps (same host clock). */
  at: number;
}

/** When a task's status reached the page (its batch arrived), to tell the host's part of the way from the page's. */
export type ArrivalRecord = Omit<PaintRecord, 'row' | 'state'>;

const enabled = typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('paint-probe');
const records: PaintRecord[] = [];
const arrivals: ArrivalRecord[] = [];
if (enabled) Object.assign(window, { __mesoscopePaints: records, __mesoscopeArrivals: arrivals });

/** Stamps each task status a batch brings with the time it arrived (with `?paint-probe` only). */
export function probeArrivals(deltas: readonly Delta[]): void {
  if (!enabled) return;
  const at = performance.timeOrigin + performance.now();
  for (const d of deltas) {
    if (d.kind === 'task') arrivals.push({ task: d.task.id, statusAt: d.task.statuses.at(-1)?.at, at });
    else if (d.kind === 'taskUpdate') arrivals.push({ task: d.task.id, statusAt: d.statuses.at(-1)?.at, at });
  }
}

/** Rows committed and waiting for a frame; then rows painted by a frame, waiting for the message after it. */
let committed: Array<Omit<PaintRecord, 'at'>> = [];
const painted: Array<Array<Omit<PaintRecord, 'at'>>> = [];
let channel: MessageChannel | undefined;

/** All rows of a frame stamped at once, after it: one frame callback and one message, not one per row. */
function stampAfterNextFrame(row: Omit<PaintRecord, 'at'>): void {
  committed.push(row);
  if (committed.length > 1) return;
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const at = performance.timeOrigin + performance.now();
      for (const r of painted.shift() ?? []) records.push({ ...r, at });
    };
  }
  const port = channel.port2;
  // The DOM is committed; the next animation frame paints it. A message posted from inside that
  // frame's callback runs right after the frame, which is as close to "painted" as a page can see.
  requestAnimationFrame(() => {
    painted.push(committed);
    committed = [];
    port.postMessage(null);
  });
}

export function usePaintProbe(task: string, state: string, statusAt: number | undefined, row: number): void {
  useLayoutEffect(() => {
    if (enabled) stampAfterNextFrame({ task, state, statusAt, row });
    // The row's place is recorded, not watched: the same update moving down a row is not painted anew.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [task, state, statusAt]);
}
