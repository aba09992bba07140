import type { Delta } from '@shared/dashboard/deltas';
import {
  timeInfoMs,
  type GetState,
  type MasterState,
  type OperatorAgent,
  type OperatorEvent,
  type OperatorEventOf,
  type OperatorFramework,
  type OperatorTask,
} from '@shared/dashboard/operator';
import {
  KEY_METRICS,
  taskKey,
  type Agent,
  type AgentState,
  type ClusterView,
  type Connection,
  type Framework,
  type FrameworkState,
  type Master,
  type MetricSample,
  type Offer,
  type Scalars,
  type Task,
} from '@shared/dashboard/view';
import type { FrameworkInfo } from '@shared/mesos/scheduler';
import { TERMINAL_TASK_STATES, type Offer as V1Offer, type TaskState, type TaskStatus } from '@shared/mesos/v1';
import { deepEqual } from './equal';
import { type OfferChange, type OfferDecisionReport, OfferLedger } from './offer-ledger';
import { addScalars, attributesText, fromV0, fromV1, scalarsOnly, subtractScalars, zero } from './resources';
import { mergeStatuses, statusEntry } from './task-history';

/**
 * The normalized view of one cluster, folded from a GET_STATE snapshot and the operator events after it
 * (docs/mesos/api.md §2.3), the `/master/state` offer polls (§0.13) and metric samples. Pure: no I/O, no clock
 * (every call takes `now`). Each call returns the deltas it caused; an entity that did not change
 * yields none, so applying the same event twice changes nothing the second time.
 */

export interface ClusterModelOptions {
  /** Terminal tasks kept (oldest dropped first); the master keeps 1000 per framework. */
  maxTerminalTasks?: number;
  maxOfferHistory?: number;
  maxMetricSamples?: number;
  /**
   * Mark the statuses of the first snapshot `beforeAttach` (an attached cluster: what the master knew
   * when we began to watch, told apart from what is seen live after).
   */
  markBeforeAttach?: boolean;
}

/** Tasks in these states still hold their resources on the agent. */
const holdsResources = (s: TaskState) => !TERMINAL_TASK_STATES.has(s) && s !== 'TASK_UNREACHABLE' && s !== 'TASK_UNKNOWN';

export class ClusterModel {
  private readonly agents = new Map<string, Agent>();
  private readonly frameworks = new Map<string, Framework>();
  private readonly tasks = new Map<string, Task>();
  private readonly offerLedger: OfferLedger;
  private metrics: MetricSample[] = [];
  private masters: Master[] = [];
  private connection: Connection;
  private out: Delta[] = [];
  private readonly dirtyAgents = new Set<string>();
  private readonly dirtyFrameworks = new Set<string>();
  /**
   * Sums kept as tasks change rather than recomputed from every task on each event (at 1,000 updates a
   * second over 10,000 tasks the rescan was most of the main process' time, bench:events): what the
   * tasks holding resources hold per agent and framework, each framework's tasks by state, and which
   * tasks are terminal (the only ones eviction needs to look at).
   */
  private readonly agentAllocated = new Map<string, Scalars>();
  private readonly frameworkAllocated = new Map<string, Scalars>();
  private readonly frameworkCounts = new Map<string, Partial<Record<TaskState, number>>>();
  private readonly terminal = new Set<string>();
  /** Whether a snapshot was folded yet (the first one is what was known before attaching). */
  private snapshots = 0;

  constructor(
    private readonly options: ClusterModelOptions = {},
    now = Date.now(),
  ) {
    this.connection = { state: 'connecting', since: now };
    this.offerLedger = new OfferLedger((offer) => this.tasksLaunchedWhileOutstanding(offer), options.maxOfferHistory);
  }

  view(): ClusterView {
    return {
      connection: this.connection,
      masters: this.masters,
      agents: Object.fromEntries(this.agents),
      frameworks: Object.fromEntries(this.frameworks),
      tasks: Object.fromEntries(this.tasks),
      offers: Object.fromEntries(this.offerLedger.offers),
      offerHistory: this.offerLedger.outcomes(),
      metrics: [...this.metrics],
    };
  }

