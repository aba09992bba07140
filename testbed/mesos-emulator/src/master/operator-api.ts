// `POST /api/v1` on the master: the v1 operator API (docs/mesos/api.md §2.1–2.3).
import { isResponse, listFiles, readFile } from '../files/v1';
import { emptyResponse, textResponse, type HttpResponse } from '../http/responses';
import { STREAMED, type HttpRequest } from '../http/router';
import { callField, parseV1Call, v1Answer, type CallSpec } from '../http/v1';
import type { AgentManager } from './agents';
import type { MasterContext } from './context';
import { masterMetrics } from './metrics';
import {
  getAgents,
  getExecutors,
  getFlags,
  getFrameworks,
  getMaster,
  getMetrics,
  getState,
  getTasks,
  getVersion,
} from './render-v1';
import type { OperatorSubscribers } from './subscribers';
import type { FrameworkManager } from './frameworks';

/** Every master::Call type of the 1.12 proto; the emulator serves the ones in CALLS. */
const PROTO_CALLS = new Set([
  'GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'SET_LOGGING_LEVEL',
  'LIST_FILES', 'READ_FILE', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS',
  'GET_OPERATIONS', 'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS', 'GET_MASTER', 'SUBSCRIBE',
  'RESERVE_RESOURCES', 'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME',
  'SHRINK_VOLUME', 'GET_MAINTENANCE_STATUS', 'GET_MAINTENANCE_SCHEDULE', 'UPDATE_MAINTENANCE_SCHEDULE',
  'START_MAINTENANCE', 'STOP_MAINTENANCE', 'DRAIN_AGENT', 'DEACTIVATE_AGENT', 'REACTIVATE_AGENT',
  'GET_QUOTA', 'UPDATE_QUOTA', 'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE',
]);

/** Calls whose parameters validation requires (src/master/validation.cpp), with protobuf-required fields. */
const CALLS: Record<string, CallSpec> = {
  GET_METRICS: { param: 'get_metrics' },
  SET_LOGGING_LEVEL: { param: 'set_logging_level', required: ['level', 'duration', 'duration.nanoseconds'] },
  LIST_FILES: { param: 'list_files', required: ['path'] },
  READ_FILE: { param: 'read_file', required: ['path', 'offset'] },
  UPDATE_WEIGHTS: { param: 'update_weights' },
  RESERVE_RESOURCES: { param: 'reserve_resources' },
  UNRESERVE_RESOURCES: { param: 'unreserve_resources' },
  CREATE_VOLUMES: { param: 'create_volumes' },
  DESTROY_VOLUMES: { param: 'destroy_volumes' },
  GROW_VOLUME: { param: 'grow_volume' },
  SHRINK_VOLUME: { param: 'shrink_volume' },
  UPDATE_MAINTENANCE_SCHEDULE: { param: 'update_maintenance_schedule' },
  START_MAINTENANCE: { param: 'start_maintenance' },
  STOP_MAINTENANCE: { param: 'stop_maintenance' },
  DRAIN_AGENT: { param: 'drain_agent', required: ['agent_id', 'agent_id.value'] },
  DEACTIVATE_AGENT: { param: 'deactivate_agent', required: ['agent_id', 'agent_id.value'] },
  REACTIVATE_AGENT: { param: 'reactivate_agent', required: ['agent_id', 'agent_id.value'] },
  UPDATE_QUOTA: { param: 'update_quota' },
  SET_QUOTA: { param: 'set_quota' },
  REMOVE_QUOTA: { param: 'remove_quota' },
  TEARDOWN: { param: 'teardown', required: ['framework_id', 'framework_id.value'] },
  MARK_AGENT_GONE: { param: 'mark_agent_gone', required: ['agent_id', 'agent_id.value'] },
};


export function operatorApi(
  ctx: MasterContext,
  agents: AgentManager,
  subscribers: OperatorSubscribers,
  frameworks: FrameworkManager,
): (req: HttpRequest) => HttpResponse | typeof STREAMED {
  return (req) => {
    const call = parseV1Call(req, {
      callName: 'master::Call',
      calls: CALLS,
      protoCalls: PROTO_CALLS,
      onProcessing: (type) => ctx.logger.info('http.cpp:277', `Processing call ${type}`),
    });
    if (!('type' in call) || typeof call.type !== 'string') return call as HttpResponse;
    const params = (call[callField(call.type)] ?? {}) as Record<string, unknown>;

    switch (call.type) {
      case 'GET_HEALTH':
        return v1Answer('GET_HEALTH', { healthy: true });
      case 'GET_VERSION':
        return v1Answer('GET_VERSION', getVersion());
      case 'GET_FLAGS':
        return v1Answer('GET_FLAGS', getFlags(ctx.flags.display()));
      case 'GET_METRICS':
        return v1Answer('GET_METRICS', getMetrics(masterMetrics(ctx)));
      case 'GET_LOGGING_LEVEL':
        return v1Answer('GET_LOGGING_LEVEL', { level: 0 });
      case 'GET_MASTER':
        return v1Answer('GET_MASTER', getMaster(ctx));
      case 'GET_AGENTS':
        return v1Answer('GET_AGENTS', getAgents(ctx));
      case 'GET_FRAMEWORKS':
        return v1Answer('GET_FRAMEWORKS', getFrameworks(ctx));
      case 'GET_EXECUTORS':
        return v1Answer('GET_EXECUTORS', getExecutors(ctx));
      case 'GET_TASKS':
        return v1Answer('GET_TASKS', getTasks(ctx));
      case 'GET_STATE':
        return v1Answer('GET_STATE', getState(ctx));
      case 'LIST_FILES': {
        const r = listFiles(ctx.files, params);
        return isResponse(r) ? r : v1Answer('LIST_FILES', r);
      }
      case 'READ_FILE': {
        const r = readFile(ctx.files, params);
        return isResponse(r) ? r : v1Answer('READ_FILE', r);
      }
      case 'SUBSCRIBE':
        subscribers.subscribe(req.res);
        return STREAMED;
      case 'TEARDOWN': {
        // Master::Http::teardown (docs/mesos/api.md §2.2): the framework's tasks are KILLED / REASON_FRAMEWORK_REMOVED.
        const id = String(((params.framework_id ?? {}) as { value?: unknown }).value ?? '');
        const f = ctx.state.frameworks.registered.get(id);
        if (!f) return textResponse(400, 'No framework found with specified ID');
        frameworks.teardown(f);
        return emptyResponse(200);
      }
      case 'MARK_AGENT_GONE': {
        const id = String(((params.agent_id ?? {}) as { value?: unknown }).value ?? '');
        return agents.markGone(id) ? emptyResponse(200) : textResponse(404, `Agent '${id}' not found`);
      }
      default:
        return textResponse(501, `The Mesoscope emulator does not implement ${call.type} yet`);
    }
  };
}
