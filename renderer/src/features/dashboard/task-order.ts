import type { Task } from '@shared/dashboard/view';

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
 * The task table's rows, kept from one view to the next: only the tasks whose object changed (views are
 * folded with structural sharing, so an unchanged task keeps its object) are filtered and placed again,
 * merged into the rows kept. At 1,000 updates a second on 10,000 tasks (bench:events) that is about a
 * hundred tasks per fold instead of a filter and a sort of all of them. The same rows (the same array)
 * come back when nothing shown changed, so the table need not render.
 */
export class TaskOrder {
  private tasks: Readonly<Record<string, Task>> | null = null;
  private filterKey = '';
  private rows: Task[] = [];
  private count = 0;

  /** The tasks the filter lets through, newest first. */
  update(tasks: Readonly<Record<string, Task>>, filter: TaskFilter): Task[] {
    const filterKey = JSON.stringify([filter.state, filter.framework, filter.agent, filter.text.trim().toLowerCase()]);
    const before = this.tasks;
    if (tasks === before && filterKey === this.filterKey) return this.rows;
    const matches = matcher(filter);
    this.tasks = tasks;
    if (before === null || filterKey !== this.filterKey) {
      this.filterKey = filterKey;
      return this.rebuild(tasks, matches);
    }
    const changed: Task[] = [];
    let count = 0;
    for (const key in tasks) {
      count += 1;
      const task = tasks[key]!;
      if (task !== before[key]) changed.push(task);
    }
    const removed = count - changed.length < this.count;
    this.count = count;
    if (changed.length > Math.max(50, this.rows.length * REBUILD_SHARE)) return this.rebuild(tasks, matches);
    const added = changed.filter(matches).sort(newestFirst);
    // A row stays while its task is still there unchanged (a changed one is among `changed`).
    const kept = changed.length > 0 || removed ? this.rows.filter((r) => tasks[r.key] === r) : this.rows;
    if (added.length === 0 && kept.length === this.rows.length) return this.rows;
    this.rows = merge(kept, added);
    return this.rows;
  }

  /** How many tasks the view holds (counted on the way). */
  get total(): number {
    return this.count;
  }

  private rebuild(tasks: Readonly<Record<string, Task>>, matches: (t: Task) => boolean): Task[] {
    const rows: Task[] = [];
    let count = 0;
    for (const key in tasks) {
      count += 1;
      const task = tasks[key]!;
      if (matches(task)) rows.push(task);
    }
    this.count = count;
    this.rows = rows.sort(newestFirst);
    return this.rows;
  }
}

/** Two lists sorted newestFirst, as one. */
function merge(a: Task[], b: Task[]): Task[] {
  if (b.length === 0) return a.slice();
  const out: Task[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = newestFirst(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
