// v1 (protobuf-JSON) renderings of the master's state: GET_* responses, operator events
// and the ZooKeeper MasterInfo. Field order follows the protos (and the recordings);
// empty repeated fields and unset optional fields are omitted, as protobuf JSON does.
import { attributesV1 } from '../common/attributes';
import { dbl, sortedObject, type JsonObject, type JsonValue } from '../common/json';
import { packIp } from '../common/net';
import { resourcesV1 } from '../common/resources';
import { nsToSecs, timeInfo } from '../common/time';
import type { MasterContext } from './context';
import type { AgentInfo, AgentRecord, FrameworkRecord, MasterInfo, TaskRecord } from './model';

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

/** `GetAgents.Agent`. */
export function agentV1(a: AgentRecord, opts: { omitCheckpoint?: boolean } = {}): JsonObject {
  return {
    agent_info: agentInfoV1(a.info, { checkpoint: !opts.omitCheckpoint }),
    active: a.active,
    deactivated: a.deactivated,
    version: a.version,
    pid: a.pid,
    registered_time: timeInfo(a.registeredTime),
    reregistered_time: a.reregisteredTime === undefined ? undefined : timeInfo(a.reregisteredTime),
    total_resources: resourcesV1(a.info.resources, { withRole: true }),
    capabilities: a.capabilities.map((type) => ({ type })),
  };
}

export function getAgents(ctx: MasterContext): JsonObject {
  return {
    agents: [...ctx.state.agents.registered.values()].map((a) => agentV1(a)),
    recovered_agents: [...ctx.state.agents.recovered.values()].map((i) => agentInfoV1(i, { checkpoint: true })),
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
    resources: resourcesV1(t.resources, { withRole: true, allocationRole: t.role }),
    statuses: t.statuses.map((s) => ({
      task_id: { value: t.id },
      state: s.state,
      message: s.message,
      source: s.source,
      reason: s.reason,
      agent_id: { value: t.agentId },
      timestamp: dbl(s.timestamp),
      uuid: s.uuid,
      healthy: s.healthy,
      container_status: s.containerStatus,
    })),
    ...(t.extra ?? {}),
  };
}

export function frameworkV1(f: FrameworkRecord): JsonObject {
  return {
    framework_info: f.info,
    active: f.active,
    connected: f.connected,
    recovered: f.recovered,
    registered_time: timeInfo(f.registeredTime),
    reregistered_time: f.reregisteredTime === undefined ? undefined : timeInfo(f.reregisteredTime),
    unregistered_time: f.unregisteredTime === undefined ? undefined : timeInfo(f.unregisteredTime),
  };
}

export function getFrameworks(ctx: MasterContext): JsonObject {
  return {
    frameworks: [...ctx.state.frameworks.registered.values()].map(frameworkV1),
    completed_frameworks: ctx.state.frameworks.completed.map(frameworkV1),
  };
}

export function getExecutors(_ctx: MasterContext): JsonObject {
  // Only custom/default executors would be listed (API.md §0.12); none exist without the scheduler API.
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
