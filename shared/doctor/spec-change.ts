import { z } from 'zod';
import type { ClusterLayout } from '../cluster/layout';
import type { ClusterSpec } from '../cluster/spec';
import type { NodeRef } from './evidence';
import type { SpecSetting } from './rule-schema';

/**
 * Where a cause lies in the cluster's set-up, the doctor names the spec field to change and offers
 * the change. A rule says which setting is at fault (rule-schema.ts SpecSetting); this file
 * finds where the spec sets it for the task's agent (shared/cluster/spec.ts: `timers.*`, or
 * `agents.flags.<flag>` when agents are given by count, `agents.list[i].flags.<flag>` when listed),
 * and offers a change only when the current value is indeed the cause.
 */

export const SpecChangeSchema = z.object({
  /** `timers.executorRegistrationTimeout`, `agents.flags.containerizers`, `agents.list[1].flags.executor_environment_variables`. */
  path: z.string(),
  /** The value in the spec now; null when the field is not set there. */
  current: z.string().nullable(),
  /** The value to set; null: remove the field (Mesoscope's default then applies). */
  suggested: z.string().nullable(),
  /** What the change does, in a few words. */
  summary: z.string(),
});
export type SpecChange = z.infer<typeof SpecChangeSchema>;

/**
 * The fields a change from the doctor may touch: the cluster's timers and the masters' or agents'
 * flags. Anything else (`__proto__.polluted`, `name`, `images.agent`) is refused by name.
 */
const CHANGEABLE_PATH = /^(?:timers\.(?:executorRegistrationTimeout|agentPingTimeout|maxAgentPingTimeouts)|(?:masters|agents)\.flags\.[a-z][a-z0-9_]*|agents\.list\[\d{1,2}\]\.flags\.[a-z][a-z0-9_]*)$/;
export const ChangeablePathSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(CHANGEABLE_PATH, 'must be timers.<timer>, masters.flags.<flag>, agents.flags.<flag> or agents.list[i].flags.<flag>');

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, secs: 1e3, mins: 60e3, hrs: 3600e3, days: 86400e3, weeks: 604800e3 };

/** A Mesos duration (`2secs`, `1.5mins`) in ms; null when it is not one. */
export function durationMs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|secs|mins|hrs|days|weeks)\s*$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!]! : null;
}

interface AgentFlags {
  /** `agents.flags` or `agents.list[i].flags`. */
  prefix: string;
  flags: Record<string, string>;
}

/** The flags that apply to the agent at this node, and where the spec keeps them. */
function agentFlags(spec: ClusterSpec, layout: ClusterLayout | undefined, node: NodeRef | undefined): AgentFlags | null {
  if (!spec.agents.list) return { prefix: 'agents.flags', flags: spec.agents.flags };
  // Listed agents and the layout's slots are parallel lists (a slot keeps its index when one before it goes).
  const position = node && layout ? layout.agents.findIndex((a) => a.index === node.index) : -1;
  const agent = position >= 0 ? spec.agents.list[position] : undefined;
  return agent ? { prefix: `agents.list[${position}].flags`, flags: agent.flags } : null;
}

/** The executor registration timeout the agent runs with: its own flag, else the cluster's timer. */
export function registrationTimeoutOf(spec: ClusterSpec, layout?: ClusterLayout, node?: NodeRef): { path: string; value: string } {
  const agent = agentFlags(spec, layout, node);
  const own = agent?.flags.executor_registration_timeout;
  if (agent && own !== undefined) return { path: `${agent.prefix}.executor_registration_timeout`, value: own };
  return { path: 'timers.executorRegistrationTimeout', value: spec.timers.executorRegistrationTimeout };
}

/** The change that removes the cause, or undefined when the spec does not hold it (or is unknown). */
export function resolveSpecChange(setting: SpecSetting, spec: ClusterSpec, layout?: ClusterLayout, node?: NodeRef): SpecChange | undefined {
  switch (setting.setting) {
    case 'registration-timeout': {
      const { path, value } = registrationTimeoutOf(spec, layout, node);
      const now = durationMs(value);
      const floor = durationMs(setting.atLeast);
      if (now === null || floor === null || now >= floor) return undefined;
      return { path, current: value, suggested: setting.atLeast, summary: `Raise the executor registration timeout from ${value} to ${setting.atLeast}` };
    }
    case 'agent-flag': {
      const agent = agentFlags(spec, layout, node);
      const value = agent?.flags[setting.flag];
      if (!agent || value === undefined || !setting.causeIf.test(value)) return undefined;
      return {
        path: `${agent.prefix}.${setting.flag}`,
        current: value,
        suggested: setting.suggested,
        summary: setting.suggested === null ? `Remove --${setting.flag}=${value} (Mesoscope's default applies)` : `Set --${setting.flag} to ${setting.suggested}`,
      };
    }
    case 'executor-address':
      return executorAddressChange(spec, layout, node);
  }
}

