import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDeltas, MAX_METRIC_SAMPLES, MAX_OFFER_HISTORY } from './apply';
import type { Delta } from './deltas';
import type { ClusterView } from './view';

/**
 * applyDeltas copies each collection once per batch and changes the copy in place. It must give
 * exactly what folding the deltas one by one into fresh copies gives (the plain definition below),
 * and never write to what it was given: the input view, a snapshot's view, the deltas.
 */

/** The plain definition: every delta makes a new view. */
function reference(view: ClusterView | null, deltas: readonly Delta[]): ClusterView | null {
  const without = <T>(r: Record<string, T>, k: string) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== k));
  const bounded = <T>(list: readonly T[], item: T, max: number) => [...list, item].slice(-max);
  let next = view;
  for (const d of deltas) {
    if (d.kind === 'snapshot') {
      next = d.view;
      continue;
    }
    if (!next) continue;
    const v: ClusterView = next;
    switch (d.kind) {
      case 'agent':
        next = { ...v, agents: { ...v.agents, [d.agent.id]: d.agent } };
        break;
      case 'agentRemoved':
        next = { ...v, agents: without(v.agents, d.id) };
        break;
      case 'framework':
        next = { ...v, frameworks: { ...v.frameworks, [d.framework.id]: d.framework } };
        break;
      case 'task':
        next = { ...v, tasks: { ...v.tasks, [d.task.key]: d.task } };
        break;
      case 'taskRemoved':
        next = { ...v, tasks: without(v.tasks, d.key) };
        break;
      case 'offer':
        next = { ...v, offers: { ...v.offers, [d.offer.id]: d.offer } };
        break;
      case 'offerRemoved':
        next = { ...v, offers: without(v.offers, d.id), offerHistory: bounded(v.offerHistory, d.outcome, MAX_OFFER_HISTORY) };
        break;
      case 'offerOutcome':
        next = { ...v, offerHistory: bounded(v.offerHistory, d.outcome, MAX_OFFER_HISTORY) };
        break;
      case 'masters':
        next = { ...v, masters: d.masters };
        break;
      case 'connection':
        next = { ...v, connection: d.connection };
        break;
      case 'metrics':
        next = { ...v, metrics: bounded(v.metrics, d.sample, MAX_METRIC_SAMPLES) };
        break;
    }
  }
  return next;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const key = fc.constantFrom('a', 'b', 'c', 'd');
const view = (n: number): ClusterView => ({
  connection: { state: 'live', since: n },
  masters: [],
  agents: { a: { id: 'a' } as never },
  frameworks: {},
  tasks: { a: { key: 'a', state: 'TASK_RUNNING' } as never },
  offers: { b: { id: 'b' } as never },
  offerHistory: [],
  metrics: [],
});
const delta: fc.Arbitrary<Delta> = fc.oneof(
  fc.nat(5).map((n) => ({ kind: 'snapshot', view: view(n) }) as Delta),
  key.map((id) => ({ kind: 'agent', agent: { id, n: Math.random() } }) as never),
  key.map((id) => ({ kind: 'agentRemoved', id }) as Delta),
  key.map((id) => ({ kind: 'framework', framework: { id } }) as never),
  fc.tuple(key, fc.nat(3)).map(([k, s]) => ({ kind: 'task', task: { key: k, state: ['TASK_STAGING', 'TASK_RUNNING', 'TASK_FAILED', 'TASK_LOST'][s] } }) as never),
  key.map((k) => ({ kind: 'taskRemoved', key: k }) as Delta),
  key.map((id) => ({ kind: 'offer', offer: { id } }) as never),
  fc.tuple(key, fc.nat(1000)).map(([id, at]) => ({ kind: 'offerRemoved', id, outcome: { id, outcome: 'gone', at } }) as never),
  fc.nat(1000).map((at) => ({ kind: 'offerOutcome', outcome: { id: 'x', outcome: 'made', at } }) as never),
  fc.nat(3).map((n) => ({ kind: 'masters', masters: Array.from({ length: n }, (_, i) => ({ url: `m${i}`, leader: i === 0 })) }) as never),
  fc.nat(1000).map((since) => ({ kind: 'connection', connection: { state: 'reconnecting', since } }) as never),
  fc.nat(1000).map((at) => ({ kind: 'metrics', sample: { at, values: { 'master/elected': 1 } } }) as never),
);

describe('applyDeltas', () => {
  it('equals the one-by-one fold, batch after batch, and writes to nothing it was given', () => {
    fc.assert(
      fc.property(fc.option(fc.nat(3).map(view), { nil: null }), fc.array(fc.array(delta, { maxLength: 40 }), { maxLength: 12 }), (start, batches) => {
        let fast: ClusterView | null = deepFreeze(start);
        let plain: ClusterView | null = start;
        for (const batch of batches) {
          deepFreeze(batch);
          fast = deepFreeze(applyDeltas(fast, batch)); // frozen: the next batch must copy before writing
          plain = reference(plain, batch);
          expect(fast).toEqual(plain);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the histories bounded across long batches', () => {
    const many = Array.from({ length: 3 * MAX_METRIC_SAMPLES }, (_, i): Delta => ({ kind: 'metrics', sample: { at: i, values: {} } }));
    const out = applyDeltas(view(0), many)!;
    expect(out.metrics.map((m) => m.at)).toEqual(many.slice(-MAX_METRIC_SAMPLES).map((d) => (d.kind === 'metrics' ? d.sample.at : -1)));
  });

  it('returns a new view when anything changed, and the same fields it did not touch', () => {
    const before = view(1);
    const after = applyDeltas(before, [{ kind: 'connection', connection: { state: 'stale', since: 2 } }])!;
    expect(after).not.toBe(before);
    expect(after.tasks).toBe(before.tasks);
    expect(applyDeltas(before, [])).toBe(before);
    expect(applyDeltas(null, [{ kind: 'taskRemoved', key: 'a' }])).toBeNull();
  });
});
