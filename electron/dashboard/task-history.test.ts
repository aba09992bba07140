import { describe, expect, it } from 'vitest';
import type { StatusEntry } from '@shared/dashboard/view';
import { MAX_STATUS_HISTORY, mergeStatuses } from './task-history';

const running = (at: number, healthy: boolean): StatusEntry => ({ state: 'TASK_RUNNING', at, source: 'SOURCE_EXECUTOR', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', healthy });
const staging: StatusEntry = { state: 'TASK_STAGING', at: 1000, source: 'SOURCE_MASTER' };

describe('a task status history', () => {
  it('keeps its first status and the latest ones, MAX_STATUS_HISTORY in all, however long the task runs', () => {
    let history: readonly StatusEntry[] = [staging];
    for (let i = 1; i <= 200; i++) history = mergeStatuses(history, [running(1000 + i * 10, i % 2 === 0)]);
    expect(history).toHaveLength(MAX_STATUS_HISTORY);
    expect(history[0]).toEqual(staging);
    expect(history.at(-1)).toEqual(running(3000, true));
    expect(history[1]).toEqual(running(1000 + (200 - MAX_STATUS_HISTORY + 2) * 10, (200 - MAX_STATUS_HISTORY + 2) % 2 === 0));
  });

  it('does not take back a status it dropped when a resync snapshot repeats it, nor doubles one it kept', () => {
    let history: readonly StatusEntry[] = [staging];
    for (let i = 1; i <= 100; i++) history = mergeStatuses(history, [running(1000 + i * 10, i % 2 === 0)]);
    const again = mergeStatuses(history, [running(1010, false), running(2000, true)]);
    expect(again).toBe(history);
  });

  it('keeps every status of a short history, in arrival order', () => {
    const history = mergeStatuses([staging], [running(1100, true), { state: 'TASK_FINISHED', at: 1200 }]);
    expect(history.map((s) => s.state)).toEqual(['TASK_STAGING', 'TASK_RUNNING', 'TASK_FINISHED']);
  });
});
