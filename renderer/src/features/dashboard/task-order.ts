import type { ClusterView, Task } from '@shared/dashboard/view';
import { changedTasks } from './live-view';

/** The task table's filters; ANY_VALUE matches every task. */
export interface TaskFilter {
  state: string;
  framework: string;
  agent: string;
  /** Searched in id, name and the latest status' message, case-insensitively. */
  text: string;
}

export const ANY_VALUE = 'all';

/** Newest first (the latest status' time), then by key so that the order is total. */
export function newestFirst(a: Task, b: Task): number {
  return b.updatedAt - a.updatedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function matcher(filter: TaskFilter): (t: Task) => boolean {
  const needle = filter.text.trim().toLowerCase();
  return (t) =>
    (filter.state === ANY_VALUE || t.state === filter.state) &&
    (filter.framework === ANY_VALUE || t.frameworkId === filter.framework) &&
    (filter.agent === ANY_VALUE || t.agentId === filter.agent) &&
    (!needle || `${t.id} ${t.name} ${t.statuses.at(-1)?.message ?? ''}`.toLowerCase().includes(needle));
}

/** Above this share of the rows changed at once, filtering and sorting everything again is as cheap. */
const REBUILD_SHARE = 0.25;

/**
 * The task table's rows, kept from one view to the next: only the tasks a fold changed (changedTasks:
 * the live view's folder keeps them) are filtered and placed again, merged into the rows kept. At 1,000
 * updates a second on 10,000 tasks (bench:events) that is about a hundred tasks per fold instead of a
 * filter and a sort of all of them. Any other view (a replay's moment) is filtered and sorted whole.
 * The same rows (the same array) come back when nothing shown changed, so the table need not render.
 */
export class TaskOrder {
  private view: ClusterView | null = null;
  private filterKey = '';
  private rows: Task[] = [];

  /** The tasks of `view` the filter lets through, newest first. */
  update(view: ClusterView, filter: TaskFilter): Task[] {
    const filterKey = JSON.stringify([filter.state, filter.framework, filter.agent, filter.text.trim().toLowerCase()]);
    const before = this.view;
    const sameFilter = filterKey === this.filterKey;
    this.view = view;
    this.filterKey = filterKey;
    if (before === view && sameFilter) return this.rows;
    const matches = matcher(filter);
    const changed = before && sameFilter ? changedTasks(before, view) : undefined;
    if (!changed || changed.size > Math.max(50, this.rows.length * REBUILD_SHARE)) return this.rebuild(view, matches);
    if (changed.size === 0) return this.rows;
    const added: Task[] = [];
    for (const key of changed) {
      const task = view.tasks[key];
      if (task && matches(task)) added.push(task);
    }
    added.sort(newestFirst);
    const kept = this.rows.filter((r) => !changed.has(r.key));
    if (added.length === 0 && kept.length === this.rows.length) return this.rows;
    this.rows = merge(kept, added);
    return this.rows;
  }

  private rebuild(view: ClusterView, matches: (t: Task) => boolean): Task[] {
    const rows: Task[] = [];
    for (const key in view.tasks) {
      const task = view.tasks[key]!;
      if (matches(task)) rows.push(task);
    }
    this.rows = rows.sort(newestFirst);
    return this.rows;
  }
}

/** Two lists sorted newestFirst, as one. */
function merge(a: Task[], b: Task[]): Task[] {
  if (b.length === 0) return a;
  const out: Task[] = new Array<Task>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = newestFirst(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
