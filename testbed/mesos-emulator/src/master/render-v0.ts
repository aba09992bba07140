// v0 JSON of the master's read-only endpoints (/master/state, /state-summary, /slaves,
// /frameworks, /tasks), docs/mesos/api.md §1.2–1.7. Key order copies the recorded responses.
import { attributesV0 } from '../common/attributes';
import { dbl, type JsonObject, type JsonValue } from '../common/json';
import { reserved, reservedV0, resourcesV0, resourcesV1, unreserved, type Resource } from '../common/resources';
import { nsToSecs } from '../common/time';
import { versionFieldsV0 } from '../version';
import type { MasterContext } from './context';
import { isTerminal, type AgentRecord, type FrameworkRecord, type TaskRecord, type TaskState } from './model';

const usedOn = (ctx: MasterContext, agentId: string): Resource[] => ctx.state.usedOn(agentId);
const offeredOn = (ctx: MasterContext, agentId: string): Resource[] => ctx.state.offeredOn(agentId);

/** SlaveWriter (docs/mesos/api.md §1.3). `full` adds the *_full variants of /master/slaves. */
export function slaveV0(ctx: MasterContext, a: AgentRecord, full = false): JsonObject {
  const used = usedOn(ctx, a.info.id);
  const offered = offeredOn(ctx, a.info.id);
  const out: JsonObject = {
    id: a.info.id,
    hostname: a.info.hostname,
    port: a.info.port,
    attributes: attributesV0(a.info.attributes),
    domain: a.info.domain,
    pid: a.pid,
    registered_time: dbl(nsToSecs(a.registeredTime)),
    reregistered_time: a.reregisteredTime === undefined ? undefined : dbl(nsToSecs(a.reregisteredTime)),
    resources: resourcesV0(a.info.resources),
    used_resources: resourcesV0(used),
    offered_resources: resourcesV0(offered),
    reserved_resources: reservedV0(a.info.resources),
    unreserved_resources: resourcesV0(unreserved(a.info.resources)),
    active: a.active,
    deactivated: a.deactivated,
    version: a.version,
    capabilities: [...a.capabilities],
  };
  if (full) {
    const byRole: JsonObject = {};
    for (const r of reserved(a.info.resources)) {
      const list = (byRole[r.role] as JsonValue[] | undefined) ?? [];
      list.push(...resourcesV1([r], { withRole: true }));
      byRole[r.role] = list;
    }
    out.reserved_resources_full = byRole;
    out.unreserved_resources_full = resourcesV1(unreserved(a.info.resources), { withRole: true });
    out.used_resources_full = resourcesV1(used, { withRole: true });
    out.offered_resources_full = resourcesV1(offered, { withRole: true });
  }
  return out;
}

export function taskV0(t: TaskRecord): JsonObject {
  return {
    id: t.id,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: t.executorId,
    slave_id: t.agentId,
    state: t.state,
    resources: resourcesV0(t.resources),
    role: t.role,
    // No reason/message/source in v0 statuses (docs/mesos/api.md §0.1).
    statuses: t.statuses.map((s) => ({
      state: s.state,
      timestamp: dbl(s.timestamp),
      container_status: s.containerStatus,
      healthy: s.healthy,
    })),
    ...(t.extra ?? {}),
  };
}

export function frameworkV0(ctx: MasterContext, f: FrameworkRecord): JsonObject {
  const tasks = [...f.tasks.values()];
  const used = tasks.filter((t) => !isTerminal(t.state)).flatMap((t) => t.resources);
  const offered = [...f.offers.values()].flatMap((o) => o.resources);
  return {
    id: f.id,
    name: f.name,
    used_resources: resourcesV0(used),
    offered_resources: resourcesV0(offered),
    capabilities: [...f.capabilities],
    hostname: f.hostname,
    webui_url: f.webuiUrl,
    active: f.active,
    connected: f.connected,
    recovered: f.recovered,
    user: f.user,
    failover_timeout: dbl(f.failoverTimeout),
    checkpoint: f.checkpoint,
    registered_time: dbl(nsToSecs(f.registeredTime)),
    unregistered_time: dbl(f.unregisteredTime === undefined ? 0 : nsToSecs(f.unregisteredTime)),
    // FullFrameworkWriter writes it only when it differs from registered_time (transcripts/after/master-state.http).
    reregistered_time: f.reregisteredTime === undefined || f.reregisteredTime === f.registeredTime ? undefined : dbl(nsToSecs(f.reregisteredTime)),
    principal: f.principal,
    resources: resourcesV0([...used, ...offered]),
    roles: [...f.roles],
    tasks: tasks.map(taskV0),
    unreachable_tasks: [...f.unreachableTasks.values()].map(taskV0),
    completed_tasks: f.completedTasks.map(taskV0),
    offers: [...f.offers.values()].map((o) => ({
      id: o.id,
      framework_id: o.frameworkId,
      allocation_info: { role: o.role },
      slave_id: o.agentId,
      resources: resourcesV0(o.resources),
    })),
    executors: [],
    offer_constraints: {},
  };
}

function leaderFields(ctx: MasterContext): JsonObject {
  const leader = ctx.leader();
  if (!leader) return {};
  return {
    leader: leader.pid,
    // v0 MasterInfo: no ip/address here (docs/mesos/api.md §1.2).
    leader_info: { id: leader.id, pid: leader.pid, port: leader.port, hostname: leader.hostname, domain: leader.domain },
  };
}