  /**
   * Replaces the view with a snapshot (the `get_state` of SUBSCRIBED, or GET_STATE): what it lists is
   * taken as is, with task histories merged so nothing seen earlier is lost or doubled. Terminal tasks
   * it no longer lists stay (the master forgets completed tasks on failover, we need not); live tasks
   * it does not list are dropped. Returns one `snapshot` delta.
   */
  reset(state: GetState, now: number): Delta[] {
    const t = state.get_tasks;
    const listed = new Set<string>();
    const before = this.options.markBeforeAttach === true && this.snapshots++ === 0;
    for (const task of [...t.tasks, ...t.unreachable_tasks, ...t.completed_tasks]) listed.add(this.foldTask(task, now, before));
    for (const [key, task] of this.tasks) if (!listed.has(key) && !TERMINAL_TASK_STATES.has(task.state)) this.deleteTask(task);

    const agentsListed = new Set(state.get_agents.agents.map((a) => a.agent_info.id.value));
    const unreachableOn = new Set(t.unreachable_tasks.map((x) => x.agent_id.value));
    for (const [id, agent] of this.agents) {
      if (agentsListed.has(id)) continue;
      // Unreachable agents are listed nowhere (docs/mesos/api.md §0.13): keep the ones we know to be away.
      if (unreachableOn.has(id) || agent.state === 'unreachable' || agent.state === 'disconnected') this.agents.set(id, { ...agent, state: 'unreachable' });
      else this.agents.delete(id);
    }
    for (const a of state.get_agents.agents) this.foldAgent(a);

    const f = state.get_frameworks;
    const fwListed = new Set([...f.frameworks, ...f.completed_frameworks].map((x) => x.framework_info.id?.value));
    for (const [id, fw] of this.frameworks) if (!fwListed.has(id) && fw.state !== 'removed') this.frameworks.set(id, { ...fw, state: 'disconnected' });
    for (const fw of f.frameworks) this.foldFramework(fw, undefined);
    for (const fw of f.completed_frameworks) this.foldFramework(fw, 'removed');

    this.applyOfferChanges(this.offerLedger.fold(f.frameworks.flatMap((fw) => fw.offers.map(normalizeV1Offer)), now));
    this.evictTasks();
    this.refreshDerived(true);
    this.out = [];
    return [{ kind: 'snapshot', view: this.view() }];
  }

  /** Folds one operator event (unknown types and HEARTBEAT change nothing here). */
  apply(event: OperatorEvent, now: number): Delta[] {
    if ('unknown' in event) return [];
    switch (event.type) {
      case 'SUBSCRIBED':
        return this.reset(event.subscribed.get_state, now);
      case 'TASK_ADDED':
        this.foldTask(event.task_added.task, now);
        this.evictTasks();
        break;
      case 'TASK_UPDATED':
        this.foldUpdate(event, now);
        this.evictTasks();
        break;
      case 'AGENT_ADDED':
        this.foldAgent(event.agent_added.agent);
        break;
      case 'AGENT_REMOVED': {
        const id = event.agent_removed.agent_id.value;
        if (this.agents.delete(id)) this.out.push({ kind: 'agentRemoved', id });
        break;
      }
      case 'FRAMEWORK_ADDED':
        this.foldFramework(event.framework_added.framework, undefined);
        break;
      case 'FRAMEWORK_UPDATED':
        this.foldFramework(event.framework_updated.framework, undefined);
        break;
      case 'FRAMEWORK_REMOVED':
        this.removeFramework(event.framework_removed.framework_info);
        break;
      default:
        break;
    }
    return this.flush();
  }

