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
  /** Epoch ms, comparable with Mesos status timestamps (same host clock). */
  at: number;
}

const enabled = typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('paint-probe');
const records: PaintRecord[] = [];
if (enabled) (window as unknown as { __mesoscopePaints: PaintRecord[] }).__mesoscopePaints = records;

export function usePaintProbe(task: string, state: string, statusAt: number | undefined): void {
  useLayoutEffect(() => {
    if (!enabled) return;
    // The DOM is committed; the next animation frame paints it. A message posted from inside that
    // frame's callback runs right after the frame, which is as close to "painted" as a page can see.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => records.push({ task, state, statusAt, at: performance.timeOrigin + performance.now() });
      channel.port2.postMessage(null);
    });
  }, [task, state, statusAt]);
}
