// JSON of the agent's endpoints: /state (v0) and the v1 GET_* answers (docs/mesos/api.md §2.5, §5.1).
import { attributesV0, attributesV1 } from '../common/attributes';
import { dbl, type JsonObject } from '../common/json';
import { lookupHostname, parsePid } from '../common/net';
import { reservedV0, resourcesV0, resourcesV1, unreserved } from '../common/resources';
import { nsToSecs } from '../common/time';
import { AGENT_CAPABILITIES } from '../common/capabilities';
import { versionFieldsV0 } from '../version';
import type { AgentContext } from './context';
import { frameworksV0, getContainersV1, getExecutorsV1, getFrameworksV1, getTasksV1 } from './render-tasks';

export function agentStateV0(ctx: AgentContext): JsonObject {
  const id = ctx.agentId();
  const masterIp = ctx.masterPid() ? parsePid(ctx.masterPid()!)?.ip : undefined;
  return {
    ...versionFieldsV0(ctx.flags.bool('synthetic_tasks')),
    start_time: dbl(nsToSecs(ctx.startTime)),
    id,
    pid: ctx.pid,
    hostname: ctx.hostname,
    capabilities: [...AGENT_CAPABILITIES],
    resources: resourcesV0(ctx.resources),
    reserved_resources: reservedV0(ctx.resources),
    unreserved_resources: resourcesV0(unreserved(ctx.resources)),
    reserved_resources_full: {},
    unreserved_resources_full: resourcesV1(unreserved(ctx.resources), { withRole: true }),
    reserved_resources_allocated: {},
    unreserved_resources_allocated: resourcesV0([]),
    resource_providers: [],
    attributes: attributesV0(ctx.attributes),
    // The agent names its master by a reverse lookup of the master's IP ("localhost" for 127.0.0.1).
    master_hostname: masterIp === undefined ? undefined : lookupHostname(masterIp),
    log_dir: ctx.flags.str('log_dir'),
    external_log_file: ctx.flags.str('external_log_file'),
    flags: ctx.flags.display(),
    ...frameworksV0(ctx),
  };
}

/** v1 AgentInfo as the agent itself reports it (GET_AGENT): no `checkpoint` field. */
export function agentInfoV1(ctx: AgentContext): JsonObject {
  const id = ctx.agentId();
  const attributes = attributesV1(ctx.attributes);
  return {
    hostname: ctx.hostname,
    port: ctx.port,
    resources: resourcesV1(ctx.resources),
    attributes: attributes.length > 0 ? attributes : undefined,
    id: id === undefined ? undefined : { value: id },
  };
}

export function getStateV1(ctx: AgentContext): JsonObject {
  return { get_tasks: getTasksV1(ctx), get_executors: getExecutorsV1(ctx), get_frameworks: getFrameworksV1(ctx) };
}

export { getContainersV1, getExecutorsV1, getFrameworksV1, getTasksV1 };