  /** A `/master/state` poll: outstanding offers and which agents the leader lists, and how. */
  applyMasterState(state: MasterState, now: number): Delta[] {
    const offers = state.frameworks.flatMap((f) =>
      f.offers.map((o): Offer => ({ id: o.id, frameworkId: o.framework_id, agentId: o.slave_id, resources: fromV0(o.resources), firstSeenAt: now })),
    );
    this.applyOfferChanges(this.offerLedger.fold(offers, now));
    const listed = new Map(state.slaves.map((s) => [s.id, s]));
    for (const [id, agent] of this.agents) {
      const s = listed.get(id);
      const next: AgentState = !s ? 'unreachable' : s.deactivated ? 'deactivated' : s.active === false ? 'disconnected' : 'active';
      this.putAgent({ ...agent, state: next });
    }
    return this.flush();
  }

  /** Our own scheduler knows what the poll cannot: it declined an offer, or the master rescinded it. */
  noteOfferOutcome(offerId: string, outcome: 'declined' | 'rescinded'): void {
    this.offerLedger.note(offerId, outcome);
  }

  /** Our own scheduler decided about an offer (OfferLedger.decide). */
  reportOfferDecision(decision: OfferDecisionReport, now: number): Delta[] {
    const changes = this.offerLedger.decide(decision, now);
    if (changes.length === 0) return [];
    this.applyOfferChanges(changes);
    return this.flush();
  }

  addMetrics(values: Record<string, number>, now: number): Delta[] {
    const picked: Record<string, number> = {};
    for (const k of KEY_METRICS) if (values[k] !== undefined) picked[k] = values[k];
    const sample: MetricSample = { at: now, values: picked };
    this.metrics = [...this.metrics, sample].slice(-(this.options.maxMetricSamples ?? 120));
    return [{ kind: 'metrics', sample }];
  }

  setMasters(masters: Master[]): Delta[] {
    if (deepEqual(masters, this.masters)) return [];
    this.masters = masters;
    return [{ kind: 'masters', masters }];
  }

  /** Changes the connection; `since` moves only when the state does. */
  setConnection(patch: Partial<Omit<Connection, 'since'>>, now: number): Delta[] {
    const state = patch.state ?? this.connection.state;
    const next: Connection = { ...this.connection, ...patch, since: state === this.connection.state ? this.connection.since : now };
    if (state === 'live') delete next.error;
    if (deepEqual(next, this.connection)) return [];
    this.connection = next;
    return [{ kind: 'connection', connection: next }];
  }

  get connectionState(): Connection['state'] {
    return this.connection.state;
  }

  // ---- tasks ----

  private foldTask(t: OperatorTask, now: number, beforeAttach = false): string {
    const key = taskKey(t.framework_id.value, t.task_id.value);
    const old = this.tasks.get(key);
    const entries = t.statuses.map(statusEntry);
    const statuses = mergeStatuses(old?.statuses ?? [], beforeAttach ? entries.map((e) => ({ ...e, beforeAttach: true as const })) : entries);
    const pending = t.status_update_state && t.status_update_state !== t.state ? t.status_update_state : undefined;
    const docker = (t as { container?: { type?: string; docker?: { image?: string }; mesos?: { image?: { docker?: { name?: string } } } } }).container;
    this.putTask({
      key,
      id: t.task_id.value,
      frameworkId: t.framework_id.value,
      agentId: t.agent_id.value,
      executorId: t.executor_id?.value || undefined,
      name: t.name,
      state: t.state,
      pendingState: pending,
      resources: fromV1(t.resources),
      container: docker?.type ? { type: docker.type, image: docker.docker?.image ?? docker.mesos?.image?.docker?.name } : undefined,
      statuses: [...statuses],
      // A task first seen in a snapshot (a process that starts watching a running cluster) began before
      // now: its first status says when, which the doctor's evidence window starts from.
      seenAt: old?.seenAt ?? Math.min(now, ...statuses.flatMap((s) => (s.at !== undefined ? [s.at] : []))),
      updatedAt: lastAt(statuses) ?? old?.seenAt ?? now,
    });
    return key;
  }

