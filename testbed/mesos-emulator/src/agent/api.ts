// `POST /api/v1` on an agent (docs/mesos/api.md §2.5). Agents never redirect.
import { isResponse, listFiles, readFile } from '../files/v1';
import { apiResponse, textResponse, type HttpResponse } from '../http/responses';
import type { HttpRequest } from '../http/router';
import { callField, parseV1Call, v1Answer, type CallSpec } from '../http/v1';
import { getFlags, getMetrics, getVersion } from '../common/v1-basics';
import type { AgentContext } from './context';
import { agentMetrics } from './metrics';
import { agentInfoV1, getContainersV1, getExecutorsV1, getFrameworksV1, getStateV1, getTasksV1 } from './render';

const PROTO_CALLS = new Set([
  'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL',
  'LIST_FILES', 'READ_FILE', 'GET_STATE', 'GET_CONTAINERS', 'GET_FRAMEWORKS', 'GET_EXECUTORS',
  'GET_OPERATIONS', 'GET_TASKS', 'GET_AGENT', 'GET_RESOURCE_PROVIDERS', 'LAUNCH_NESTED_CONTAINER',
  'WAIT_NESTED_CONTAINER', 'KILL_NESTED_CONTAINER', 'REMOVE_NESTED_CONTAINER',
  'LAUNCH_NESTED_CONTAINER_SESSION', 'ATTACH_CONTAINER_INPUT', 'ATTACH_CONTAINER_OUTPUT',
  'LAUNCH_CONTAINER', 'WAIT_CONTAINER', 'KILL_CONTAINER', 'REMOVE_CONTAINER',
  'ADD_RESOURCE_PROVIDER_CONFIG', 'UPDATE_RESOURCE_PROVIDER_CONFIG', 'REMOVE_RESOURCE_PROVIDER_CONFIG',
  'MARK_RESOURCE_PROVIDER_GONE', 'PRUNE_IMAGES',
]);

const CALLS: Record<string, CallSpec> = {
  GET_METRICS: { param: 'get_metrics' },
  SET_LOGGING_LEVEL: { param: 'set_logging_level', required: ['level', 'duration', 'duration.nanoseconds'] },
  LIST_FILES: { param: 'list_files', required: ['path'] },
  READ_FILE: { param: 'read_file', required: ['path', 'offset'] },
  LAUNCH_NESTED_CONTAINER: { param: 'launch_nested_container' },
  WAIT_NESTED_CONTAINER: { param: 'wait_nested_container' },
  KILL_NESTED_CONTAINER: { param: 'kill_nested_container' },
  REMOVE_NESTED_CONTAINER: { param: 'remove_nested_container' },
  LAUNCH_CONTAINER: { param: 'launch_container' },
  WAIT_CONTAINER: { param: 'wait_container' },
  KILL_CONTAINER: { param: 'kill_container' },
  REMOVE_CONTAINER: { param: 'remove_container' },
};


export function agentApi(ctx: AgentContext): (req: HttpRequest) => HttpResponse {
  return (req) => {
    const call = parseV1Call(req, {
      callName: 'agent::Call',
      calls: CALLS,
      protoCalls: PROTO_CALLS,
      onProcessing: (type) => ctx.logger.info('http.cpp:1195', `Processing call ${type}`),
    });
    if (!('type' in call) || typeof call.type !== 'string') return call as HttpResponse;
    const params = (call[callField(call.type)] ?? {}) as Record<string, unknown>;
    switch (call.type) {
      case 'GET_HEALTH':
        return v1Answer('GET_HEALTH', { healthy: true });
      case 'GET_VERSION':
        return v1Answer('GET_VERSION', getVersion(ctx.flags.bool('synthetic_tasks')));
      case 'GET_FLAGS':
        return v1Answer('GET_FLAGS', getFlags(ctx.flags.display()));
      case 'GET_METRICS':
        return v1Answer('GET_METRICS', getMetrics(agentMetrics(ctx)));
      case 'GET_LOGGING_LEVEL':
        return v1Answer('GET_LOGGING_LEVEL', { level: 0 });
      case 'GET_STATE':
        return v1Answer('GET_STATE', getStateV1(ctx));
      case 'GET_TASKS':
        return v1Answer('GET_TASKS', getTasksV1(ctx));
      case 'GET_EXECUTORS':
        return v1Answer('GET_EXECUTORS', getExecutorsV1(ctx));
      case 'GET_FRAMEWORKS':
        return v1Answer('GET_FRAMEWORKS', getFrameworksV1(ctx));
      case 'GET_AGENT':
        return v1Answer('GET_AGENT', { agent_info: agentInfoV1(ctx) });
      case 'GET_CONTAINERS': {
        // Mesos quirk: with no containers the answer carries no `get_containers` at all
        // (transcripts/http/agent-api-get-containers.http).
        const containers = getContainersV1(ctx);
        return containers ? v1Answer('GET_CONTAINERS', containers) : apiResponse({ type: 'GET_CONTAINERS' });
      }
      case 'LIST_FILES': {
        const r = listFiles(ctx.files, params);
        return isResponse(r) ? r : v1Answer('LIST_FILES', r);
      }
      case 'READ_FILE': {
        const r = readFile(ctx.files, params);
        return isResponse(r) ? r : v1Answer('READ_FILE', r);
      }
      default:
        return textResponse(501, `The Mesoscope emulator does not implement ${call.type} yet`);
    }
  };
}
