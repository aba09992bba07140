import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyDeltas } from '@shared/dashboard/apply';
import type { Delta, DeltaBatch } from '@shared/dashboard/deltas';
import { DeltaBatchSchema } from '@shared/dashboard/deltas';
import { MAX_STATUS_HISTORY } from '@shared/dashboard/history';
import { GetStateSchema, parseOperatorEvent, type OperatorEvent } from '@shared/dashboard/operator';
import type { ClusterView, StatusEntry } from '@shared/dashboard/view';
import { LoadGenerator } from '../../bench/load/generator';
import { ClusterModel, coalesce } from './cluster-model';
import { newStatuses, SubscriberFeed } from './subscriber-feed';

/**
 * The feed a subscriber of dashboard.deltas gets, driven by a ClusterModel fed a busy cluster's operator
 * events (the seeded generator bench:events uses: health checks, rolling restarts, histories past their
 * bound). What the subscriber folds must be exactly the model's view, in fewer and smaller batches.
 * Time is vitest's fake clock, so the pacing is checked by counting batches, not by waiting.
 */

const parse = (json: unknown): OperatorEvent => {
  const parsed = parseOperatorEvent(json);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.event;
};

function busyCluster(tasks = 30) {
  const gen = new LoadGenerator({ agents: 3, tasks, seed: 7, churn: 0.3, agentHost: '127.0.0.1', agentPort: 5051 });
  const model = new ClusterModel({ maxTerminalTasks: 20 }, Date.now());
  const subscribed = gen.subscribed(Date.now(), 15) as { subscribed: { get_state: unknown } };
  model.reset(GetStateSchema.parse(subscribed.subscribed.get_state), Date.now());
  return { gen, model };
}

/**
 * The monitor's side: `events` of the generator, each folded and its deltas a batch (as ClusterMonitor
 * hands listeners), `everyMs` apart (3 ms: 1,000 events in 3 s, busy). The batches, and when each was pushed.
 */
function monitorBatches(model: ClusterModel, gen: LoadGenerator, events: number, onBatch: (b: DeltaBatch) => void, everyMs = 3): DeltaBatch[] & { pushedAt: number[] } {
  const all = Object.assign([] as DeltaBatch[], { pushedAt: [] as number[] });
  for (let i = 0; i < events; i++) {
    const deltas: Delta[] = [];
    for (const json of gen.next(Date.now())) deltas.push(...model.apply(parse(json), Date.now()));
    const batch = { clusterId: 'c', seq: all.length + 1, deltas: coalesce(deltas) };
    all.push(batch);
    all.pushedAt.push(Date.now());
    onBatch(batch);
    vi.advanceTimersByTime(everyMs);
  }
  return all;
}

const fold = (batches: DeltaBatch[]) => batches.reduce<ClusterView | null>((view, b) => applyDeltas(view, b.deltas), null);

