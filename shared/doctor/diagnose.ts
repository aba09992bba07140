import type { StatusEntry, Task } from '../dashboard/view';
import { type Correlated, correlate, type Hit, hits, normalizeReason, pick, statusMatches } from './correlate';
import { DEFAULT_STAGING_THRESHOLD_MS, type DiagnoseInput, type Diagnosis, type DiagnosisLinks, type EvidenceItem } from './diagnosis';
import type { NodeRef } from './evidence';
import type { Rule } from './rule-schema';
import { RULES } from './rules';
import { registrationTimeoutOf, resolveSpecChange } from './spec-change';
import { buildTimeline, type Decisive, nodeName, seconds } from './timeline';
import { inRange, parseVersion, REFERENCE_MESOS_VERSION } from './version';

/**
 * The task doctor: why a task died, in plain words, with the evidence beside it. Pure: the same input
 * gives the same diagnosis, live or from a recording at the same moment. The rules are data
 * (rules.ts); this only finds the first that matches and fills it in. A status no rule knows is
 * reported as `unrecognised` with its raw fields, never guessed at.
 */

const ACTIVE = new Set(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);

/** Why the doctor has nothing to say of a task in this state, whatever the evidence (undefined: it may have). */
export function quietState(state: string): 'finished' | 'active' | undefined {
  if (state === 'TASK_FINISHED') return 'finished';
  return ACTIVE.has(state) ? 'active' : undefined;
}

export function diagnose(input: DiagnoseInput, rules: readonly Rule[] = RULES): Diagnosis {
  const { task } = input;
  const now = input.now ?? Date.now();
  const taskKey = task.key;
  const quiet = quietState(task.state);
  if (quiet) return { kind: 'none', taskKey, why: quiet };

  const parsed = input.mesosVersion ? parseVersion(input.mesosVersion) : null;
  const mesos = parsed ? { version: input.mesosVersion!, assumed: false } : { version: REFERENCE_MESOS_VERSION, assumed: true };
  const version = parsed ?? parseVersion(REFERENCE_MESOS_VERSION)!;
  const evidence = {
    dockerEvents: (input.dockerEvents ?? []).filter((e) => e.at <= now),
    logs: (input.logs ?? []).filter((l) => l.at <= now),
    agent: input.agent,
  };

  let status: StatusEntry | null = null;
  let statusIndex = -1;
  let moment: number;
  let stagingFor: number | undefined;
  if (task.state === 'TASK_STAGING') {
    stagingFor = now - task.seenAt;
    if (stagingFor < (input.stagingThresholdMs ?? DEFAULT_STAGING_THRESHOLD_MS)) return { kind: 'none', taskKey, why: 'staging' };
    moment = now;
  } else {
    statusIndex = task.statuses.findLastIndex((s) => s.state === task.state);
    // The master knows the new state, but the status carrying it is still on its way to the scheduler.
    if (statusIndex < 0) return { kind: 'none', taskKey, why: 'awaiting-status' };
    status = task.statuses[statusIndex]!;
    moment = status.at ?? task.updatedAt;
  }

  const c = correlate(task, moment, now, evidence);
  const reason = status ? normalizeReason(status.reason) : undefined;
  const subject = status ?? { state: task.state };

  for (const rule of rules) {
    const { when } = rule;
    if (when.mesos && !inRange(version, when.mesos)) continue;
    if (when.stuck && task.state !== 'TASK_STAGING') continue;
    const groups = statusMatches(when, subject, reason);
    if (!groups) continue;
    let after: StatusEntry | undefined;
    if (when.after) {
      const earlier = task.statuses.slice(0, Math.max(statusIndex, 0));
      after = earlier.findLast((s) => statusMatches(when.after!, s, normalizeReason(s.reason)) !== null);
      if (!after) continue;
    }
    const required = when.requires.map((m) => pick(hits(m, c, moment), moment));
    if (required.some((h) => h === undefined)) continue;

    const decisive = decisiveOf(rule, c, moment, statusIndex);
    const values: Record<string, string | undefined> = {
      ...contextValues(input, task, status, after, stagingFor),
      ...Object.assign({}, ...required.map((h) => h!.groups)),
      ...(decisive && 'hit' in decisive ? decisive.hit.groups : {}),
      ...groups,
    };
    const specChange = rule.specChange && input.spec ? resolveSpecChange(rule.specChange, input.spec, input.layout, input.agent?.node) : undefined;
    const timeline = buildTimeline({ task, rule, c, moment, decisive, stagingFor });
    return {
      kind: 'diagnosed',
      taskKey,
      at: moment,
      status,
      mesos,
      timeline,
      links: links(task, status, input, timeline),
      ruleId: rule.id,
      title: fill(rule.title, values),
      cause: fill(rule.cause, values),
      fix: fill(rule.fix, values),
      ...(specChange ? { specChange } : {}),
    };
  }

  const timeline = buildTimeline({ task, rule: undefined, c, moment, decisive: null, stagingFor });
  return {
    kind: 'unrecognised',
    taskKey,
    at: moment,
    status,
    mesos,
    timeline,
    links: links(task, status, input, timeline),
    raw: { state: task.state, reason: status?.reason, source: status?.source, message: status?.message },
  };
}