  private foldUpdate(event: OperatorEventOf<'TASK_UPDATED'>, now: number): void {
    const { status, framework_id } = event.task_updated;
    const state = event.task_updated.state ?? status.state;
    const key = taskKey(framework_id.value, status.task_id.value);
    const old = this.tasks.get(key);
    const statuses = mergeStatuses(old?.statuses ?? [], [statusEntry(status)]);
    this.putTask({
      key,
      id: status.task_id.value,
      frameworkId: framework_id.value,
      agentId: old?.agentId ?? status.agent_id?.value ?? '',
      executorId: old?.executorId ?? (status.executor_id?.value || undefined),
      name: old?.name ?? status.task_id.value,
      state,
      pendingState: status.state !== state ? status.state : undefined,
      resources: old?.resources ?? { ...zero() },
      container: old?.container,
      statuses: [...statuses],
      seenAt: old?.seenAt ?? now,
      updatedAt: lastAt(statuses) ?? old?.seenAt ?? now,
    });
    this.inferAgentState(status);
  }

  /** Agents going away emit no event (docs/mesos/api.md §0.13); the master's own task updates tell. */
  private inferAgentState(status: TaskStatus): void {
    const id = status.agent_id?.value;
    const agent = id ? this.agents.get(id) : undefined;
    if (!agent || status.source !== 'SOURCE_MASTER') return;
    const reason = status.reason ?? '';
    let next: AgentState | undefined;
    if (/^REASON_(AGENT|SLAVE)_DISCONNECTED$/.test(reason)) next = agent.state === 'unreachable' ? undefined : 'disconnected';
    else if (status.state === 'TASK_UNREACHABLE' || (/^REASON_(AGENT|SLAVE)_REMOVED$/.test(reason) && status.unreachable_time)) next = 'unreachable';
    else if (reason === 'REASON_AGENT_REMOVED_BY_OPERATOR' || status.state === 'TASK_GONE_BY_OPERATOR') next = 'unreachable';
    else if (reason === 'REASON_AGENT_REREGISTERED') next = 'active';
    if (next) this.putAgent({ ...agent, state: next });
  }

  private putTask(task: Task): void {
    const old = this.tasks.get(task.key);
    if (old && deepEqual(old, task)) return;
    if (old) this.account(old, -1);
    this.account(task, 1);
    this.tasks.set(task.key, task);
    this.out.push({ kind: 'task', task });
    this.dirtyAgents.add(task.agentId);
    this.dirtyFrameworks.add(task.frameworkId);
    if (old && old.agentId !== task.agentId) this.dirtyAgents.add(old.agentId);
  }

  private deleteTask(task: Task): void {
    this.tasks.delete(task.key);
    this.account(task, -1);
  }

  /** Adds a task's share to the running sums (sign 1) or takes it out (-1). */
  private account(task: Task, sign: 1 | -1): void {
    if (TERMINAL_TASK_STATES.has(task.state)) {
      if (sign > 0) this.terminal.add(task.key);
      else this.terminal.delete(task.key);
    }
    const counts = this.frameworkCounts.get(task.frameworkId) ?? {};
    const n = (counts[task.state] ?? 0) + sign;
    if (n > 0) counts[task.state] = n;
    else delete counts[task.state];
    this.frameworkCounts.set(task.frameworkId, counts);
    if (!holdsResources(task.state)) return;
    const share = scalarsOnly(task.resources);
    const change = sign > 0 ? addScalars : subtractScalars;
    this.agentAllocated.set(task.agentId, change(this.agentAllocated.get(task.agentId) ?? zero(), share));
    this.frameworkAllocated.set(task.frameworkId, change(this.frameworkAllocated.get(task.frameworkId) ?? zero(), share));
  }

  private evictTasks(): void {
    const max = this.options.maxTerminalTasks ?? 2000;
    if (this.terminal.size <= max) return;
    const terminal = [...this.terminal].map((key) => this.tasks.get(key)!);
    terminal.sort((a, b) => a.updatedAt - b.updatedAt);
    for (const t of terminal.slice(0, terminal.length - max)) {
      this.deleteTask(t);
      this.out.push({ kind: 'taskRemoved', key: t.key });
      this.dirtyAgents.add(t.agentId);
      this.dirtyFrameworks.add(t.frameworkId);
    }
  }

