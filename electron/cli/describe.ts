import type { ClusterSummary } from '@shared/cluster/status';
import type { ClusterView, StatusEntry, Task } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import type { Injection } from '@shared/contract/runs';
import { statusText } from '@shared/faults/expectation';
import type { Judgement } from '@shared/faults/judge';
import type { UndoResult } from '../scripting/cluster-session';
import { ago, table } from './format';

/** How the CLI puts tasks, diagnoses and fault outcomes into words (text mode). */

const short = (s: string | undefined, prefix: RegExp) => (s ? s.replace(prefix, '') : '-');

/** `agent-2` for a Mesos agent id, through its port (the cluster's layout), else the id. */
export function agentName(summary: Pick<ClusterSummary, 'layout'> | undefined, view: ClusterView | null, agentId: string): string {
  const agent = view?.agents[agentId];
  const slot = summary?.layout.agents.find((a) => a.port === agent?.port);
  if (slot) return `agent-${slot.index}`;
  // An attached cluster has no layout of ours: the agent as its masters name it.
  if (!summary && agent) return `${agent.hostname}:${agent.port ?? 5051}`;
  return agentId || '-';
}

export interface TaskRow {
  framework: string;
  frameworkId: string;
  id: string;
  key: string;
  state: string;
  reason: string | null;
  message: string | null;
  agent: string;
  agentId: string;
  /** Its first status' time (a process that just started watching saw every task just now). */
  startedAt: number;
  updatedAt: number;
}

export function taskRows(tasks: Task[], summary: Pick<ClusterSummary, 'layout'> | undefined, view: ClusterView | null): TaskRow[] {
  return tasks.map((t) => {
    const last = t.statuses.at(-1);
    return {
      framework: view?.frameworks[t.frameworkId]?.name ?? t.frameworkId,
      frameworkId: t.frameworkId,
      id: t.id,
      key: t.key,
      state: t.state,
      reason: last?.reason ?? null,
      message: last?.message ?? null,
      agent: agentName(summary, view, t.agentId),
      agentId: t.agentId,
      startedAt: t.statuses[0]?.at ?? t.seenAt,
      updatedAt: t.updatedAt,
    };
  });
}

export function taskTable(rows: TaskRow[]): string {
  return table(
    ['FRAMEWORK', 'ID', 'STATE', 'REASON', 'AGENT', 'AGE'],
    rows.map((r) => [r.framework, r.id, short(r.state, /^TASK_/), short(r.reason ?? undefined, /^REASON_/), r.agent, ago(r.startedAt)]),
  );
}

export function statusLine(s: StatusEntry | undefined): string {
  if (!s) return 'no status yet (STAGING)';
  return statusText({ state: s.state, reason: s.reason ?? null, source: s.source ?? 'SOURCE_MASTER', message: s.message ?? '' });
}

/** A task's status history, one line a status; those known before an attach are marked so. */
export function taskHistoryText(task: Task): string {
  const lines = [`${task.id} (${task.frameworkId}) on ${task.agentId || 'no agent yet'}: ${task.state}`];
  if (task.statuses.length === 0) lines.push('  no status yet (STAGING)');
  for (const s of task.statuses) {
    const at = s.at !== undefined ? new Date(s.at).toISOString() : '(no time)';
    lines.push(`  ${at}  ${statusLine(s)}${s.beforeAttach ? '  [before attach]' : ''}`);
  }
  return lines.join('\n');
}

/** A diagnosis as text: the verdict, cause, fix and the decisive evidence. */
export function diagnosisText(taskId: string, d: Diagnosis): string {
  if (d.kind === 'none') return `${taskId}: nothing to diagnose (${d.why}).`;
  const lines = [`${taskId}: ${statusLine(d.status ?? undefined)}`];
  if (d.kind === 'unrecognised') {
    lines.push(`  Unrecognised: no rule knows this status; shown raw, not guessed at.`);
  } else {
    lines.push(`  ${d.title}`, `  Cause: ${d.cause}`, `  Fix: ${d.fix}`);
    if (d.specChange) lines.push(`  Spec change: ${d.specChange.path}: ${d.specChange.suggested ?? '(remove)'}`);
  }
  const decisive = d.timeline.find((e) => e.decisive);
  if (decisive) lines.push(`  Decisive: ${new Date(decisive.at).toISOString()} ${decisive.title}${decisive.detail ? ` — ${decisive.detail}` : ''}`);
  lines.push(`  Evidence: ${d.timeline.length} item${d.timeline.length === 1 ? '' : 's'} (mesoscope doctor --json for all)`);
  for (const gap of d.evidenceGaps ?? []) lines.push(`  Not seen: ${gap}`);
  return lines.join('\n');
}

export function injectionText(i: Injection): string {
  const exp = i.expectation;
  const lines = [`Fault ${i.fault} on ${i.cluster}: task ${i.taskId}${i.node ? ` · ${i.node}` : ''}`, ...i.steps.map((s) => `  · ${s}`)];
  lines.push(`Expected (faults.md ${exp.rows}, ${exp.evidence}): ${exp.final ? statusText(exp.final) : `no update, stays ${exp.stays ?? 'as it is'}`}`);
  lines.push(`  ${exp.summary}`);
  return lines.join('\n');
}

export function judgementText(i: Injection, j: Judgement): string {
  const label = { waiting: 'still waiting', 'as-expected': 'AS EXPECTED', different: 'DIFFERENT', late: 'LATE', early: 'EARLY' }[j.verdict];
  const lines = [`Observed: ${j.observed ? statusLine(j.observed) : 'no update'}${j.elapsedMs !== undefined ? ` after ${(j.elapsedMs / 1000).toFixed(1)} s` : ''}`, `Verdict: ${label} — ${j.detail}`];
  if (i.expectation.then) lines.push(`Then: ${i.expectation.then}`);
  if (i.node) lines.push(`Undo: mesoscope undo ${i.cluster} ${i.fault}`);
  return lines.join('\n');
}

export function undoText(u: UndoResult): string {
  const lines = [`Undone ${u.fault}: ${u.action} ${u.node}`];
  if (u.expected) lines.push(`Expected: ${u.expected}`);
  lines.push(u.observed.length ? 'Observed:' : 'Observed: no task update since.');
  for (const o of u.observed) lines.push(`  ${o.taskKey.split('/').at(-1)}: ${o.status?.state === o.state ? statusLine(o.status) : o.state}`);
  return lines.join('\n');
}