function decisiveOf(rule: Rule, c: Correlated, moment: number, statusIndex: number): Decisive {
  for (const m of rule.evidence.decisive) {
    const hit: Hit | undefined = pick(hits(m, c, moment), moment);
    if (hit) return { hit };
  }
  return statusIndex >= 0 ? { status: statusIndex } : { staging: true };
}

/** Template values every rule may use besides its message's named groups. */
function contextValues(input: DiagnoseInput, task: Task, status: StatusEntry | null, after: StatusEntry | undefined, stagingFor: number | undefined) {
  const spec = input.spec;
  const node = input.agent?.node;
  const state = task.state.replace(/^TASK_/, '');
  return {
    task: task.id,
    taskName: task.name,
    state,
    stateWord: STATE_WORDS[task.state] ?? `is ${state.toLowerCase()}`,
    message: status?.message || undefined,
    reasonWord: status?.reason?.endsWith('UNAUTHORIZED') ? 'authorization' : 'validation',
    mem: task.resources.mem > 0 ? String(task.resources.mem) : undefined,
    cpus: task.resources.cpus > 0 ? String(task.resources.cpus) : undefined,
    image: task.container?.image,
    agent: node ? nodeName(node) : (input.agent?.hostname ?? (task.agentId || undefined)),
    agentHost: input.agent?.hostname,
    framework: input.framework?.name ?? task.frameworkId,
    afterState: after ? after.state.replace(/^TASK_/, '').toLowerCase() : undefined,
    pings: spec ? String(spec.timers.maxAgentPingTimeouts) : undefined,
    registrationTimeout: spec ? registrationTimeoutOf(spec, input.layout, node).value : undefined,
    stagingFor: stagingFor !== undefined ? seconds(stagingFor) : undefined,
  };
}

const STATE_WORDS: Partial<Record<Task['state'], string>> = {
  TASK_LOST: 'was declared lost',
  TASK_UNREACHABLE: 'became unreachable',
  TASK_GONE: 'is gone',
  TASK_GONE_BY_OPERATOR: 'was marked gone',
  TASK_FAILED: 'failed',
  TASK_DROPPED: 'was dropped',
};

/** `{name}` → its value; `{name|fallback}` → the fallback when there is none. */
function fill(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)(?:\|([^}]*))?\}/g, (_, name: string, fallback: string | undefined) => values[name]?.trim() || fallback || `(${name} unknown)`);
}

function links(task: Task, status: StatusEntry | null, input: DiagnoseInput, timeline: readonly EvidenceItem[]): DiagnosisLinks {
  const executorId = task.executorId ?? task.id;
  const containerId = [...task.statuses].reverse().find((s) => s.containerId)?.containerId;
  const agentId = status?.agentId ?? task.agentId;
  const nodes = new Map<string, NodeRef>();
  if (input.agent?.node) nodes.set(nodeName(input.agent.node), input.agent.node);
  for (const item of timeline) if (item.log) nodes.set(nodeName(item.log.node), item.log.node);
  // A task rejected by the master (TASK_ERROR, invalid offers) never reached an agent: it has no sandbox.
  const reachedAgent = task.statuses.some((s) => s.source !== 'SOURCE_MASTER') || task.state === 'TASK_STAGING';
  return {
    sandbox: agentId && reachedAgent ? { agentId, frameworkId: task.frameworkId, executorId, containerId, path: `/frameworks/${task.frameworkId}/executors/${executorId}/runs/latest` } : undefined,
    nodeLogs: [...nodes.values()],
  };
}