/** LIBPROCESS_* given to executors, or the agent's own advertised / bind address, set in the spec. */
function executorAddressChange(spec: ClusterSpec, layout?: ClusterLayout, node?: NodeRef): SpecChange | undefined {
  const agent = agentFlags(spec, layout, node);
  if (!agent) return undefined;
  const env = agent.flags.executor_environment_variables;
  if (env !== undefined) {
    let parsed: Record<string, unknown> | null = null;
    try {
      const value: unknown = JSON.parse(env);
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
    } catch {
      parsed = null;
    }
    const libprocess = parsed ? Object.keys(parsed).filter((k) => k.startsWith('LIBPROCESS_')) : [];
    if (parsed && libprocess.length > 0) {
      const rest = Object.fromEntries(Object.entries(parsed).filter(([k]) => !k.startsWith('LIBPROCESS_')));
      return {
        path: `${agent.prefix}.executor_environment_variables`,
        current: env,
        suggested: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null,
        summary: `Stop overriding ${libprocess.join(', ')} for executors: they then advertise the agent's own address`,
      };
    }
  }
  for (const flag of ['advertise_ip', 'ip']) {
    const value = agent.flags[flag];
    if (value !== undefined) {
      return { path: `${agent.prefix}.${flag}`, current: value, suggested: null, summary: `Remove --${flag}=${value}: Mesoscope gives each agent an address its executors can reach` };
    }
  }
  return undefined;
}

/**
 * The spec with the change made (a new object; the input is not touched), e.g. to re-create the
 * cluster or add an agent with it. Works on a parsed spec or on the user's input.
 */
export function applySpecChange<T extends object>(spec: T, change: Pick<SpecChange, 'path' | 'suggested'>): T {
  const keys = parsePath(change.path);
  const root = structuredClone(spec) as Record<string, unknown>;
  let at: Record<string, unknown> | unknown[] = root;
  for (const [i, key] of keys.entries()) {
    const last = i === keys.length - 1;
    const holder = at as Record<string | number, unknown>;
    if (last) {
      if (change.suggested === null) {
        if (Array.isArray(holder)) throw new Error(`${change.path}: cannot remove a list entry`);
        delete holder[key];
      } else holder[key] = change.suggested;
      break;
    }
    let next = holder[key];
    if (next === undefined || next === null) {
      if (change.suggested === null) return root as T;
      next = typeof keys[i + 1] === 'number' ? [] : {};
      holder[key] = next;
    }
    if (typeof next !== 'object') throw new Error(`${change.path}: ${String(key)} is not an object`);
    at = next as Record<string, unknown>;
  }
  return root as T;
}

/** `agents.list[1].flags.x` → ['agents', 'list', 1, 'flags', 'x']. */
function parsePath(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([A-Za-z0-9_]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`Not a spec path: ${path}`);
    // A spec holds no such field; written through, it would change every object's prototype.
    if (m[1] === '__proto__' || m[1] === 'constructor' || m[1] === 'prototype') throw new Error(`Not a spec path: ${path}`);
    keys.push(m[1]!);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

/**
 * The change as one agent's own set-up, for replacing that agent (the engine cannot change a running
 * agent's flags): a cluster timer becomes the agent flag it sets (agent flags win over timers,
 * electron/engine/node-containers.ts), an agent flag is set or removed. null: not an agent's setting.
 */
export function agentSpecWithChange<A extends { flags: Record<string, string> }>(agent: A, change: Pick<SpecChange, 'path' | 'suggested'>): A | null {
  const flag = agentFlagOf(change.path);
  if (!flag) return null;
  const flags = { ...agent.flags };
  if (change.suggested === null) delete flags[flag];
  else flags[flag] = change.suggested;
  return { ...structuredClone(agent), flags };
}

const TIMER_FLAGS: Record<string, string> = { 'timers.executorRegistrationTimeout': 'executor_registration_timeout' };

/** The agent flag a spec path sets, if it is one. */
export function agentFlagOf(path: string): string | undefined {
  return TIMER_FLAGS[path] ?? /^agents\.(?:list\[\d+\]\.)?flags\.([a-z][a-z0-9_]*)$/.exec(path)?.[1];
}