  // ---- agents ----

  private foldAgent(a: OperatorAgent): void {
    const id = a.agent_info.id.value;
    const old = this.agents.get(id);
    const state: AgentState = a.deactivated ? 'deactivated' : a.active ? 'active' : 'disconnected';
    this.putAgent({
      id,
      hostname: a.agent_info.hostname,
      port: a.agent_info.port,
      pid: a.pid,
      version: a.version,
      state,
      registeredAt: timeInfoMs(a.registered_time),
      reregisteredAt: timeInfoMs(a.reregistered_time),
      total: fromV1(a.total_resources.length > 0 ? a.total_resources : a.agent_info.resources),
      allocated: old?.allocated ?? zero(),
      offered: old?.offered ?? zero(),
      attributes: attributesText(a.agent_info.attributes),
      capabilities: a.capabilities.map((c) => c.type),
    });
    this.dirtyAgents.add(id);
  }

  private putAgent(agent: Agent): void {
    const old = this.agents.get(agent.id);
    if (old && deepEqual(old, agent)) return;
    this.agents.set(agent.id, agent);
    this.out.push({ kind: 'agent', agent });
  }

  // ---- frameworks ----

  private foldFramework(f: OperatorFramework, forced: FrameworkState | undefined): void {
    const info = f.framework_info;
    const id = info.id?.value;
    if (!id) return;
    const old = this.frameworks.get(id);
    const state: FrameworkState = forced ?? (!f.connected ? 'disconnected' : !f.active ? 'inactive' : 'active');
    this.putFramework({
      ...frameworkInfoFields(id, info),
      state,
      registeredAt: timeInfoMs(f.registered_time),
      reregisteredAt: timeInfoMs(f.reregistered_time),
      unregisteredAt: timeInfoMs(f.unregistered_time),
      allocated: old?.allocated ?? zero(),
      offered: old?.offered ?? zero(),
      taskCounts: old?.taskCounts ?? {},
    });
    this.dirtyFrameworks.add(id);
  }

  private removeFramework(info: FrameworkInfo): void {
    const id = info.id?.value;
    if (!id) return;
    const old = this.frameworks.get(id);
    this.putFramework({
      ...frameworkInfoFields(id, info),
      state: 'removed',
      registeredAt: old?.registeredAt,
      reregisteredAt: old?.reregisteredAt,
      unregisteredAt: old?.unregisteredAt,
      allocated: old?.allocated ?? zero(),
      offered: old?.offered ?? zero(),
      taskCounts: old?.taskCounts ?? {},
    });
    this.dirtyFrameworks.add(id);
  }

  private putFramework(fw: Framework): void {
    const old = this.frameworks.get(fw.id);
    if (old && deepEqual(old, fw)) return;
    this.frameworks.set(fw.id, fw);
    this.out.push({ kind: 'framework', framework: fw });
  }

  // ---- offers ----

  /** The ledger's changes as deltas; the resources offered on their agents and frameworks change. */
  private applyOfferChanges(changes: readonly OfferChange[]): void {
    for (const c of changes) {
      if (c.kind === 'made') this.out.push({ kind: 'offer', offer: c.offer }, { kind: 'offerOutcome', outcome: c.outcome });
      else if (c.kind === 'removed') this.out.push({ kind: 'offerRemoved', id: c.offer.id, outcome: c.outcome });
      else this.out.push({ kind: 'offerOutcome', outcome: c.outcome });
      if (c.kind !== 'outcome') {
        this.dirtyAgents.add(c.offer.agentId);
        this.dirtyFrameworks.add(c.offer.frameworkId);
      }
    }
  }

  /** A task of the offer's framework that appeared on its agent while it was outstanding used it. */
  private tasksLaunchedWhileOutstanding(offer: Offer): string[] {
    return [...this.tasks.values()].filter((t) => t.frameworkId === offer.frameworkId && t.agentId === offer.agentId && t.seenAt >= offer.firstSeenAt).map((t) => t.key);
  }

