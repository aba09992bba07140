import type { Delta, DeltaBatch } from '@shared/dashboard/deltas';
import { appendStatuses } from '@shared/dashboard/history';
import type { ClusterView, StatusEntry, Task } from '@shared/dashboard/view';
import { coalesce } from './cluster-model';
import { RateMeter } from './rate-meter';

/**
 * What one subscriber of `dashboard.deltas` is sent: the view (seq 0), then the monitor's batches
 * renumbered for this subscriber (1, 2, …: a gap means one was lost). While the stream is busy (more
 * than `busyPerSecond` deltas in about the last second), at most one batch every `intervalMs`: batches
 * gather and go as one, coalesced (the latest version of each entity). While it is quiet, at most one a
 * frame (`quietIntervalMs`), so that a lone update reaches the page at once. A task this subscriber
 * already has goes as a `taskUpdate`: its fields and only the statuses new since the version it was
 * sent, which it appends by the same bound as the main process (shared/dashboard/history.ts).
 *
 * Why (bench:events, 1,000 task updates a second): the page was sent a batch every 30 ms, each task with
 * its whole history, and stringifying and parsing those histories was most of both processes' work. And
 * why not 100 ms always: at 10 updates a second that wait was most of the idle page's event-to-paint.
 */
export interface SubscriberFeedOptions {
  /** While busy, at most one batch this often, in ms (default 100). */
  intervalMs?: number;
  /** While quiet, at most one batch this often, in ms (default 16: a frame). */
  quietIntervalMs?: number;
  /** Busy: more deltas than this in about the last second (default 100). */
  busyPerSecond?: number;
  now?: () => number;
}

export class SubscriberFeed {
  private seq = 0;
  private pending: Delta[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSentAt = -Infinity;
  private closed = false;
  /** Each task's history as this subscriber has it (the arrays the model made: entries are never changed in place). */
  private readonly sent = new Map<string, readonly StatusEntry[]>();
  /** Deltas pushed in about the last second. */
  private readonly rate: RateMeter;
  private readonly intervalMs: number;
  private readonly quietIntervalMs: number;
  private readonly busyPerSecond: number;
  private readonly now: () => number;

  constructor(
    private readonly clusterId: string,
    private readonly send: (batch: DeltaBatch) => void,
    options: SubscriberFeedOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.quietIntervalMs = options.quietIntervalMs ?? 16;
    this.busyPerSecond = options.busyPerSecond ?? 100;
    this.now = options.now ?? Date.now;
    this.rate = new RateMeter(this.now);
  }

  /** Sends the view the following batches build on, as batch 0. */
  start(view: ClusterView): void {
    this.pending = [];
    this.remember(view);
    this.seq = 0;
    this.lastSentAt = this.now();
    this.send({ clusterId: this.clusterId, seq: 0, deltas: [{ kind: 'snapshot', view }] });
  }

  /** A batch of the monitor: sent now, or with the next ones when one went less than an interval ago. */
  push(batch: DeltaBatch): void {
    if (this.closed || batch.deltas.length === 0) return;
    this.pending.push(...batch.deltas);
    const busy = this.rate.add(batch.deltas.length) > this.busyPerSecond;
    if (this.timer) return;
    const wait = this.lastSentAt + (busy ? this.intervalMs : this.quietIntervalMs) - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Nothing more is sent; what waits is dropped. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.pending.length === 0) return;
    const deltas = coalesce(this.pending).map((d) => this.compact(d));
    this.pending = [];
    this.lastSentAt = this.now();
    this.send({ clusterId: this.clusterId, seq: ++this.seq, deltas });
  }

  private remember(view: ClusterView): void {
    this.sent.clear();
    for (const task of Object.values(view.tasks)) this.sent.set(task.key, task.statuses);
  }

  /** A task delta as this subscriber needs it; every other delta as it is. */
  private compact(delta: Delta): Delta {
    switch (delta.kind) {
      case 'snapshot':
        this.remember(delta.view);
        return delta;
      case 'taskRemoved':
        this.sent.delete(delta.key);
        return delta;
      case 'task': {
        const { task } = delta;
        const had = this.sent.get(task.key);
        this.sent.set(task.key, task.statuses);
        const added = had && newStatuses(had, task.statuses);
        if (!added) return delta;
        const { statuses: _whole, ...fields } = task;
        return { kind: 'taskUpdate', task: fields satisfies Omit<Task, 'statuses'>, statuses: added };
      }
      default:
        return delta;
    }
  }
}

/**
 * The statuses that, appended to `had` by the shared bound, give exactly `now` (entry by entry, the
 * same objects); undefined when no such statuses exist (an entry was filled in or dropped otherwise):
 * then the whole task is sent.
 */
export function newStatuses(had: readonly StatusEntry[], now: readonly StatusEntry[]): StatusEntry[] | undefined {
  if (had === now) return [];
  const last = had[had.length - 1];
  const from = last === undefined ? 0 : now.lastIndexOf(last) + 1;
  if (last !== undefined && from === 0) return undefined;
  const added = now.slice(from);
  const rebuilt = appendStatuses(had, added);
  if (rebuilt.length !== now.length) return undefined;
  for (let i = 0; i < now.length; i++) if (rebuilt[i] !== now[i]) return undefined;
  return added;
}
