import { type Key, type RefObject, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

/** The rows on screen and how to move among them: what the log viewer and the task table ask of a virtualizer. */
export interface RowWindow {
  /** `key`: what React keys the row's element by. */
  getVirtualItems(): ReadonlyArray<{ index: number; start: number; key: Key }>;
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
  pinnedToEnd = false,
}: {
  count: number;
  rowHeight: number;
  /** Rows rendered beyond each edge of the screen. */
  overscan: number;
  scroller: RefObject<HTMLElement | null>;
  enabled: boolean;
  /**
   * The box is kept at its end as rows come (a followed log): while it is there, the rows are the last
   * ones, in the same render that adds them. Otherwise the rows of the old end would be rendered, the
   * box scrolled, and its scroll event render again, a forced layout between: that second render was a
   * third of the page's work in bench:logs.
   */
  pinnedToEnd?: boolean;
}): RowWindow {
  const [viewport, setViewport] = useState<Viewport>({ top: 0, height: 0, atEnd: true });
  // What was last read (the state may not have been rendered yet when the next scroll comes).
  const last = useRef(viewport);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!enabled || !el) return;
    // Rendered at once, before the frame that shows the new scroll position (as TanStack's virtualizer
    // does), so that no frame shows the box scrolled past the rows rendered. A scroll within the same
    // rows (or along the end, pinned) renders nothing: compared here, since a state updater that returns
    // the same state still renders the component once to find that out.
    const read = () => {
      const v = last.current;
      const next = { top: el.scrollTop, height: el.clientHeight, atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 1 };
      // A box hidden (its tab while another is shown) keeps the rows it had, ready for coming back.
      if (next.height === 0 && v.height > 0) return;
      if (v.height === next.height && v.atEnd === next.atEnd && ((next.atEnd && pinnedToEnd) || sameRows(v, next, rowHeight))) return;
      last.current = next;
      flushSync(() => setViewport(next));
    };
    el.addEventListener('scroll', read, { passive: true });
    // The box is first read when the observer reports its size, after the browser's own layout and before
    // its paint: read here, in a layout effect, it forced a layout of all the page had just changed (a tab
    // shown again: 11 ms of the switch under load, bench:events). The observer reports at once when it
    // starts (this effect runs again when the pin goes, to read where the box is), and when a hidden box
    // is shown.
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [enabled, scroller, rowHeight, pinnedToEnd]);

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
    const shown = pinnedToEnd && viewport.atEnd ? { top: Math.max(0, count * rowHeight - viewport.height), height: viewport.height } : viewport;
    const items = enabled ? rowsOnScreen(shown, count, rowHeight, overscan) : [];
    return { getVirtualItems: () => items, getTotalSize: () => count * rowHeight, scrollToIndex };
  }, [enabled, count, rowHeight, overscan, viewport, pinnedToEnd, scrollToIndex]);
}

interface Viewport {
  top: number;
  height: number;
  /** Scrolled to the end (as far as it goes). */
  atEnd: boolean;
}

/** The same rows on screen at both places (the rows rendered depend on nothing else). */
function sameRows(a: Viewport, b: Viewport, rowHeight: number): boolean {
  return Math.floor(a.top / rowHeight) === Math.floor(b.top / rowHeight) && Math.ceil((a.top + a.height) / rowHeight) === Math.ceil((b.top + b.height) / rowHeight);
}

/** Scrolls `box` so that the row starting at `start` is at its top, centre or bottom. */
function scrollRowTo(box: HTMLElement, start: number, rowHeight: number, align: 'start' | 'center' | 'end'): void {
  const offset = align === 'center' ? (box.clientHeight - rowHeight) / 2 : align === 'end' ? box.clientHeight - rowHeight : 0;
  box.scrollTop = Math.max(0, start - offset);
}

/**
 * The rows a box scrolled to `top`, `height` tall, shows, with `overscan` more beyond each edge. Each
 * is keyed by its place among them (the first row made is 0, the next 1, ...), so that a scroll hands
 * the same elements, in the same order, to the rows now shown: React updates their text and place,
 * and never removes, creates or moves an element (following a fast log, every row of every frame
 * changes). Keyed by index, a scroll removed and created rows; keyed by index modulo the rows a box
 * holds, it rotated the keys, and React moved elements to match (a removal and an insertion each,
 * whose style and layout Chromium built anew): most of a scroll's render in bench:events.
 */
export function rowsOnScreen({ top, height }: { top: number; height: number }, count: number, rowHeight: number, overscan: number): Array<{ index: number; start: number; key: number }> {
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);
  const items: Array<{ index: number; start: number; key: number }> = [];
  for (let index = first; index < end; index += 1) items.push({ index, start: index * rowHeight, key: index - first });
  return items;
}
