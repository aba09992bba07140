import { describe, expect, it } from 'vitest';
import { applyDeltas, MAX_OFFER_HISTORY } from './apply';
import type { Delta } from './deltas';
import type { ClusterView, Task } from './view';

const scalars = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
const emptyView = (): ClusterView => ({
  connection: { state: 'live', since: 1 },
  masters: [],
  agents: {},
  frameworks: {},
  tasks: {},
  offers: {},
  offerHistory: [],
  metrics: [],
});
const task = (id: string, state: Task['state'] = 'TASK_RUNNING'): Task => ({
  key: `f/${id}`,
  id,
  frameworkId: 'f',
  agentId: 'a',
  name: id,
  state,
  resources: { ...scalars },
  statuses: [{ state }],
  seenAt: 1,
  updatedAt: 2,
});
const offer = (id: string) => ({ id, frameworkId: 'f', agentId: 'a', resources: { ...scalars }, firstSeenAt: 1 });

describe('applyDeltas', () => {
  it('is null until a snapshot, and a snapshot replaces everything', () => {
    expect(applyDeltas(null, [{ kind: 'task', task: task('t1') }])).toBeNull();
    const snap = { ...emptyView(), tasks: { 'f/t0': task('t0') } };
    const view = applyDeltas(null, [{ kind: 'task', task: task('t1') }, { kind: 'snapshot', view: snap }, { kind: 'task', task: task('t2') }]);
    expect(Object.keys(view?.tasks ?? {})).toEqual(['f/t0', 'f/t2']);
  });

  it('upserts and removes every kind of entity', () => {
    const view = applyDeltas(emptyView(), [
      { kind: 'task', task: task('t1') },
      { kind: 'task', task: task('t1', 'TASK_FINISHED') },
      { kind: 'task', task: task('t2') },
      { kind: 'taskRemoved', key: 'f/t2' },
      { kind: 'offer', offer: offer('o1') },
      { kind: 'offer', offer: offer('o2') },
      { kind: 'offerRemoved', id: 'o1', outcome: { ...offer('o1'), outcome: 'accepted', at: 3, taskKeys: ['f/t1'] } },
      { kind: 'masters', masters: [{ url: 'http://m', leader: true }] },
      { kind: 'connection', connection: { state: 'stale', since: 4 } },
    ]) as ClusterView;
    expect(Object.values(view.tasks).map((t) => [t.id, t.state])).toEqual([['t1', 'TASK_FINISHED']]);
    expect(Object.keys(view.offers)).toEqual(['o2']);
    expect(view.offerHistory.map((o) => [o.id, o.outcome])).toEqual([['o1', 'accepted']]);
    expect(view.masters[0]?.leader).toBe(true);
    expect(view.connection.state).toBe('stale');
  });

  it('never changes the view it was given, nor a snapshot that came in the batch', () => {
    const before = { ...emptyView(), tasks: { 'f/t0': task('t0') } };
    const frozen = structuredClone(before);
    const after = applyDeltas(before, [{ kind: 'task', task: task('t1') }, { kind: 'taskRemoved', key: 'f/t0' }]) as ClusterView;
    expect(before).toEqual(frozen);
    expect(after).not.toBe(before);
    expect(Object.keys(after.tasks)).toEqual(['f/t1']);

    const snap = { ...emptyView(), tasks: { 'f/t0': task('t0') } };
    const snapCopy = structuredClone(snap);
    applyDeltas(null, [{ kind: 'snapshot', view: snap }, { kind: 'task', task: task('t9') }]);
    expect(snap).toEqual(snapCopy);
  });

  it('keeps untouched records by reference, so React skips what did not change', () => {
    const before = { ...emptyView(), agents: { a: { id: 'a' } as ClusterView['agents'][string] } };
    const after = applyDeltas(before, [{ kind: 'task', task: task('t1') }]) as ClusterView;
    expect(after.agents).toBe(before.agents);
    expect(after.tasks).not.toBe(before.tasks);
  });

  it('keeps the offer history bounded, the newest last', () => {
    const deltas: Delta[] = Array.from({ length: MAX_OFFER_HISTORY + 5 }, (_, i) => ({ kind: 'offerOutcome', outcome: { ...offer(`o${i}`), outcome: 'declined', at: i } }));
    const view = applyDeltas(emptyView(), deltas) as ClusterView;
    expect(view.offerHistory).toHaveLength(MAX_OFFER_HISTORY);
    expect(view.offerHistory.at(-1)?.id).toBe(`o${MAX_OFFER_HISTORY + 4}`);
    expect(view.offerHistory[0]?.id).toBe('o5');
  });

  it('folds a batch of 1,000 task changes over 5,000 tasks', () => {
    const tasks = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f/t${i}`, task(`t${i}`)]));
    const batch: Delta[] = Array.from({ length: 1000 }, (_, i) => ({ kind: 'task', task: task(`t${i}`, 'TASK_FINISHED') }));
    const view = applyDeltas({ ...emptyView(), tasks }, batch) as ClusterView;
    expect(Object.keys(view.tasks)).toHaveLength(5000);
    expect(view.tasks['f/t999']?.state).toBe('TASK_FINISHED');
    expect(view.tasks['f/t1000']?.state).toBe('TASK_RUNNING');
  });
});
