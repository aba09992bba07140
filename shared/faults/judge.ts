import type { StatusEntry, Task } from '../dashboard/view';
import { TERMINAL_TASK_STATES } from '../mesos/v1';
import type { Expectation, ExpectedStatus } from './expectation';

/**
 * Compares what a fault's task went through with what docs/mesos/faults.md says it will: the update it ends with
 * (exactly: state, reason, source, message) and when, or, for faults that send none, that nothing came.
 */

export type Verdict = 'waiting' | 'as-expected' | 'different' | 'late' | 'early';

export interface Judgement {
  verdict: Verdict;
  /** The statuses the task got since the fault, reconciliation answers left out. */
  since: StatusEntry[];
  /** The one that matched, or the last one. */
  observed?: StatusEntry;
  /** From the fault to the matching update (or until now, when none is expected). */
  elapsedMs?: number;
  /** One line for people. */
  detail: string;
}

export interface JudgeInput {
  expectation: Expectation;
  injectedAt: number;
  task: Task | undefined;
  now: number;
  /** When a new leader was seen after the fault (row 18). */
  leaderChangedAt?: number;
  /** The framework's reconciliation answer, if the fault asked for one (row 14). */
  reconciled?: { state: string; reason?: string; source?: string; message?: string; at: number };
}

const summary = (s: Pick<StatusEntry, 'state' | 'reason' | 'source' | 'message'>): string => [s.state, s.reason ?? '', s.source ?? '', s.message ?? ''].join('\u0000');

export const matches = (s: Pick<StatusEntry, 'state' | 'reason' | 'source' | 'message'>, want: ExpectedStatus): boolean =>
  s.state === want.state && (s.reason ?? null) === want.reason && s.source === want.source && (s.message ?? '') === want.message;

export function judge({ expectation: exp, injectedAt, task, now, leaderChangedAt, reconciled }: JudgeInput): Judgement {
  // Strictly after: the update that showed the task running came (and was stamped) before the fault.
  const since = (task?.statuses ?? []).filter((s) => (s.at ?? now) > injectedAt && s.reason !== 'REASON_RECONCILIATION');
  const last = since.at(-1);
  const waited = now - injectedAt;

  if (exp.final === null) {
    // Mesos delivers updates at least once, so the update the task already had may come again (an agent
    // resends one whose acknowledgement a stopped leader never passed on): no change of state, not an update.
    const before = (task?.statuses ?? []).filter((s) => !since.includes(s) && s.reason !== 'REASON_RECONCILIATION').at(-1);
    const changed = since.filter((s) => !before || summary(s) !== summary(before));
    const change = changed.at(-1);
    if (change) return { verdict: 'different', since, observed: change, elapsedMs: (change.at ?? now) - injectedAt, detail: `An update came: ${change.state}${change.reason ? ` / ${change.reason}` : ''}, where none was expected.` };
    if (!task) return { verdict: waited > exp.withinMs ? 'different' : 'waiting', since, detail: 'The task is not in the view yet.' };
    if (exp.stays && task.state !== exp.stays) return { verdict: 'different', since, detail: `The task is ${task.state}, expected to stay ${exp.stays}.` };
    if (exp.leaderChange && leaderChangedAt === undefined) {
      return waited > exp.withinMs
        ? { verdict: 'late', since, elapsedMs: waited, detail: 'No new leader was elected in time.' }
        : { verdict: 'waiting', since, elapsedMs: waited, detail: 'Waiting for a standby to take the lead…' };
    }
    if (exp.reconcile && !reconciled) {
      return waited > exp.withinMs
        ? { verdict: 'late', since, elapsedMs: waited, detail: 'No answer to the reconciliation.' }
        : { verdict: 'waiting', since, elapsedMs: waited, detail: `No update so far; the master is asked after ${Math.round((exp.holdMs ?? 0) / 1000)} s.` };
    }
    if (exp.reconcile && reconciled && !matches({ ...reconciled, state: reconciled.state as ExpectedStatus['state'], source: reconciled.source as ExpectedStatus['source'] }, exp.reconcile)) {
      return { verdict: 'different', since, detail: `The master answered ${reconciled.state} / ${reconciled.reason ?? '–'} "${reconciled.message ?? ''}".` };
    }
    if (waited < (exp.holdMs ?? 0)) return { verdict: 'waiting', since, elapsedMs: waited, detail: `No update so far (${Math.round(waited / 1000)} s).` };
    const leader = leaderChangedAt !== undefined ? ` A new leader after ${((leaderChangedAt - injectedAt) / 1000).toFixed(1)} s.` : '';
    return { verdict: 'as-expected', since, elapsedMs: waited, detail: `No update for ${Math.round(waited / 1000)} s: the task is still ${task.state}.${leader}` };
  }

  const want = exp.final;
  const hit = since.find((s) => matches(s, want));
  const other = exp.otherwise ? since.find((s) => matches(s, exp.otherwise!)) : undefined;
  if (!hit && other && exp.otherwise) {
    const elapsedMs = (other.at ?? now) - injectedAt;
    return { verdict: elapsedMs > exp.withinMs ? 'late' : 'as-expected', since, observed: other, elapsedMs, detail: `${other.state.replace(/^TASK_/, '')} after ${(elapsedMs / 1000).toFixed(1)} s: ${exp.otherwise.when}.` };
  }
  if (hit) {
    const elapsedMs = (hit.at ?? now) - injectedAt;
    const secs = `${(elapsedMs / 1000).toFixed(1)} s`;
    if (elapsedMs > exp.withinMs) return { verdict: 'late', since, observed: hit, elapsedMs, detail: `As expected, but after ${secs} (expected within ${exp.withinMs / 1000} s).` };
    if (elapsedMs < exp.atLeastMs) return { verdict: 'early', since, observed: hit, elapsedMs, detail: `As expected, but already after ${secs} (expected no sooner than ${exp.atLeastMs / 1000} s).` };
    return { verdict: 'as-expected', since, observed: hit, elapsedMs, detail: `${want.state.replace(/^TASK_/, '')} after ${secs}, as faults.md says.` };
  }
  if (last && (TERMINAL_TASK_STATES.has(last.state) || last.state === want.state)) {
    return { verdict: 'different', since, observed: last, elapsedMs: (last.at ?? now) - injectedAt, detail: `Ended differently: ${last.state} / ${last.reason ?? '–'} / ${last.source ?? '?'} "${last.message ?? ''}".` };
  }
  if (waited > exp.withinMs) return { verdict: 'late', since, observed: last, elapsedMs: waited, detail: `Nothing as expected within ${exp.withinMs / 1000} s.` };
  return { verdict: 'waiting', since, observed: last, elapsedMs: waited, detail: last ? `${last.state.replace(/^TASK_/, '')} so far…` : 'Waiting for the update…' };
}
