import type { StatusEntry, Task } from '../dashboard/view';
import type { AgentEvidence, DockerEvent, LogLine, NodeRef } from './evidence';
import type { EvidenceMatch } from './rule-schema';

/**
 * Evidence correlated with one task by time and id: the Docker events of its container (by the Mesos
 * ContainerID of its statuses) and of its agent's container (by node), its agent's and the masters'
 * log lines, all within the task's life and up to the moment diagnosed (never after `now`).
 */

/** Docker stamps its events, Mesos its statuses: the same moment may differ by this much either way. */
export const SLACK_MS = 3000;
/** Evidence before the task was first seen that still belongs to its story (an agent paused just before). */
export const BEFORE_MS = 5000;
/** Log lines after the moment that still explain it (the master logs the LOST it just sent). */
export const AFTER_MS = 30_000;

export interface Correlated {
  taskDocker: DockerEvent[];
  agentDocker: DockerEvent[];
  agentLogs: LogLine[];
  masterLogs: LogLine[];
  agent?: AgentEvidence;
  /** Ids a relevant log line names: the task's, its containers'. (Not the agent's: a master names it in every offer.) */
  ids: string[];
}

export interface Hit {
  kind: 'docker' | 'log' | 'agent';
  at: number;
  docker?: DockerEvent;
  log?: LogLine;
  groups: Record<string, string>;
}

export function correlate(
  task: Task,
  moment: number,
  limit: number,
  evidence: { dockerEvents: readonly DockerEvent[]; logs: readonly LogLine[]; agent?: AgentEvidence },
): Correlated {
  const from = task.seenAt - BEFORE_MS;
  const to = Math.min(limit, moment + AFTER_MS);
  const within = (at: number) => at >= from && at <= to;
  const containerIds = new Set(task.statuses.flatMap((s) => (s.containerId ? [s.containerId] : [])));
  const agentNode: NodeRef | undefined = evidence.agent?.node;
  const byTime = <T extends { at: number }>(list: T[]) => list.sort((a, b) => a.at - b.at);
  return {
    taskDocker: byTime(evidence.dockerEvents.filter((e) => e.role === 'task' && e.mesosContainerId !== undefined && containerIds.has(e.mesosContainerId) && within(e.at))),
    agentDocker: byTime(evidence.dockerEvents.filter((e) => e.role === 'agent' && agentNode !== undefined && e.node?.index === agentNode.index && within(e.at))),
    // Without the agent's node, agent lines are taken as the caller gave them (already the agent's).
    agentLogs: byTime(evidence.logs.filter((l) => l.node.role === 'agent' && (agentNode === undefined || l.node.index === agentNode.index) && within(l.at))),
    masterLogs: byTime(evidence.logs.filter((l) => l.node.role === 'master' && within(l.at))),
    agent: evidence.agent,
    ids: [task.id, ...containerIds].filter((id) => id !== ''),
  };
}

/** Every piece of evidence that matches, with the named groups of its pattern. */
export function hits(match: EvidenceMatch, c: Correlated, moment: number): Hit[] {
  switch (match.kind) {
    case 'docker': {
      const events = match.role === 'task' ? c.taskDocker : c.agentDocker;
      const fits = (e: DockerEvent) =>
        match.actions.includes(e.action) &&
        (match.exitCode === undefined || e.exitCode === match.exitCode) &&
        (match.oomKilled === undefined || (e.action === 'oom' || e.oomKilled === true) === match.oomKilled);
      if (match.latest) {
        // The container's last event by the time of the status: the agent is still paused, still stopped.
        const last = events.filter((e) => e.at <= moment + SLACK_MS).at(-1);
        return last && fits(last) ? [{ kind: 'docker', at: last.at, docker: last, groups: {} }] : [];
      }
      return events.filter(fits).map((e) => ({ kind: 'docker' as const, at: e.at, docker: e, groups: {} }));
    }
    case 'log': {
      const lines = match.node === 'agent' ? c.agentLogs : c.masterLogs;
      return lines.flatMap((l) => {
        const m = match.pattern.exec(l.text);
        return m ? [{ kind: 'log' as const, at: l.at, log: l, groups: { ...m.groups } }] : [];
      });
    }
    case 'agent':
      return c.agent && match.states.includes(c.agent.state) ? [{ kind: 'agent', at: c.agent.since ?? moment, groups: {} }] : [];
  }
}

/** The hit nearest the moment from before it (what led to it), else the first one after. */
export function pick(list: readonly Hit[], moment: number): Hit | undefined {
  const before = list.filter((h) => h.at <= moment + SLACK_MS);
  return before.at(-1) ?? list[0];
}

/** A status whose reason / source / message fits, with its named groups. */
export function statusMatches(
  m: { states: readonly string[]; reasons?: readonly (string | null)[]; sources?: readonly (string | null)[]; message?: RegExp },
  s: Pick<StatusEntry, 'state' | 'reason' | 'source' | 'message'>,
  reason: string | undefined,
): Record<string, string> | null {
  if (!m.states.includes(s.state)) return null;
  if (m.reasons && !m.reasons.includes(reason ?? null)) return null;
  if (m.sources && !m.sources.includes(s.source ?? null)) return null;
  if (!m.message) return {};
  const found = m.message.exec(s.message ?? '');
  return found ? { ...found.groups } : null;
}

/** v0 spellings (metrics, logs, v0 JSON) to v1; the deprecated enum default means "no reason" (docs/mesos/api.md §4.3). */
export function normalizeReason(reason: string | undefined): string | undefined {
  if (!reason || reason === 'REASON_COMMAND_EXECUTOR_FAILED') return undefined;
  return reason.replace(/^REASON_SLAVE_/, 'REASON_AGENT_');
}

/** Whether a log line names the task, its container or its agent (as a whole word). */
export function mentions(text: string, ids: readonly string[]): boolean {
  return ids.some((id) => {
    let from = text.indexOf(id);
    while (from >= 0) {
      const before = text[from - 1];
      const after = text[from + id.length];
      if (!isIdChar(before) && !isIdChar(after)) return true;
      from = text.indexOf(id, from + 1);
    }
    return false;
  });
}

const isIdChar = (c: string | undefined) => c !== undefined && /[\w-]/.test(c);