export function stateV0(ctx: MasterContext): JsonObject {
  const registered = [...ctx.state.agents.registered.values()];
  const elected = ctx.electedTime();
  return {
    ...versionFieldsV0(),
    start_time: dbl(nsToSecs(ctx.startTime)),
    elected_time: elected === undefined ? undefined : dbl(nsToSecs(elected)),
    id: ctx.info.id,
    pid: ctx.info.pid,
    hostname: ctx.info.hostname,
    capabilities: [...ctx.info.capabilities],
    activated_slaves: dbl(registered.filter((a) => a.active).length),
    deactivated_slaves: dbl(registered.filter((a) => !a.active).length),
    unreachable_slaves: dbl(ctx.state.agents.unreachable.size),
    domain: ctx.info.domain,
    ...leaderFields(ctx),
    cluster: ctx.flags.str('cluster'),
    log_dir: ctx.flags.str('log_dir'),
    external_log_file: ctx.flags.str('external_log_file'),
    flags: ctx.flags.display(),
    slaves: registered.map((a) => slaveV0(ctx, a)),
    recovered_slaves: recoveredSlavesV0(ctx),
    frameworks: [...ctx.state.frameworks.registered.values()].map((f) => frameworkV0(ctx, f)),
    completed_frameworks: ctx.state.frameworks.completed.map((f) => frameworkV0(ctx, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

function recoveredSlavesV0(ctx: MasterContext): JsonValue[] {
  return [...ctx.state.agents.recovered.values()].map((i) => ({
    id: i.id,
    hostname: i.hostname,
    port: i.port,
    attributes: attributesV0(i.attributes),
    domain: i.domain,
  }));
}

export function slavesV0(ctx: MasterContext, slaveId: string | null): JsonObject {
  const agents = [...ctx.state.agents.registered.values()].filter((a) => slaveId === null || a.info.id === slaveId);
  return {
    slaves: agents.map((a) => slaveV0(ctx, a, true)),
    recovered_slaves: recoveredSlavesV0(ctx),
  };
}

export function frameworksV0(ctx: MasterContext, frameworkId: string | null): JsonObject {
  const keep = (f: FrameworkRecord) => frameworkId === null || f.id === frameworkId;
  return {
    frameworks: [...ctx.state.frameworks.registered.values()].filter(keep).map((f) => frameworkV0(ctx, f)),
    completed_frameworks: ctx.state.frameworks.completed.filter(keep).map((f) => frameworkV0(ctx, f)),
    unregistered_frameworks: [],
  };
}

/** /master/tasks with its query (framework_id, task_id, limit=100, offset, order=desc). */
export function tasksV0(ctx: MasterContext, query: URLSearchParams): JsonObject {
  const all: TaskRecord[] = [];
  for (const f of [...ctx.state.frameworks.registered.values(), ...ctx.state.frameworks.completed]) {
    all.push(...f.tasks.values(), ...f.unreachableTasks.values(), ...f.completedTasks);
  }
  const fw = query.get('framework_id');
  const id = query.get('task_id');
  const filtered = all.filter((t) => (fw === null || t.frameworkId === fw) && (id === null || t.id === id));
  const firstTime = (t: TaskRecord) => t.statuses[0]?.timestamp ?? 0;
  filtered.sort((a, b) => firstTime(a) - firstTime(b));
  if (query.get('order') !== 'asc') filtered.reverse();
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const limit = Math.max(0, Number(query.get('limit') ?? 100) || 100);
  return { tasks: filtered.slice(offset, offset + limit).map(taskV0) };
}

const SUMMARY_STATES: TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

function stateCounts(tasks: TaskRecord[]): JsonObject {
  const out: JsonObject = {};
  for (const s of SUMMARY_STATES) out[s] = tasks.filter((t) => t.state === s).length;
  return out;
}

export function stateSummaryV0(ctx: MasterContext): JsonObject {
  const frameworks = [...ctx.state.frameworks.registered.values()];
  const tasksOf = (f: FrameworkRecord) => [...f.tasks.values(), ...f.unreachableTasks.values(), ...f.completedTasks];
  return {
    hostname: ctx.info.hostname,
    cluster: ctx.flags.str('cluster'),
    slaves: [...ctx.state.agents.registered.values()].map((a) => {
      const tasks = frameworks.flatMap(tasksOf).filter((t) => t.agentId === a.info.id);
      return {
        ...slaveV0(ctx, a),
        ...stateCounts(tasks),
        framework_ids: [...new Set(tasks.map((t) => t.frameworkId))],
      };
    }),
    frameworks: frameworks.map((f) => {
      const tasks = tasksOf(f);
      const full = frameworkV0(ctx, f);
      return {
        id: f.id,
        name: f.name,
        pid: full.pid,
        used_resources: full.used_resources,
        offered_resources: full.offered_resources,
        capabilities: full.capabilities,
        hostname: f.hostname,
        webui_url: f.webuiUrl,
        active: f.active,
        connected: f.connected,
        recovered: f.recovered,
        ...stateCounts(tasks),
        slave_ids: [...new Set(tasks.map((t) => t.agentId))],
      };
    }),
  };
}
