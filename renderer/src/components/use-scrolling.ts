import { type RefObject, startTransition, useEffect, useState } from 'react';

/** How long after its last scroll event a box counts as still scrolling. */
const SETTLE_MS = 150;

/** True while `box` scrolls: from its first scroll event until 150 ms after its last. */
export function useScrolling(box: RefObject<HTMLElement | null>): boolean {
  const [scrolling, setScrolling] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      if (settle === undefined) setScrolling(true);
      else clearTimeout(settle);
      settle = setTimeout(() => {
        settle = undefined;
        // What waited for the scroll to end is rendered in slices between frames, with the view's batches.
        startTransition(() => setScrolling(false));
      }, SETTLE_MS);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      el.removeEventListener('scroll', onScroll);
      clearTimeout(settle);
    };
  }, [box]);
  return scrolling;
}

/** `value`, except while `hold` is true: then the value it had when the hold began. */
export function useHeldWhile<T>(value: T, hold: boolean): T {
  const [held, setHeld] = useState(value);
  // Kept up to date while not held (React's pattern for state derived from the previous render).
  if (!hold && held !== value) setHeld(value);
  return hold ? held : value;
}
