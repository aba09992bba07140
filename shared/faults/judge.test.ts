import { describe, expect, it } from 'vitest';
import type { StatusEntry, Task } from '../dashboard/view';
import type { Expectation } from './expectation';
import { judge } from './judge';

const T0 = 1_000_000;
const task = (state: Task['state'], statuses: StatusEntry[]): Task => ({
  key: 'f/t',
  id: 't',
  frameworkId: 'f',
  agentId: 'a',
  name: 't',
  state,
  resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
  statuses,
  seenAt: T0 - 5000,
  updatedAt: T0,
});
const running: StatusEntry = { state: 'TASK_RUNNING', at: T0 - 1000, source: 'SOURCE_EXECUTOR' };
const lost = (at: number, message = 'health check timed out'): StatusEntry => ({ state: 'TASK_LOST', at, source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message });
const pings: Expectation = {
  rows: '9',
  evidence: 'observed',
  final: { state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: 'health check timed out' },
  atLeastMs: 2000,
  withinMs: 8000,
  summary: '…',
};

describe('judging a fault by what its task went through', () => {
  it('waits while nothing came, then says as-expected with the time it took', () => {
    expect(judge({ expectation: pings, injectedAt: T0, task: task('TASK_RUNNING', [running]), now: T0 + 1000 }).verdict).toBe('waiting');
    const j = judge({ expectation: pings, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 3500)]), now: T0 + 4000 });
    expect([j.verdict, j.elapsedMs, j.detail]).toEqual(['as-expected', 3500, 'LOST after 3.5 s, as faults.md says.']);
    expect(j.since).toEqual([lost(T0 + 3500)]);
  });

  it('different when the task ends otherwise (another message), late or early when the time is off', () => {
    expect(judge({ expectation: pings, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 3500, 'Agent x disconnected')]), now: T0 + 4000 }).verdict).toBe('different');
    expect(judge({ expectation: pings, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 9000)]), now: T0 + 9000 }).verdict).toBe('late');
    expect(judge({ expectation: pings, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 500)]), now: T0 + 600 }).verdict).toBe('early');
    expect(judge({ expectation: pings, injectedAt: T0, task: task('TASK_RUNNING', [running]), now: T0 + 20_000 }).verdict).toBe('late');
  });

  it('waits through intermediate states (STARTING, RUNNING) of a task the fault launched', () => {
    const oom: Expectation = { ...pings, atLeastMs: 0, final: { state: 'TASK_FAILED', reason: null, source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137' } };
    const starting: StatusEntry = { state: 'TASK_STARTING', at: T0 + 100, source: 'SOURCE_EXECUTOR' };
    expect(judge({ expectation: oom, injectedAt: T0, task: task('TASK_STARTING', [starting]), now: T0 + 200 }).verdict).toBe('waiting');
    const failed: StatusEntry = { state: 'TASK_FAILED', at: T0 + 900, source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137' };
    expect(judge({ expectation: oom, injectedAt: T0, task: task('TASK_FAILED', [starting, failed]), now: T0 + 1000 }).verdict).toBe('as-expected');
  });

  it('no update expected (row 14): as-expected after the hold with the reconciliation answer; different if any update came', () => {
    const staging: Expectation = {
      ...pings,
      final: null,
      stays: 'TASK_STAGING',
      atLeastMs: 0,
      holdMs: 5000,
      withinMs: 20_000,
      reconcile: { state: 'TASK_STAGING', reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER', message: 'Reconciliation: Latest task state' },
    };
    const t = task('TASK_STAGING', []);
    expect(judge({ expectation: staging, injectedAt: T0, task: t, now: T0 + 2000 }).verdict).toBe('waiting');
    const answer = { state: 'TASK_STAGING', reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER', message: 'Reconciliation: Latest task state', at: T0 + 5100 };
    expect(judge({ expectation: staging, injectedAt: T0, task: t, now: T0 + 5200, reconciled: answer }).verdict).toBe('as-expected');
    expect(judge({ expectation: staging, injectedAt: T0, task: task('TASK_FAILED', [{ state: 'TASK_FAILED', at: T0 + 10 }]), now: T0 + 5200, reconciled: answer }).verdict).toBe('different');
  });

  it('no update across a leader change (row 18): needs the new leader; the pre-fault RUNNING does not count', () => {
    const failover: Expectation = { ...pings, final: null, stays: 'TASK_RUNNING', leaderChange: true, atLeastMs: 0, holdMs: 3000, withinMs: 30_000 };
    const t = task('TASK_RUNNING', [{ ...running, at: T0 }]);
    expect(judge({ expectation: failover, injectedAt: T0, task: t, now: T0 + 9000 }).verdict).toBe('waiting');
    expect(judge({ expectation: failover, injectedAt: T0, task: t, now: T0 + 9000, leaderChangedAt: T0 + 8000 }).detail).toBe('No update for 9 s: the task is still TASK_RUNNING. A new leader after 8.0 s.');
    expect(judge({ expectation: failover, injectedAt: T0, task: t, now: T0 + 40_000 }).verdict).toBe('late');
    // The same RUNNING again (delivered at least once) is no update; any other is.
    const again = task('TASK_RUNNING', [{ ...running, at: T0 - 500 }, { ...running, at: T0 + 20 }]);
    expect(judge({ expectation: failover, injectedAt: T0, task: again, now: T0 + 9000, leaderChangedAt: T0 + 8000 }).verdict).toBe('as-expected');
    const other = task('TASK_RUNNING', [{ ...running, at: T0 - 500 }, { ...running, message: 'another', at: T0 + 20 }]);
    expect(judge({ expectation: failover, injectedAt: T0, task: other, now: T0 + 9000, leaderChangedAt: T0 + 8000 }).detail).toBe('An update came: TASK_RUNNING, where none was expected.');
  });

  it('takes the other outcome a fault names as expected too, and says which it was', () => {
    const wipe: Expectation = {
      ...pings,
      final: { state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: 'Agent h removed: a new agent registered at the same address' },
      otherwise: { state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: 'health check timed out', when: 'the pings ran out before the new agent registered' },
      atLeastMs: 0,
    };
    const j = judge({ expectation: wipe, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 3500)]), now: T0 + 4000 });
    expect([j.verdict, j.detail]).toEqual(['as-expected', 'LOST after 3.5 s: the pings ran out before the new agent registered.']);
    const other = judge({ expectation: wipe, injectedAt: T0, task: task('TASK_LOST', [running, lost(T0 + 3500, 'something else')]), now: T0 + 4000 });
    expect(other.verdict).toBe('different');
  });
});
