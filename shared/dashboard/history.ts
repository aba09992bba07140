import type { StatusEntry } from './view';

/**
 * A task's history keeps its first status (how it began) and its latest ones, this many in all: a task
 * whose health check flaps sends a status every few seconds for as long as it runs (bench:events:
 * 10,000 tasks, 1,000 updates a second). The main process bounds its histories so, and a subscriber
 * that is sent only a task's new statuses (a `taskUpdate` delta) appends them by the same rule.
 */
export const MAX_STATUS_HISTORY = 16;

/** `history` with `added` appended, then bounded (the first kept, the oldest after it dropped); the same array when nothing is added. */
export function appendStatuses(history: readonly StatusEntry[], added: readonly StatusEntry[]): readonly StatusEntry[] {
  if (added.length === 0) return history;
  const out = [...history, ...added];
  if (out.length > MAX_STATUS_HISTORY) out.splice(1, out.length - MAX_STATUS_HISTORY);
  return out;
}
