import { describe, expect, it } from 'vitest';
import type { Task } from '@shared/dashboard/view';
import { ANY_VALUE, matcher, newestFirst, TaskOrder, type TaskFilter } from './task-order';

/** A seeded stream of views folded with structural sharing, as applyDeltas folds them. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ['TASK_RUNNING', 'TASK_KILLED', 'TASK_STARTING'] as const;

function task(n: number, at: number, random: () => number): Task {
  return {
    key: `fw${n % 2}/t${n}`,
    id: `t${n}`,
    frameworkId: `fw${n % 2}`,
    agentId: `a${n % 3}`,
    name: `task ${n}`,
    state: STATES[Math.floor(random() * STATES.length)]!,
    resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
    statuses: [{ state: 'TASK_RUNNING', at, message: random() < 0.5 ? 'health check passed' : 'exited' }],
    seenAt: at,
    // Some ties on purpose: the order must still be one.
    updatedAt: Math.floor(at / 3),
  };
}

const plain = (tasks: Record<string, Task>, filter: TaskFilter) => Object.values(tasks).filter(matcher(filter)).sort(newestFirst);

describe('TaskOrder', () => {
  it('keeps the same rows as filtering and sorting every view, through updates, additions and removals', () => {
    const random = prng(3);
    let next = 0;
    let tasks: Record<string, Task> = {};
    for (; next < 300; next++) {
      const t = task(next, next, random);
      tasks[t.key] = t;
    }
    const filters: TaskFilter[] = [
      { state: ANY_VALUE, framework: ANY_VALUE, agent: ANY_VALUE, text: '' },
      { state: ANY_VALUE, framework: 'fw1', agent: ANY_VALUE, text: '' },
      { state: 'TASK_RUNNING', framework: ANY_VALUE, agent: 'a2', text: 'HEALTH' },
    ];
    const orders = filters.map(() => new TaskOrder());
    let clock = 1000;
    for (let step = 0; step < 400; step++) {
      tasks = { ...tasks };
      // Mostly a few changes; now and then many (a rebuild), or none.
      const changes = step % 50 === 0 ? 200 : Math.floor(random() * 8);
      for (let i = 0; i < changes; i++) {
        const roll = random();
        const keys = Object.keys(tasks);
        if (roll < 0.1 && keys.length > 0) delete tasks[keys[Math.floor(random() * keys.length)]!];
        else if (roll < 0.2) {
          const t = task(next++, clock++, random);
          tasks[t.key] = t;
        } else if (keys.length > 0) {
          const old = tasks[keys[Math.floor(random() * keys.length)]!]!;
          tasks[old.key] = { ...task(Number(old.id.slice(1)), clock++, random), seenAt: old.seenAt };
        }
      }
      filters.forEach((filter, f) => {
        expect(orders[f]!.update(tasks, filter)).toEqual(plain(tasks, filter));
        expect(orders[f]!.total).toBe(Object.keys(tasks).length);
      });
    }
  });

  it('gives the same array back when nothing it shows changed, and follows a filter change', () => {
    const random = prng(5);
    const tasks: Record<string, Task> = {};
    for (let n = 0; n < 20; n++) tasks[task(n, n, random).key] = task(n, n, random);
    const order = new TaskOrder();
    const fw0: TaskFilter = { state: ANY_VALUE, framework: 'fw0', agent: ANY_VALUE, text: '' };
    const rows = order.update(tasks, fw0);
    expect(order.update(tasks, { ...fw0 })).toBe(rows);
    // A task the filter leaves out changes: the rows stay the same array.
    const other = Object.values(tasks).find((t) => t.frameworkId === 'fw1')!;
    const changed = { ...tasks, [other.key]: { ...other, updatedAt: 99 } };
    expect(order.update(changed, fw0)).toBe(rows);
    expect(order.update(changed, { ...fw0, framework: 'fw1' })).toEqual(plain(changed, { ...fw0, framework: 'fw1' }));
  });
});
