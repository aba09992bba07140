import { describe, expect, it } from 'vitest';
import { applyDeltas } from '@shared/dashboard/apply';
import type { Delta } from '@shared/dashboard/deltas';
import { MAX_STATUS_HISTORY } from '@shared/dashboard/history';
import type { ClusterView, StatusEntry, Task } from '@shared/dashboard/view';
import { changedTasks, LiveViewFolder, taskCount } from './live-view';
import { ANY_VALUE, matcher, newestFirst, TaskOrder, type TaskFilter } from './task-order';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The live view's folder against applyDeltas (the reference: the replay and every other subscriber
 * fold with it), and the table's incremental rows against filtering and sorting the whole view, over a
 * seeded stream of batches: new tasks, new statuses past the history's bound, whole-task upserts,
 * removals, agents, and a snapshot now and then.
 */

/** A seeded random number in [0, 1): the same seed gives the same stream (pure-rand's xoroshiro128+). */
function prng(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const STATES = ['TASK_RUNNING', 'TASK_KILLED', 'TASK_STARTING'] as const;

function emptyView(): ClusterView {
  return { connection: { state: 'live', since: 0 }, masters: [], agents: {}, frameworks: {}, tasks: {}, offers: {}, offerHistory: [], metrics: [] };
}

/** A deep copy, as a batch is when it comes over the wire. */
const wire = <T>(value: T): T => structuredClone(value);

function stream(seed: number, batches: number): Delta[][] {
  const random = prng(seed);
  const known = new Map<string, Task>();
  let next = 0;
  let clock = 1000;
  const status = (state: string): StatusEntry => ({ state: state as Task['state'], at: clock++, message: random() < 0.5 ? 'health check passed' : 'exited' });
  const fresh = (): Task => {
    const n = next++;
    const state = STATES[Math.floor(random() * STATES.length)]!;
    return {
      key: `fw${n % 2}/t${n}`,
      id: `t${n}`,
      frameworkId: `fw${n % 2}`,
      agentId: `a${n % 3}`,
      name: `task ${n}`,
      state,
      resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
      statuses: [status(state)],
      seenAt: clock,
      // Ties on purpose: the order must still be one.
      updatedAt: Math.floor(clock / 3),
    };
  };
  const out: Delta[][] = [];
  const snapshot = (): Delta => {
    const view = emptyView();
    for (const t of known.values()) view.tasks[t.key] = t;
    return { kind: 'snapshot', view };
  };
  for (let i = 0; i < 150; i++) {
    const t = fresh();
    known.set(t.key, t);
  }
  out.push([snapshot()]);
  for (let b = 0; b < batches; b++) {
    const batch: Delta[] = [];
    const size = b % 40 === 0 ? 120 : Math.floor(random() * 10);
    for (let i = 0; i < size; i++) {
      const roll = random();
      const keys = [...known.keys()];
      const old = known.get(keys[Math.floor(random() * keys.length)]!);
      if (roll < 0.08 && old) {
        known.delete(old.key);
        batch.push({ kind: 'taskRemoved', key: old.key });
      } else if (roll < 0.18 || !old) {
        const t = fresh();
        known.set(t.key, t);
        batch.push({ kind: 'task', task: t });
      } else if (roll < 0.25) {
        const t = { ...old, state: STATES[Math.floor(random() * STATES.length)]!, updatedAt: Math.floor(clock++ / 3) };
        known.set(t.key, t);
        batch.push({ kind: 'task', task: t });
      } else {
        const added = Array.from({ length: 1 + Math.floor(random() * 3) }, () => status('TASK_RUNNING'));
        let statuses = [...old.statuses, ...added];
        if (statuses.length > MAX_STATUS_HISTORY) statuses = [statuses[0]!, ...statuses.slice(statuses.length - MAX_STATUS_HISTORY + 1)];
        const t = { ...old, state: 'TASK_RUNNING' as const, statuses, updatedAt: Math.floor(clock / 3) };
        known.set(t.key, t);
        const { statuses: _whole, ...fields } = t;
        batch.push({ kind: 'taskUpdate', task: fields, statuses: added });
      }
    }
    if (random() < 0.3) batch.push({ kind: 'agent', agent: { id: `a${b % 3}`, hostname: 'h', state: 'active', total: { cpus: b, mem: 1, disk: 1, gpus: 0 }, allocated: { cpus: 0, mem: 0, disk: 0, gpus: 0 }, offered: { cpus: 0, mem: 0, disk: 0, gpus: 0 }, attributes: {}, capabilities: [] } });
    if (b % 170 === 169) batch.push(snapshot());
    out.push(batch);
  }
  return out;
}

const plain = (view: ClusterView, filter: TaskFilter) => Object.values(view.tasks).filter(matcher(filter)).sort(newestFirst);

const FILTERS: TaskFilter[] = [
  { state: ANY_VALUE, framework: ANY_VALUE, agent: ANY_VALUE, text: '' },
  { state: ANY_VALUE, framework: 'fw1', agent: ANY_VALUE, text: '' },
  { state: 'TASK_RUNNING', framework: ANY_VALUE, agent: 'a2', text: 'HEALTH' },
];

describe('LiveViewFolder', () => {
  it('folds every batch to the view applyDeltas gives, counting the tasks as it goes', () => {
    const folder = new LiveViewFolder();
    let reference: ClusterView | null = null;
    for (const batch of stream(1, 500)) {
      reference = applyDeltas(reference, wire(batch));
      const view = folder.fold(wire(batch));
      expect(view).toEqual(reference);
      expect(taskCount(view!)).toBe(Object.keys(reference!.tasks).length);
    }
  });

  it('gives a new view object with every fold and a new object only for the tasks that changed', () => {
    const folder = new LiveViewFolder();
    const [first, second] = stream(2, 1);
    const before = folder.fold(wire(first!))!;
    const unchanged = { ...before.tasks };
    const after = folder.fold(wire(second!))!;
    expect(after).not.toBe(before);
    const changed = changedTasks(before, after)!;
    expect(changed.size).toBeGreaterThan(0);
    for (const [key, task] of Object.entries(after.tasks)) expect(task === unchanged[key]).toBe(!changed.has(key));
    expect(changedTasks(after, before)).toBeUndefined();
  });
});

describe('TaskOrder', () => {
  it('keeps the rows that filtering and sorting every view gives, whether it sees every fold or skips some', () => {
    for (const every of [1, 3, 100]) {
      const folder = new LiveViewFolder();
      const orders = FILTERS.map(() => new TaskOrder());
      stream(3, 600).forEach((batch, i) => {
        const view = folder.fold(wire(batch))!;
        if (i % every !== 0) return;
        FILTERS.forEach((filter, f) => expect(orders[f]!.update(view, filter)).toEqual(plain(view, filter)));
      });
    }
  });

  it('gives the same array back when nothing it shows changed, and follows a filter change', () => {
    const folder = new LiveViewFolder();
    const [first] = stream(4, 0);
    const view = folder.fold(wire(first!))!;
    const order = new TaskOrder();
    const fw0: TaskFilter = { state: ANY_VALUE, framework: 'fw0', agent: ANY_VALUE, text: '' };
    const rows = order.update(view, fw0);
    expect(order.update(view, { ...fw0 })).toBe(rows);
    // A task the filter leaves out changes: the rows stay the same array.
    const other = Object.values(view.tasks).find((t) => t.frameworkId === 'fw1')!;
    const next = folder.fold([{ kind: 'task', task: { ...other, updatedAt: 99 } }])!;
    expect(order.update(next, fw0)).toBe(rows);
    expect(order.update(next, { ...fw0, framework: 'fw1' })).toEqual(plain(next, { ...fw0, framework: 'fw1' }));
  });

  it('gives a view it placed before the same rows again, and goes on from there (React rendering the view on screen again while the next one renders)', () => {
    const folder = new LiveViewFolder();
    const filter = FILTERS[1]!;
    const order = new TaskOrder();
    const [snapshot, ...batches] = stream(6, 12);
    const shown = folder.fold(wire(snapshot!))!;
    order.update(shown, filter);
    const onScreen = folder.fold(wire(batches[0]!))!;
    const rows = order.update(onScreen, filter);
    const expected = [...rows];
    let next = onScreen;
    for (const batch of batches.slice(1)) next = folder.fold(wire(batch))!;
    const nextRows = order.update(next, filter);
    expect(nextRows).toEqual(plain(next, filter));
    // Back to the view on screen: its rows as they were, the same array (no filter and sort of all).
    expect(order.update(onScreen, filter)).toBe(rows);
    expect(rows).toEqual(expected);
    expect(order.update(next, filter)).toBe(nextRows);
  });

  it('sorts a view no folder made (a replay) whole', () => {
    const view = emptyView();
    for (const batch of stream(5, 50)) for (const d of batch) if (d.kind === 'task') view.tasks[d.task.key] = d.task;
    expect(new TaskOrder().update(view, FILTERS[0]!)).toEqual(plain(view, FILTERS[0]!));
  });
});
