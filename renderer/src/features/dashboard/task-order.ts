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
/** The rows of this many recent views are kept. */
const KEPT_VIEWS = 4;

interface Placed {
  view: ClusterView;
  filterKey: string;
  rows: Task[];
}

/**
 * The task table's rows, kept from one view to the next: only the tasks a fold changed (changedTasks:
 * the live view's folder keeps them) are filtered and placed again, merged into the rows kept. At 1,000
 * updates a second on 10,000 tasks (bench:events) that is about a hundred tasks per fold instead of a
 * filter and a sort of all of them. Any other view (a replay's moment) is filtered and sorted whole.
 * The same rows (the same array) come back when nothing shown changed, so the table need not render.
 *
 * The rows of the last few views are kept, not only the latest: React renders a new view as a
 * transition and may render the one on screen again meanwhile (a click, a scroll), and going back to
 * it must not cost a filter and a sort of every task.
 */
export class TaskOrder {
  private recent: Placed[] = [];

  /** The tasks of `view` the filter lets through, newest first. */
  update(view: ClusterView, filter: TaskFilter): Task[] {
    const filterKey = JSON.stringify([filter.state, filter.framework, filter.agent, filter.text.trim().toLowerCase()]);
    const placed = this.recent.filter((p) => p.filterKey === filterKey);
    const same = placed.find((p) => p.view === view);
    if (same) return same.rows;
    const matches = matcher(filter);
    let rows: Task[] | undefined;
    for (let i = placed.length - 1; i >= 0 && !rows; i--) {
      const changed = changedTasks(placed[i]!.view, view);
      if (changed) rows = advance(placed[i]!.rows, view, changed, matches);
    }
    rows ??= rebuild(view, matches);
    this.recent = [...this.recent.slice(1 - KEPT_VIEWS), { view, filterKey, rows }];
    return rows;
  }
}

/**
 * `rows` (of an earlier view) with the tasks `changed` since placed again; the same array when none of
 * them shows. One pass over the rows, dropping the changed tasks' old places and merging their new ones
 * in (it ran with every batch and was the largest script of the page under load, bench:events, as a
 * filter and then a merge, each making an array of all the rows).
 */
function advance(rows: Task[], view: ClusterView, changed: ReadonlySet<string>, matches: (t: Task) => boolean): Task[] {
  if (changed.size > Math.max(50, rows.length * REBUILD_SHARE)) return rebuild(view, matches);
  if (changed.size === 0) return rows;
  const added: Task[] = [];
  for (const key of changed) {
    const task = view.tasks[key];
    if (task && matches(task)) added.push(task);
  }
  added.sort(newestFirst);
  const out = new Array<Task>(rows.length + added.length);
  let k = 0;
  let a = 0;
  for (const row of rows) {
    if (changed.has(row.key)) continue;
    while (a < added.length && newestFirst(added[a]!, row) < 0) out[k++] = added[a++]!;
    out[k++] = row;
  }
  while (a < added.length) out[k++] = added[a++]!;
  if (added.length === 0 && k === rows.length) return rows;
  out.length = k;
  return out;
}

function rebuild(view: ClusterView, matches: (t: Task) => boolean): Task[] {
  const rows: Task[] = [];
  for (const key in view.tasks) {
    const task = view.tasks[key]!;
    if (matches(task)) rows.push(task);
  }
  return rows.sort(newestFirst);
}
