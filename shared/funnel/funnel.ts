import type { Agent, Framework, Offer, Task } from '../dashboard/view';
import { FAULT_AGENT_ATTRIBUTE } from '../faults/catalog';
import { TERMINAL_TASK_STATES } from '../mesos/v1';
import type { OfferDecision } from '../runs/schemas';

/**
 * Why a task is not launching: every agent, and every offer the framework received for it, checked
 * against what the task needs, naming the first dimension that does not fit with the numbers beside it;
 * and, when no offer came at all, which of the known reasons holds. Pure: over what the app sees (the
 * dashboard's agents, outstanding offers, tasks and frameworks; the framework's own offer decisions), so
 * a run of the built-in framework and a service instance ask it alike.
 */

/** The order in which an agent or an offer is checked; the first that fails is named. */
export const DIMENSIONS = ['agent', 'role', 'pin', 'attributes', 'cpus', 'mem', 'disk', 'ports'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface TaskNeeds {
  cpus: number;
  /** MB */
  mem: number;
  /** MB */
  disk?: number;
  /** How many ports. */
  ports?: number;
  /** The role the resources must be allocated to; '*' (or absent): any. */
  role?: string;
  /** Pinned to this agent (its Mesos id). */
  agentId?: string;
  /** Attributes the agent must have, with these values. */
  attributes?: Record<string, string>;
}

export interface OurFramework {
  /** Its framework ids (each variant of the built-in framework is one). */
  ids: readonly string[];
  /** The roles it subscribed with. */
  roles: readonly string[];
  /** subscribed, subscribing, reconnecting, failed, closed. */
  state: string;
  error?: string;
  /** It told the master to stop sending offers (SUPPRESS). */
  suppressed?: boolean;
}

export interface FunnelInput {
  needs: TaskNeeds;
  framework: OurFramework;
  agents: readonly Agent[];
  /** Outstanding offers of every framework (the dashboard's offer polls). */
  offers: readonly Offer[];
  tasks: readonly Task[];
  frameworks: Readonly<Record<string, Framework>>;
  /** What our framework did with the offers it received (any time; the ones since `since` count). */
  decisions: readonly OfferDecision[];
  /** When the task began waiting (ms). */
  since: number;
  now: number;
}

export interface OfferCheck {
  offerId: string;
  at: number;
  outcome: OfferDecision['outcome'];
  fits: boolean;
  dimension?: Dimension;
  text: string;
}

export interface AgentCheck {
  agentId: string;
  /** hostname:port, as the UI names agents. */
  name: string;
  fits: boolean;
  dimension?: Dimension;
  text: string;
  /** Other frameworks holding this agent's resources: "name (id): 2 tasks", "name (id): an offer". */
  holders: string[];
  /** The offers for this agent our framework received since the task began waiting, oldest first. */
  offers: OfferCheck[];
}

export interface Funnel {
  agents: AgentCheck[];
  /** Offers received since the task began waiting. */
  offersReceived: number;
  /** When no offer came (or none fits): which of the known reasons hold, most decisive first. */
  reasons: string[];
  /** One line. */
  headline: string;
}

const EPSILON = 1e-9;
/** Tasks that no longer hold their agent's resources (an unreachable one neither, as the dashboard counts). */
const TERMINAL: ReadonlySet<string> = new Set([...TERMINAL_TASK_STATES, 'TASK_UNREACHABLE']);

const num = (n: number) => String(Math.round(n * 100) / 100);
const agentName = (a: Agent) => (a.port ? `${a.hostname}:${a.port}` : a.hostname || a.id);

/** How many ports a Mesos ranges string holds: `[31000-31099, 32000-32000]` → 101. */
export function portCount(ranges: string | undefined): number {
  if (!ranges) return 0;
  let n = 0;
  for (const m of ranges.matchAll(/(\d+)\s*-\s*(\d+)/g)) n += Number(m[2]) - Number(m[1]) + 1;
  return n;
}

interface Amounts {
  cpus: number;
  mem: number;
  disk: number;
  ports: number;
}

const UNIT: Record<keyof Amounts, string> = { cpus: '', mem: ' MB', disk: ' MB', ports: '' };

/** The first of cpus, mem, disk, ports where `have` is short of the need, with both numbers. */
function shortOf(needs: TaskNeeds, have: Amounts): { dimension: keyof Amounts; need: number; have: number } | undefined {
  const want: Amounts = { cpus: needs.cpus, mem: needs.mem, disk: needs.disk ?? 0, ports: needs.ports ?? 0 };
  for (const d of ['cpus', 'mem', 'disk', 'ports'] as const) {
    if (want[d] > have[d] + EPSILON) return { dimension: d, need: want[d], have: have[d] };
  }
  return undefined;
}

/** Pin, the fault agents' reservation and attributes: whether this agent may take the task at all. */
function placement(needs: TaskNeeds, agent: Agent, pinnedName?: string): { dimension: Dimension; text: string } | undefined {
  if (needs.agentId !== undefined && needs.agentId !== agent.id) return { dimension: 'pin', text: `pin: the task is pinned to ${pinnedName ?? `agent ${needs.agentId}`}` };
  const fault = agent.attributes[FAULT_AGENT_ATTRIBUTE];
  if (fault !== undefined && needs.agentId === undefined) return { dimension: 'attributes', text: `attributes: ${FAULT_AGENT_ATTRIBUTE}=${fault}, kept for the fault that added it (only tasks pinned to it go there)` };
  for (const [k, v] of Object.entries(needs.attributes ?? {})) {
    const has = agent.attributes[k];
    if (has !== v) return { dimension: 'attributes', text: `attributes: needs ${k}=${v}, the agent has ${has === undefined ? `no ${k}` : `${k}=${has}`}` };
  }
  return undefined;
}

function roleProblem(needs: TaskNeeds, framework: OurFramework): string | undefined {
  const role = needs.role ?? '*';
  if (role === '*' || framework.roles.includes(role)) return undefined;
  return `role: needs role ${role}, the framework subscribed with ${framework.roles.join(', ') || 'no role'}`;
}

function frameworkName(frameworks: Readonly<Record<string, Framework>>, id: string): string {
  const f = frameworks[id];
  return f ? `${f.name} (${id})` : id;
}

export function explainFunnel(input: FunnelInput): Funnel {
  const { needs, framework, now, since } = input;
  const ours = new Set(framework.ids);
  const role = roleProblem(needs, framework);
  const received = input.decisions.filter((d) => ours.has(d.frameworkId) && d.at >= since && d.outcome !== 'rescinded');
  const agents = [...input.agents].sort((a, b) => agentName(a).localeCompare(agentName(b), undefined, { numeric: true }));
  const pinned = agents.find((a) => a.id === needs.agentId);
  const pinnedName = pinned ? agentName(pinned) : undefined;

  const checks = agents.map((agent): AgentCheck => {
    const holders = holdersOf(agent, input, ours);
    const offers = received.filter((d) => d.agentId === agent.id).map((d) => checkOffer(needs, d, role, agent, pinnedName));
    const base = { agentId: agent.id, name: agentName(agent), holders, offers };
    if (agent.state !== 'active') return { ...base, fits: false, dimension: 'agent', text: `agent: ${agent.state}, the master offers nothing of it` };
    if (role) return { ...base, fits: false, dimension: 'role', text: role };
    const placed = placement(needs, agent, pinnedName);
    if (placed) return { ...base, fits: false, ...placed };
    const total = { cpus: agent.total.cpus, mem: agent.total.mem, disk: agent.total.disk, ports: portCount(agent.total.ports) };
    const small = shortOf(needs, total);
    if (small) {
      return { ...base, fits: false, dimension: small.dimension, text: `${small.dimension}: the agent has ${num(small.have)}${UNIT[small.dimension]} in all, needs ${num(small.need)}` };
    }
    const free = freeOf(agent, total, input, ours);
    const short = shortOf(needs, free);
    if (short) {
      const held = holders.length > 0 ? `; held by ${holders.join(', ')}` : '';
      return {
        ...base,
        fits: false,
        dimension: short.dimension,
        text: `${short.dimension}: ${num(short.have)} of ${num(total[short.dimension])}${UNIT[short.dimension]} free, needs ${num(short.need)}${held}`,
      };
    }
    return { ...base, fits: true, text: `fits: ${num(free.cpus)} cpus, ${num(free.mem)} MB free` };
  });

  const reasons = noOfferReasons(input, checks, received.length, role);
  const fitting = checks.filter((c) => c.fits).length;
  const headline =
    received.length === 0
      ? `No offer since the task began waiting ${Math.max(0, Math.round((now - since) / 1000))} s ago${reasons[0] ? `: ${reasons[0]}` : ''}`
      : `${received.length} offer${received.length === 1 ? '' : 's'} received, none held the task; ${fitting} of ${checks.length} agent${checks.length === 1 ? '' : 's'} could`;
  return { agents: checks, offersReceived: received.length, reasons, headline };
}

/** Frameworks other than ours holding the agent's resources: with tasks on it, or an outstanding offer of it. */
function holdersOf(agent: Agent, input: FunnelInput, ours: ReadonlySet<string>): string[] {
  const tasks = new Map<string, number>();
  for (const t of input.tasks) {
    if (t.agentId !== agent.id || ours.has(t.frameworkId) || TERMINAL.has(t.state)) continue;
    tasks.set(t.frameworkId, (tasks.get(t.frameworkId) ?? 0) + 1);
  }
  const offered = new Set(input.offers.filter((o) => o.agentId === agent.id && !ours.has(o.frameworkId)).map((o) => o.frameworkId));
  const ids = [...new Set([...tasks.keys(), ...offered])].sort();
  return ids.map((id) => {
    const what = [tasks.get(id) ? `${tasks.get(id)} task${tasks.get(id) === 1 ? '' : 's'}` : '', offered.has(id) ? 'an offer outstanding' : ''].filter(Boolean).join(' and ');
    return `${frameworkName(input.frameworks, id)}: ${what}`;
  });
}

/** Total minus what tasks hold minus what is offered to other frameworks (an offer to us is ours to take). */
function freeOf(agent: Agent, total: Amounts, input: FunnelInput, ours: ReadonlySet<string>): Amounts {
  let cpus = total.cpus - agent.allocated.cpus;
  let mem = total.mem - agent.allocated.mem;
  let disk = total.disk - agent.allocated.disk;
  let ports = total.ports;
  for (const t of input.tasks) if (t.agentId === agent.id && !TERMINAL.has(t.state)) ports -= portCount(t.resources.ports);
  for (const o of input.offers) {
    if (o.agentId !== agent.id || ours.has(o.frameworkId)) continue;
    cpus -= o.resources.cpus;
    mem -= o.resources.mem;
    disk -= o.resources.disk;
    ports -= portCount(o.resources.ports);
  }
  const clamp = (n: number) => Math.max(0, Math.round(n * 1e6) / 1e6);
  return { cpus: clamp(cpus), mem: clamp(mem), disk: clamp(disk), ports: clamp(ports) };
}

function checkOffer(needs: TaskNeeds, d: OfferDecision, role: string | undefined, agent: Agent, pinnedName?: string): OfferCheck {
  const base = { offerId: d.offerId, at: d.at, outcome: d.outcome };
  if (role) return { ...base, fits: false, dimension: 'role', text: role };
  const placed = placement(needs, agent, pinnedName);
  if (placed) return { ...base, fits: false, ...placed };
  // The framework's decisions carry cpus and mem; disk and ports are checked on the agent.
  const short = shortOf({ cpus: needs.cpus, mem: needs.mem }, { cpus: d.cpus, mem: d.mem, disk: 0, ports: 0 });
  if (short) return { ...base, fits: false, dimension: short.dimension, text: `${short.dimension}: ${num(short.have)}${UNIT[short.dimension]} offered, needs ${num(short.need)}` };
  return { ...base, fits: true, text: d.outcome === 'accepted' ? `fits: ${d.why}` : `fits (${d.why})` };
}

function noOfferReasons(input: FunnelInput, checks: readonly AgentCheck[], received: number, role: string | undefined): string[] {
  const { framework, now } = input;
  const reasons: string[] = [];
  if (framework.state !== 'subscribed') reasons.push(`the framework is ${framework.state}${framework.error ? ` (${framework.error})` : ''}: no offer reaches it`);
  if (checks.length === 0) return [...reasons, 'no agent is registered with the master'];
  if (checks.every((c) => c.dimension === 'agent')) reasons.push(`no agent is active (${checks.map((c) => `${c.name} ${c.text.replace(/^agent: /, '')}`).join('; ')})`);
  if (role) reasons.push(role);
  if (framework.suppressed) reasons.push('the framework has suppressed offers (SUPPRESS) and not revived');
  for (const d of input.decisions) {
    if (d.outcome !== 'declined' || d.refuseSeconds === undefined || !framework.ids.includes(d.frameworkId)) continue;
    const left = d.at + d.refuseSeconds * 1000 - now;
    if (left > 0 && d.at < input.since) reasons.push(`a refuse filter on ${d.hostname || d.agentId} still runs ${Math.ceil(left / 1000)} s (declined: ${d.why})`);
  }
  const candidates = checks.filter((c) => c.dimension !== 'agent' && c.dimension !== 'pin' && c.dimension !== 'attributes' && c.dimension !== 'role');
  const tooSmall = candidates.filter((c) => / in all, needs /.test(c.text));
  if (candidates.length > 0 && tooSmall.length === candidates.length) {
    reasons.push(`every agent the task may go to is smaller than the task (${tooSmall.map((c) => `${c.name} ${c.text}`).join('; ')})`);
  }
  const held = candidates.filter((c) => !c.fits && !/ in all, needs /.test(c.text) && c.holders.length > 0);
  if (held.length > 0 && candidates.every((c) => !c.fits)) {
    const who = [...new Set(held.flatMap((c) => c.holders.map((h) => h.split(':')[0] as string)))];
    reasons.push(`the resources are allocated or offered to other frameworks: ${who.join(', ')}, on ${held.map((c) => c.name).join(', ')}`);
  }
  if (checks.length > 0 && candidates.length === 0 && !checks.every((c) => c.dimension === 'agent') && !role) {
    reasons.push(`no agent may take the task (${checks.map((c) => `${c.name} ${c.text}`).join('; ')})`);
  }
  if (received === 0 && reasons.length === 0 && checks.some((c) => c.fits)) reasons.push('an agent has room: the allocator has not offered it yet (it offers every allocation interval)');
  return reasons;
}
