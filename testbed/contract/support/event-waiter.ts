/**
 * Resolves with the first event after `after` that matches, as soon as it is in `events`; the stream
 * calls every function in `waiters` when events arrive.
 */
export function waitForEvent<E extends { type: string }>(
  events: readonly E[],
  waiters: Set<() => void>,
  match: (event: E) => boolean,
  what: string,
  timeoutMs: number,
  after: number,
): Promise<E> {
  return new Promise((ok, fail) => {
    const check = () => {
      const hit = events.slice(after).find(match);
      if (!hit) return;
      waiters.delete(check);
      clearTimeout(timer);
      ok(hit);
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      fail(new Error(`no ${what} within ${timeoutMs}ms; got ${events.map((e) => e.type).join(', ')}`));
    }, timeoutMs);
    waiters.add(check);
    check();
  });
}