  // ---- derived sums ----

  /** Recomputes allocated / offered / task counts of what changed (or of everything). */
  private refreshDerived(all = false): void {
    const agentIds = all ? [...this.agents.keys()] : [...this.dirtyAgents];
    const fwIds = all ? [...this.frameworks.keys()] : [...this.dirtyFrameworks];
    this.dirtyAgents.clear();
    this.dirtyFrameworks.clear();
    if (agentIds.length === 0 && fwIds.length === 0) return;
    const offers = [...this.offerLedger.offers.values()];
    for (const id of agentIds) {
      const agent = this.agents.get(id);
      if (!agent) continue;
      const allocated = { ...(this.agentAllocated.get(id) ?? zero()) };
      const offered = offers.filter((o) => o.agentId === id).reduce((s, o) => addScalars(s, scalarsOnly(o.resources)), zero());
      this.putAgent({ ...agent, allocated, offered });
    }
    for (const id of fwIds) {
      const fw = this.frameworks.get(id);
      if (!fw) continue;
      const taskCounts: Framework['taskCounts'] = { ...this.frameworkCounts.get(id) };
      const allocated = { ...(this.frameworkAllocated.get(id) ?? zero()) };
      const offered = offers.filter((o) => o.frameworkId === id).reduce((s, o) => addScalars(s, scalarsOnly(o.resources)), zero());
      this.putFramework({ ...fw, allocated, offered, taskCounts });
    }
  }

  /** The deltas of one call, each entity once (its latest version). */
  private flush(): Delta[] {
    this.refreshDerived();
    const out = coalesce(this.out);
    this.out = [];
    return out;
  }
}

function frameworkInfoFields(id: string, info: FrameworkInfo) {
  const legacyRole = (info as { role?: string }).role;
  return {
    id,
    name: info.name,
    user: info.user,
    principal: info.principal,
    hostname: info.hostname,
    webuiUrl: info.webui_url,
    roles: info.roles ?? (legacyRole ? [legacyRole] : []),
    capabilities: (info.capabilities ?? []).map((c) => c.type),
    checkpoint: info.checkpoint ?? false,
    failoverTimeoutSecs: info.failover_timeout ?? 0,
  };
}

function normalizeV1Offer(o: V1Offer): Offer {
  return { id: o.id.value, frameworkId: o.framework_id.value, agentId: o.agent_id.value, resources: fromV1(o.resources), firstSeenAt: 0 };
}

function lastAt(statuses: readonly { at?: number }[]): number | undefined {
  let max: number | undefined;
  for (const s of statuses) if (s.at !== undefined && (max === undefined || s.at > max)) max = s.at;
  return max;
}

/** Keeps the last upsert of each entity, in the order of its last change. */
export function coalesce(deltas: readonly Delta[]): Delta[] {
  const keyOf = (d: Delta): string | undefined => {
    switch (d.kind) {
      case 'agent':
        return `agent:${d.agent.id}`;
      case 'agentRemoved':
        return `agent:${d.id}`;
      case 'framework':
        return `framework:${d.framework.id}`;
      case 'task':
        // One version per state: every transition stays visible (STAGING → STARTING → RUNNING in one batch).
        return `task:${d.task.key}:${d.task.state}`;
      case 'taskRemoved':
        return `taskRemoved:${d.key}`;
      case 'offer':
        return `offer:${d.offer.id}`;
      case 'masters':
        return 'masters';
      case 'connection':
        return 'connection';
      default:
        return undefined;
    }
  };
  // A snapshot makes everything before it moot.
  let start = 0;
  for (let i = deltas.length - 1; i >= 0; i--) {
    if (deltas[i]!.kind === 'snapshot') {
      start = i;
      break;
    }
  }
  const kept = new Map<string, number>();
  const list = deltas.slice(start);
  list.forEach((d, i) => {
    const k = keyOf(d);
    if (k) kept.set(k, i);
  });
  return list.filter((d, i) => {
    const k = keyOf(d);
    return k === undefined || kept.get(k) === i;
  });
}
