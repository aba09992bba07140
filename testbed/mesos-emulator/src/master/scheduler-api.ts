// `POST /api/v1/scheduler` (Master::Http::scheduler, docs/mesos/api.md §3.1): transport rules, call
// validation, SUBSCRIBE on a stream, every other call answered 202 once the framework and its
// `Mesos-Stream-Id` check out. Error texts are Mesos'.
import { basicPrincipal } from '../http/authentication';
import { emptyResponse, textResponse, type HttpResponse } from '../http/responses';
import { STREAMED, type HttpRequest } from '../http/router';
import { parseV1Call, type CallSpec } from '../http/v1';
import type { Allocator } from './allocator';
import type { MasterContext } from './context';
import type { FrameworkManager } from './frameworks';
import type { TaskManager } from './tasks';

const PROTO_CALLS = new Set([
  'SUBSCRIBE', 'TEARDOWN', 'ACCEPT', 'DECLINE', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS',
  'REVIVE', 'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE',
  'RECONCILE_OPERATIONS', 'MESSAGE', 'REQUEST', 'SUPPRESS', 'UPDATE_FRAMEWORK',
]);

/** Required fields of scheduler.proto, as protobuf's IsInitialized() names them. */
const CALLS: Record<string, CallSpec> = {
  SUBSCRIBE: { param: 'subscribe', required: ['framework_info', 'framework_info.user', 'framework_info.name'] },
  ACCEPT: { param: 'accept' },
  DECLINE: { param: 'decline' },
  KILL: { param: 'kill', required: ['task_id', 'task_id.value'] },
  SHUTDOWN: { param: 'shutdown', required: ['executor_id', 'agent_id'] },
  ACKNOWLEDGE: { param: 'acknowledge', required: ['agent_id', 'task_id', 'uuid'] },
  RECONCILE: { param: 'reconcile' },
  MESSAGE: { param: 'message', required: ['agent_id', 'executor_id', 'data'] },
  REQUEST: { param: 'request' },
  UPDATE_FRAMEWORK: { param: 'update_framework', required: ['framework_info'] },
};

const STREAM_HEADER = 'mesos-stream-id';
const invalid = (message: string) => textResponse(400, `Failed to validate scheduler::Call: ${message}`);

export function schedulerApi(
  ctx: MasterContext,
  frameworks: FrameworkManager,
  tasks: TaskManager,
  allocator: Allocator,
): (req: HttpRequest) => HttpResponse | typeof STREAMED {
  return (req) => {
    const call = parseV1Call(req, {
      callName: 'scheduler::Call',
      calls: CALLS,
      protoCalls: PROTO_CALLS,
      negotiates: (type) => type === 'SUBSCRIBE',
    });
    if (!('type' in call) || typeof call.type !== 'string') return call as HttpResponse;
    const frameworkId = (call.framework_id as { value?: unknown } | undefined)?.value;
    const params = (call[call.type.toLowerCase()] ?? {}) as Record<string, unknown>;

    if (call.type === 'SUBSCRIBE') {
      const info = params.framework_info as Record<string, unknown>;
      const infoId = (info.id as { value?: unknown } | undefined)?.value;
      // As Mesos' validation compares the two protobuf fields, an absent one reads as empty: an id in
      // framework_info without the call's framework_id is refused too (a resubscription must name both).
      if ((frameworkId ?? '') !== (infoId ?? '')) return invalid("'framework_id' differs from 'subscribe.framework_info.id'");
      if (req.headers[STREAM_HEADER] !== undefined) return textResponse(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      // The router has checked the credentials (realm mesos-master-scheduler); the principal must agree.
      const principal = ctx.flags.bool('authenticate_http_frameworks') ? basicPrincipal(req.headers.authorization) : undefined;
      if (principal !== undefined && typeof info.principal === 'string' && info.principal !== principal) {
        return invalid(`Authenticated principal '${principal}' does not match principal '${info.principal}' set in \`FrameworkInfo\``);
      }
      frameworks.subscribe(req.res, info);
      return STREAMED;
    }
    if (typeof frameworkId !== 'string') return invalid("Expecting 'framework_id' to be present");
    if (call.type === 'ACKNOWLEDGE' && Buffer.from(String(params.uuid), 'base64').length !== 16) return invalid('Invalid UUID');

    const f = ctx.state.frameworks.registered.get(frameworkId);
    if (!f) return textResponse(400, 'Framework cannot be found');
    if (!f.connected) return textResponse(403, 'Framework is not subscribed');
    const streamId = req.headers[STREAM_HEADER];
    if (streamId === undefined) return textResponse(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    if (streamId !== frameworks.streamId(frameworkId)) {
      return textResponse(400, `The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`);
    }

    switch (call.type) {
      case 'TEARDOWN':
        frameworks.teardown(f);
        break;
      case 'ACCEPT':
        tasks.accept(f, params);
        break;
      case 'DECLINE': {
        ctx.state.inc('messages_decline_offers');
        const refuse = (params.filters as { refuse_seconds?: unknown } | undefined)?.refuse_seconds;
        for (const id of (params.offer_ids as Array<{ value?: unknown }> | undefined) ?? []) {
          const offer = ctx.state.offers.get(String(id.value));
          if (!offer || offer.frameworkId !== f.id) continue;
          allocator.remove(offer.id);
          allocator.filter(f, offer.agentId, refuse);
        }
        break;
      }
      case 'REVIVE':
        ctx.state.inc('messages_revive_offers');
        f.filters.clear();
        f.suppressed = false;
        break;
      case 'SUPPRESS':
        ctx.state.inc('messages_suppress_offers');
        f.suppressed = true;
        break;
      case 'KILL':
        tasks.kill(f, params);
        break;
      case 'ACKNOWLEDGE':
        tasks.acknowledge(f, params);
        break;
      case 'RECONCILE':
        tasks.reconcile(f, params);
        break;
      default:
        ctx.logger.warning('http.cpp:1196', `Ignoring ${call.type} call of framework ${f.id}: not supported by the Mesoscope emulator`);
    }
    return emptyResponse(202);
  };
}
