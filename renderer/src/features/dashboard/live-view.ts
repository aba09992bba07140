import { applyDeltas } from '@shared/dashboard/apply';
import type { Delta } from '@shared/dashboard/deltas';
import { appendStatuses } from '@shared/dashboard/history';
import type { ClusterView, StatusEntry, Task } from '@shared/dashboard/view';

/**
 * The live view as the page folds it. Like applyDeltas (the same result), with one difference: the
 * tasks record is changed where it stands instead of copied with every fold. At 10,000 tasks that copy
 * was the page's largest script cost under load (bench:events); every other part of the view is small
 * and copied as applyDeltas does. Each fold still returns a new view object (so React sees the change)
 * and every Task that changed is a new object (so memoised rows see theirs); what no longer holds is
 * that an older view's `tasks` stays as it was: it is the same record. Which tasks a fold changed is
 * kept beside the view it returned (`changedTasks`), so the table places only those again.
 *
 * The record is this folder's own: it came over the wire (parsed from JSON, or cloned over IPC).
 */
export class LiveViewFolder {
  private view: ClusterView | null = null;
  /** The views of the last folds, oldest first: the one that falls out is cut from the chain, so the chain does not keep every view ever folded. */
  private readonly recent: ClusterView[] = [];

  get current(): ClusterView | null {
    return this.view;
  }

  fold(deltas: readonly Delta[]): ClusterView | null {
    let from = 0;
    for (let i = deltas.length - 1; i >= 0; i--) {
      if (deltas[i]!.kind === 'snapshot') {
        from = i;
        break;
      }
    }
    let previous = this.view;
    let next = previous;
    const others: Delta[] = [];
    const taskDeltas: Delta[] = [];
    for (const delta of deltas.slice(from)) {
      if (delta.kind === 'snapshot') {
        // A fresh start: nothing links it to the views before.
        next = delta.view;
        previous = null;
      } else if (delta.kind === 'task' || delta.kind === 'taskUpdate' || delta.kind === 'taskRemoved') taskDeltas.push(delta);
      else others.push(delta);
    }
    if (!next) return null;
    next = applyDeltas(next, others)!;
    if (next === this.view || next === previous) next = { ...next };
    const tasks = next.tasks as Record<string, Task>;
    const keys = new Set<string>();
    let count = previous ? (CHANGES.get(previous)?.count ?? Object.keys(tasks).length) : Object.keys(tasks).length;
    for (const delta of taskDeltas) {
      switch (delta.kind) {
        case 'task':
          if (!(delta.task.key in tasks)) count += 1;
          tasks[delta.task.key] = delta.task;
          keys.add(delta.task.key);
          break;
        case 'taskUpdate': {
          const had = tasks[delta.task.key];
          if (!had) count += 1;
          tasks[delta.task.key] = { ...delta.task, statuses: appendStatuses(had?.statuses ?? [], delta.statuses) as StatusEntry[] };
          keys.add(delta.task.key);
          break;
        }
        case 'taskRemoved':
          if (delta.key in tasks) {
            delete tasks[delta.key];
            count -= 1;
            keys.add(delta.key);
          }
          break;
      }
    }
    CHANGES.set(next, { previous, keys, count });
    this.recent.push(next);
    if (this.recent.length > MAX_FOLDS_BACK) {
      const cut = CHANGES.get(this.recent.shift()!);
      if (cut) cut.previous = null;
    }
    this.view = next;
    return next;
  }
}

interface Changes {
  /** The view this one was folded from; null after a snapshot. */
  previous: ClusterView | null;
  /** Keys of the tasks added, changed or removed by that fold. */
  keys: ReadonlySet<string>;
  /** How many tasks the view holds. */
  count: number;
}

const CHANGES = new WeakMap<ClusterView, Changes>();
/** Folds followed back at most: a reader further behind places every task again. */
const MAX_FOLDS_BACK = 64;

/**
 * Keys of the tasks that differ between two views a LiveViewFolder returned (`from` earlier); undefined
 * when that cannot be told (other views, a snapshot between them, too many folds apart).
 */
export function changedTasks(from: ClusterView, to: ClusterView): ReadonlySet<string> | undefined {
  if (from === to) return new Set();
  const parts: ReadonlySet<string>[] = [];
  let at: ClusterView | null = to;
  for (let i = 0; at && at !== from && i < MAX_FOLDS_BACK; i++) {
    const changes = CHANGES.get(at);
    if (!changes) return undefined;
    parts.push(changes.keys);
    at = changes.previous;
  }
  if (at !== from) return undefined;
  if (parts.length === 1) return parts[0];
  const all = new Set<string>();
  for (const part of parts) for (const key of part) all.add(key);
  return all;
}

/** How many tasks a view holds: kept by the folder, counted otherwise. */
export function taskCount(view: ClusterView): number {
  return CHANGES.get(view)?.count ?? Object.keys(view.tasks).length;
}
