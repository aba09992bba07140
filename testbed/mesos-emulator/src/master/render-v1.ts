// v1 (protobuf-JSON) renderings of the master's state: GET_* responses, operator events
// and the ZooKeeper MasterInfo. Field order follows the protos (and the recordings);
// empty repeated fields and unset optional fields are omitted, as protobuf JSON does.
import { attributesV1 } from '../common/attributes';
import { dbl, sortedObject, type JsonObject, type JsonValue } from '../common/json';
import { packIp } from '../common/net';
import { resourcesV1, type Resource } from '../common/resources';
import { nsToSecs, timeInfo } from '../common/time';
import type { MasterContext } from './context';
import { offerV1 } from './allocator';
import { isTerminal, type AgentInfo, type AgentRecord, type FrameworkRecord, type MasterInfo, type TaskRecord, type TaskStatusRecord } from './model';

const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

export function masterInfoV1(info: MasterInfo): JsonObject {
  return {
    id: info.id,
    ip: packIp(info.ip),
    port: info.port,
    pid: info.pid,
    hostname: info.hostname,
    version: info.version,
    address: { hostname: info.hostname, ip: info.ip, port: info.port },
    domain: info.domain,
    capabilities: info.capabilities.map((type) => ({ type })),
  };
}

/** The data of a `json.info_*` znode: JSON::protobuf output, keys sorted (transcripts/ha/zk-json.info_*.json). */
export function masterInfoZk(info: MasterInfo): JsonObject {
  const v = masterInfoV1(info);
  return sortedObject({ ...v, address: sortedObject(v.address as JsonObject) });
}

export function agentInfoV1(info: AgentInfo, opts: { checkpoint: boolean }): JsonObject {
  return {
    hostname: info.hostname,
    port: info.port,
    resources: resourcesV1(info.resources),
    attributes: nonEmpty(attributesV1(info.attributes)),
    id: { value: info.id },
    // The master's copy carries checkpoint:true; the agent's own GET_AGENT does not.
    checkpoint: opts.checkpoint && info.checkpoint ? true : undefined,
    domain: info.domain,
  };
}

/** `GetAgents.Agent`; `used`/`offered` (when given and not empty) become allocated/offered_resources. */
export function agentV1(a: AgentRecord, opts: { omitCheckpoint?: boolean; used?: Resource[]; offered?: Resource[] } = {}): JsonObject {
  return {
    agent_info: agentInfoV1(a.info, { checkpoint: !opts.omitCheckpoint }),
    active: a.active,
    deactivated: a.deactivated,
    version: a.version,
    pid: a.pid,
    registered_time: timeInfo(a.registeredTime),
    reregistered_time: a.reregisteredTime === undefined ? undefined : timeInfo(a.reregisteredTime),
    total_resources: resourcesV1(a.info.resources, { withRole: true }),
    allocated_resources: nonEmpty(resourcesV1(opts.used ?? [], { withRole: true, allocationRole: '*' })),
    offered_resources: nonEmpty(resourcesV1(opts.offered ?? [], { withRole: true, allocationRole: '*' })),
    capabilities: a.capabilities.map((type) => ({ type })),
  };
}

export function getAgents(ctx: MasterContext): JsonObject {
  return {
    agents: [...ctx.state.agents.registered.values()].map((a) =>
      agentV1(a, { used: ctx.state.usedOn(a.info.id), offered: ctx.state.offeredOn(a.info.id) }),
    ),
    recovered_agents: [...ctx.state.agents.recovered.values()].map((i) => agentInfoV1(i, { checkpoint: true })),
  };
}

/** v1 `TaskStatus`, field order as recorded (transcripts/basic/sched.events.jsonl). */
export function statusV1(t: Pick<TaskRecord, 'id' | 'agentId'>, s: TaskStatusRecord): JsonObject {
  return {
    task_id: { value: t.id },
    state: s.state,
    message: s.message,
    source: s.source,
    reason: s.reason,
    data: s.data,
    agent_id: { value: t.agentId },
    executor_id: s.executorId === undefined ? undefined : { value: s.executorId },
    timestamp: dbl(s.timestamp),
    uuid: s.uuid,
    healthy: s.healthy,
    container_status: s.containerStatus,
    unreachable_time: s.unreachableTime === undefined ? undefined : timeInfo(s.unreachableTime),
  };
}