describe('SubscriberFeed', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_800_000_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('gives the subscriber exactly the model view, histories bounded, from batches numbered 0, 1, 2, …', () => {
    const { gen, model } = busyCluster();
    const sent: DeltaBatch[] = [];
    const feed = new SubscriberFeed('c', (b) => sent.push(b));
    feed.start(model.view());
    monitorBatches(model, gen, 1000, (b) => feed.push(b));
    vi.advanceTimersByTime(200);

    expect(sent.map((b) => b.seq)).toEqual(sent.map((_, i) => i));
    for (const b of sent) DeltaBatchSchema.parse(b);
    expect(fold(sent)).toEqual(model.view());
    // The histories did reach their bound, and tasks were removed and added: the hard cases were met.
    expect(Object.values(model.view().tasks).some((t) => t.statuses.length === MAX_STATUS_HISTORY)).toBe(true);
    const kinds = new Set(sent.flatMap((b) => b.deltas.map((d) => d.kind)));
    expect(kinds).toEqual(new Set(['snapshot', 'task', 'taskUpdate', 'taskRemoved', 'framework', 'agent']));
  });

  it('sends at most one batch per interval while busy, the first at once, and far fewer bytes than the whole histories', () => {
    const { gen, model } = busyCluster();
    const sent: DeltaBatch[] = [];
    // Busy from the first delta on (the default threshold is met within the first 100 ms: see below).
    const feed = new SubscriberFeed('c', (b) => sent.push(b), { intervalMs: 100, busyPerSecond: 0 });
    feed.start(model.view());
    vi.advanceTimersByTime(500); // quiet: the first batch after it is not held back
    let first: DeltaBatch | undefined;
    const monitor = monitorBatches(model, gen, 1000, (b) => {
      feed.push(b);
      first ??= sent[1];
    });
    expect(first?.deltas).toEqual(coalesce(monitor[0]!.deltas).map((d) => (d.kind === 'task' ? expect.objectContaining({ kind: 'taskUpdate' }) : d)));
    vi.advanceTimersByTime(200);
    // 3 s of events: 30 intervals of 100 ms (and the one sent at once).
    expect(sent.length - 1).toBeLessThanOrEqual(31);
    expect(sent.length - 1).toBeGreaterThanOrEqual(29);
    const bytes = (batches: DeltaBatch[]) => batches.reduce((n, b) => n + JSON.stringify(b).length, 0);
    expect(bytes(sent.slice(1)) * 3).toBeLessThan(bytes(monitor));
  });

  it('while quiet, sends each batch within a frame; once busy, one every interval', () => {
    const { gen, model } = busyCluster();
    const sent: Array<{ at: number; batch: DeltaBatch }> = [];
    const feed = new SubscriberFeed('c', (batch) => sent.push({ at: Date.now(), batch }));
    feed.start(model.view());
    // 14 events a second (about the idle page of bench:events): each goes within a frame of its arrival.
    const quiet = monitorBatches(model, gen, 20, (b) => feed.push(b), 70).pushedAt;
    vi.advanceTimersByTime(100);
    const waits = quiet.map((pushedAt) => sent.find((s) => s.at >= pushedAt)!.at - pushedAt);
    expect(Math.max(...waits)).toBeLessThanOrEqual(16);
    expect(sent).toHaveLength(1 + quiet.length);
    // 1,000 a second: busy within its first 100 ms, then one batch per 100 ms.
    const before = sent.length;
    monitorBatches(model, gen, 2000, (b) => feed.push(b), 1);
    vi.advanceTimersByTime(200);
    const busy = sent.slice(before);
    expect(busy.length).toBeLessThanOrEqual(2000 / 100 + 100 / 16 + 1);
    const gaps = busy.slice(1).map((s, i) => s.at - busy[i]!.at);
    expect(gaps.filter((g) => g < 100).length).toBeLessThanOrEqual(100 / 16);
    expect(fold(sent.map((s) => s.batch))).toEqual(model.view());
  });

  it('starts again from a snapshot the monitor sends after a resync', () => {
    const { gen, model } = busyCluster();
    const sent: DeltaBatch[] = [];
    const feed = new SubscriberFeed('c', (b) => sent.push(b));
    feed.start(model.view());
    monitorBatches(model, gen, 300, (b) => feed.push(b));
    const state = GetStateSchema.parse(gen.state(Date.now()));
    feed.push({ clusterId: 'c', seq: 301, deltas: model.reset(state, Date.now()) });
    monitorBatches(model, gen, 300, (b) => feed.push(b));
    vi.advanceTimersByTime(200);
    expect(sent.map((b) => b.seq)).toEqual(sent.map((_, i) => i));
    expect(fold(sent)).toEqual(model.view());
  });

  it('sends nothing once closed', () => {
    const { gen, model } = busyCluster();
    const sent: DeltaBatch[] = [];
    const feed = new SubscriberFeed('c', (b) => sent.push(b));
    feed.start(model.view());
    monitorBatches(model, gen, 10, (b) => feed.push(b));
    const before = sent.length;
    feed.close();
    monitorBatches(model, gen, 10, (b) => feed.push(b));
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(before);
  });
});

describe('newStatuses', () => {
  const s = (at: number, extra: Partial<StatusEntry> = {}): StatusEntry => ({ state: 'TASK_RUNNING', at, ...extra });

  it('names the statuses appended, also past the bound', () => {
    const a = s(1);
    const b = s(2);
    expect(newStatuses([a], [a, b])).toEqual([b]);
    expect(newStatuses([], [a])).toEqual([a]);
    const full = Array.from({ length: MAX_STATUS_HISTORY }, (_, i) => s(i));
    const c = s(100);
    const d = s(101);
    expect(newStatuses(full, [full[0]!, ...full.slice(3), c, d])).toEqual([c, d]);
  });

  it('gives up (the whole task is sent) when an entry was filled in rather than appended', () => {
    const a = s(1);
    const b = s(2);
    expect(newStatuses([a, b], [a, { ...b, healthy: true }])).toBeUndefined();
    expect(newStatuses([a, b], [{ ...a, message: 'x' }, b, s(3)])).toBeUndefined();
    expect(newStatuses([a, b], [b])).toBeUndefined();
  });
});
