import type { Task } from '../dashboard/view';
import type { EvidenceItem } from './diagnosis';
import type { DockerEvent, LogLine, NodeRef } from './evidence';
import { type Correlated, type Hit, mentions } from './correlate';
import { EVIDENCE_SOURCES, type Rule } from './rule-schema';

/**
 * One timeline of everything that explains a task: its status history, the Docker events of its
 * container and of its agent's container, the relevant log lines and the agent's state, merged and
 * sorted by time, with the decisive item flagged.
 */

/** Log lines per node kind at most, the ones nearest the moment. */
const MAX_LOG_LINES = 25;
/** Warnings and errors of the agent this near the moment are shown even when they name nothing. */
const NEAR_MS = 10_000;

/** What is decisive: a piece of evidence, the status explained, or (STAGING) the absence of any. */
export type Decisive = { hit: Hit } | { status: number } | { staging: true } | null;

export interface TimelineArgs {
  task: Task;
  rule: Rule | undefined;
  c: Correlated;
  moment: number;
  decisive: Decisive;
  /** For a task stuck in STAGING: how long, in ms. */
  stagingFor?: number;
}

const ORDER: Record<EvidenceItem['kind'], number> = { docker: 0, log: 1, status: 2, agent: 3 };

export function buildTimeline({ task, rule, c, moment, decisive, stagingFor }: TimelineArgs): EvidenceItem[] {
  const show = new Set(rule?.evidence.show ?? EVIDENCE_SOURCES);
  const items: EvidenceItem[] = [];
  const isHit = (kind: Hit['kind'], record: unknown) => decisive !== null && 'hit' in decisive && decisive.hit.kind === kind && (decisive.hit.docker ?? decisive.hit.log) === record;

  items.push({ id: 'seen', at: task.seenAt, kind: 'status', source: 'task-status', title: 'Task launched (TASK_STAGING)', decisive: false });
  task.statuses.forEach((s, i) => {
    items.push({
      id: `status:${i}`,
      at: s.at ?? task.seenAt,
      kind: 'status',
      source: 'task-status',
      title: [s.state, s.reason].filter(Boolean).join(' · '),
      detail: [s.message, s.source && `from ${s.source.replace('SOURCE_', '').toLowerCase()}`].filter(Boolean).join(' — ') || undefined,
      decisive: decisive !== null && 'status' in decisive && decisive.status === i,
      status: s,
    });
  });
  if (stagingFor !== undefined) {
    items.push({
      id: 'staging',
      at: moment,
      kind: 'status',
      source: 'task-status',
      title: `Still TASK_STAGING after ${seconds(stagingFor)}: no status update`,
      decisive: decisive !== null && 'staging' in decisive,
    });
  }

  const docker = [...(show.has('task-container') ? c.taskDocker : []), ...(show.has('agent-container') ? c.agentDocker : [])];
  for (const e of docker) {
    items.push({
      id: `docker:${e.dockerId.slice(0, 12)}:${e.action}:${e.at}`,
      at: e.at,
      kind: 'docker',
      source: e.role === 'task' ? 'task-container' : 'agent-container',
      title: dockerTitle(e),
      detail: e.container,
      decisive: isHit('docker', e),
      node: e.node,
      docker: e,
    });
  }

  const patterns = rule ? logPatternsOf(rule) : { agent: [], master: [] };
  const relevant = (l: LogLine, own: RegExp[], warnings: boolean) =>
    isHit('log', l) || mentions(l.text, c.ids) || own.some((p) => p.test(l.text)) || (warnings && l.level !== undefined && l.level !== 'I' && Math.abs(l.at - moment) <= NEAR_MS);
  const lines = [
    ...(show.has('agent-log') ? nearest(c.agentLogs.filter((l) => relevant(l, patterns.agent, true)), moment, (l) => isHit('log', l)) : []),
    ...(show.has('master-log') ? nearest(c.masterLogs.filter((l) => relevant(l, patterns.master, false)), moment, (l) => isHit('log', l)) : []),
  ];
  lines.forEach((l, i) => {
    items.push({
      id: `log:${l.node.role}-${l.node.index}:${l.at}:${i}`,
      at: l.at,
      kind: 'log',
      source: l.node.role === 'agent' ? 'agent-log' : 'master-log',
      title: l.text,
      detail: [`${l.node.role} ${l.node.index}`, l.file].filter(Boolean).join(' · '),
      decisive: isHit('log', l),
      node: l.node,
      log: l,
    });
  });

  if (show.has('agent-state') && c.agent && c.agent.state !== 'registered') {
    items.push({
      id: 'agent',
      at: c.agent.since ?? moment,
      kind: 'agent',
      source: 'agent-state',
      title: `The master sees agent ${c.agent.hostname ?? c.agent.id} as ${c.agent.state}`,
      detail: c.agent.id,
      decisive: decisive !== null && 'hit' in decisive && decisive.hit.kind === 'agent',
      node: c.agent.node,
    });
  }

  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.at - b.item.at || ORDER[a.item.kind] - ORDER[b.item.kind] || a.i - b.i)
    .map(({ item }) => item);
}

/** The log patterns a rule names for each node kind: those it shows, requires or calls decisive. */
function logPatternsOf(rule: Rule): { agent: RegExp[]; master: RegExp[] } {
  const named = [...rule.when.requires, ...rule.evidence.decisive].flatMap((m) => (m.kind === 'log' ? [m] : []));
  return {
    agent: [...rule.evidence.logPatterns, ...named.filter((m) => m.node === 'agent').map((m) => m.pattern)],
    master: [...rule.evidence.logPatterns, ...named.filter((m) => m.node === 'master').map((m) => m.pattern)],
  };
}

/** At most MAX_LOG_LINES, nearest the moment, the decisive one always among them; in time order. */
function nearest(lines: LogLine[], moment: number, keep: (l: LogLine) => boolean): LogLine[] {
  if (lines.length <= MAX_LOG_LINES) return lines;
  const chosen = new Set(
    [...lines].sort((a, b) => Number(keep(b)) - Number(keep(a)) || Math.abs(a.at - moment) - Math.abs(b.at - moment)).slice(0, MAX_LOG_LINES),
  );
  return lines.filter((l) => chosen.has(l));
}

const ACTIONS: Record<string, string> = {
  create: 'created',
  start: 'started',
  die: 'died',
  oom: 'ran out of memory (OOM kill)',
  kill: 'was sent a signal',
  stop: 'stopped',
  pause: 'paused',
  unpause: 'unpaused',
  restart: 'restarted',
  destroy: 'removed',
};

function dockerTitle(e: DockerEvent): string {
  const who = e.role === 'task' ? 'Task container' : `${e.role[0]!.toUpperCase()}${e.role.slice(1)} container${e.node ? ` (${nodeName(e.node)})` : ''}`;
  const what = ACTIONS[e.action] ?? e.action;
  const extra = [
    e.action === 'die' && e.exitCode !== undefined ? `exit ${e.exitCode}` : undefined,
    e.action === 'die' && e.oomKilled ? 'OOM killed' : undefined,
    e.action === 'kill' && e.signal ? `signal ${e.signal}` : undefined,
  ].filter(Boolean);
  return `${who} ${what}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

export const nodeName = (n: NodeRef) => `${n.role} ${n.index}`;

export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