export function taskV1(t: TaskRecord): JsonObject {
  return {
    name: t.name,
    task_id: { value: t.id },
    framework_id: { value: t.frameworkId },
    executor_id: t.executorId === '' ? undefined : { value: t.executorId },
    agent_id: { value: t.agentId },
    state: t.state,
    // Task resources carry allocation_info but no role (transcripts/after/api-get-tasks.http).
    resources: resourcesV1(t.resources, { allocationRole: t.role }),
    statuses: nonEmpty(t.statuses.map((s) => statusV1(t, s))),
    status_update_state: t.statusUpdateState,
    status_update_uuid: t.statusUpdateUuid,
    ...(t.extra ?? {}),
  };
}

/** FrameworkInfo fields in the proto's declaration order (transcripts/basic/operator.events.jsonl). */
const FRAMEWORK_INFO_ORDER = [
  'user', 'name', 'id', 'failover_timeout', 'checkpoint', 'role', 'roles', 'hostname', 'principal',
  'webui_url', 'capabilities', 'labels', 'offer_filters',
];

export function frameworkInfoV1(f: FrameworkRecord): JsonObject {
  const raw = { ...f.info, id: { value: f.id } } as JsonObject;
  const out: JsonObject = {};
  for (const k of FRAMEWORK_INFO_ORDER) if (raw[k] !== undefined) out[k] = raw[k];
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = v;
  return out;
}

/** `GetFrameworks.Framework` (transcripts/after/api-get-frameworks.http). */
export function frameworkV1(f: FrameworkRecord): JsonObject {
  const offers = [...f.offers.values()];
  const allocated = [...f.tasks.values()].filter((t) => !isTerminal(t.state)).flatMap((t) => t.resources);
  return {
    framework_info: frameworkInfoV1(f),
    active: f.active,
    connected: f.connected,
    recovered: f.recovered,
    registered_time: timeInfo(f.registeredTime),
    reregistered_time: f.reregisteredTime === undefined ? undefined : timeInfo(f.reregisteredTime),
    unregistered_time: f.unregisteredTime === undefined ? undefined : timeInfo(f.unregisteredTime),
    offers: nonEmpty(offers.map(offerV1)),
    allocated_resources: nonEmpty(resourcesV1(allocated, { withRole: true, allocationRole: f.roles[0] ?? '*' })),
    offered_resources: nonEmpty(resourcesV1(offers.flatMap((o) => o.resources), { withRole: true, allocationRole: f.roles[0] ?? '*' })),
    offer_constraints: {},
  };
}

/** The framework of FRAMEWORK_ADDED / FRAMEWORK_UPDATED: `unregistered_time` always, no offers (transcripts/basic/operator.events.jsonl). */
export function frameworkEventV1(f: FrameworkRecord): JsonObject {
  return {
    framework_info: frameworkInfoV1(f),
    active: f.active,
    connected: f.connected,
    recovered: f.recovered,
    registered_time: timeInfo(f.registeredTime),
    reregistered_time: f.reregisteredTime === undefined ? undefined : timeInfo(f.reregisteredTime),
    unregistered_time: timeInfo(f.unregisteredTime ?? 0n),
  };
}

export function getFrameworks(ctx: MasterContext): JsonObject {
  return {
    frameworks: [...ctx.state.frameworks.registered.values()].map(frameworkV1),
    completed_frameworks: ctx.state.frameworks.completed.map(frameworkV1),
  };
}

export function getExecutors(_ctx: MasterContext): JsonObject {
  // Only custom/default executors would be listed (docs/mesos/api.md §0.12); none exist without the scheduler API.
  return { executors: [] };
}

export function getTasks(ctx: MasterContext): JsonObject {
  const tasks: JsonValue[] = [];
  const unreachable: JsonValue[] = [];
  const completed: JsonValue[] = [];
  for (const f of [...ctx.state.frameworks.registered.values(), ...ctx.state.frameworks.completed]) {
    for (const t of f.tasks.values()) tasks.push(taskV1(t));
    for (const t of f.unreachableTasks.values()) unreachable.push(taskV1(t));
    for (const t of f.completedTasks) completed.push(taskV1(t));
  }
  return { tasks, unreachable_tasks: unreachable, completed_tasks: completed };
}

export function getState(ctx: MasterContext): JsonObject {
  return {
    get_tasks: getTasks(ctx),
    get_executors: getExecutors(ctx),
    get_frameworks: getFrameworks(ctx),
    get_agents: getAgents(ctx),
  };
}

export function getMaster(ctx: MasterContext): JsonObject {
  const elected = ctx.electedTime();
  return {
    master_info: masterInfoV1(ctx.info),
    start_time: dbl(nsToSecs(ctx.startTime)),
    elected_time: elected === undefined ? undefined : dbl(nsToSecs(elected)),
  };
}

export { getFlags, getMetrics, getVersion } from '../common/v1-basics';
