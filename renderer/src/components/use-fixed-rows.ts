import { type RefObject, useCallback, useLayoutEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';

/** The rows on screen and how to move among them: what the log viewer and the task table ask of a virtualizer. */
export interface RowWindow {
  getVirtualItems(): ReadonlyArray<{ index: number; start: number }>;
  getTotalSize(): number;
  scrollToIndex(index: number, options?: { align?: 'start' | 'center' | 'end' }): void;
}

/**
 * Rows of one height in a scroll box: which are on screen is arithmetic, whatever their number.
 * TanStack's virtualizer measures every row again whenever the count changes: a followed log holds up
 * to 200,000 lines and grows thirty times a second, and that loop was most of the page's own work in
 * bench:logs (503 ms of the 2.8 s it was busy, its long tasks up to 131 ms); the task table's 10,000
 * rows change count with every task added. Rows of heights of their own (wrapped log lines) keep
 * TanStack's virtualizer.
 */
export function useFixedRows({
  count,
  rowHeight,
  overscan,
  scroller,
  enabled,
}: {
  count: number;
  rowHeight: number;
  /** Rows rendered beyond each edge of the screen. */
  overscan: number;
  scroller: RefObject<HTMLElement | null>;
  enabled: boolean;
}): RowWindow {
  const [viewport, setViewport] = useState({ top: 0, height: 0 });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!enabled || !el) return;
    const read = () => setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    // Rendered before the frame that shows the new scroll position, as TanStack's virtualizer does, so that
    // no frame shows the box scrolled past the rows rendered.
    const onScroll = () => flushSync(read);
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [enabled, scroller]);

  // The same function while the row height is: callers' effects depend on it, not on every scroll.
  const scrollToIndex = useCallback<RowWindow['scrollToIndex']>(
    // The box is read when called, never while rendering: the ref itself is the dependency.
    // eslint-disable-next-line react-hooks/preserve-manual-memoization
    (index, options) => {
      if (scroller.current) scrollRowTo(scroller.current, index * rowHeight, rowHeight, options?.align ?? 'start');
    },
    [rowHeight, scroller],
  );

  return useMemo(() => {
    const items = enabled ? rowsOnScreen(viewport, count, rowHeight, overscan) : [];
    return { getVirtualItems: () => items, getTotalSize: () => count * rowHeight, scrollToIndex };
  }, [enabled, count, rowHeight, overscan, viewport, scrollToIndex]);
}

/** Scrolls `box` so that the row starting at `start` is at its top, centre or bottom. */
function scrollRowTo(box: HTMLElement, start: number, rowHeight: number, align: 'start' | 'center' | 'end'): void {
  const offset = align === 'center' ? (box.clientHeight - rowHeight) / 2 : align === 'end' ? box.clientHeight - rowHeight : 0;
  box.scrollTop = Math.max(0, start - offset);
}

/** The rows a box scrolled to `top`, `height` tall, shows, with `overscan` more beyond each edge. */
export function rowsOnScreen({ top, height }: { top: number; height: number }, count: number, rowHeight: number, overscan: number): Array<{ index: number; start: number }> {
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  const items: Array<{ index: number; start: number }> = [];
  for (let index = first; index < end; index += 1) items.push({ index, start: index * rowHeight });
  return items;
}
