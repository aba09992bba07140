// Routes of a master: its own endpoints (process "master", the delegate), /version,
// /metrics/snapshot and /files/*, plus the agent-facing internal messages.
import { jsonResponse, emptyResponse, redirectResponse, textResponse, type HttpResponse } from '../http/responses';
import { logged } from '../http/logging';
import type { HttpRequest, Router } from '../http/router';
import { MSG } from '../internal/messages';
import { addFilesRoutes } from '../files/http';
import { parseV1Call } from '../http/v1';
import type { AgentManager } from './agents';
import type { MasterContext } from './context';
import { masterMetrics } from './metrics';
import { operatorApi } from './operator-api';
import { frameworksV0, slavesV0, stateSummaryV0, stateV0, tasksV0 } from './render-v0';
import { versionV0 } from '../version';
import type { OperatorSubscribers } from './subscribers';

/**
 * Master::Http::redirect: 307 to `//<leader hostname>:<port><path>` (protocol-relative,
 * path as delegated, e.g. /master/api/v1); 503 without a leader; `/master/redirect`
 * itself goes to the bare leader address and `/master/redirect/…` is a 404 (loop guard).
 */
export function redirectToLeader(ctx: MasterContext, req: HttpRequest): HttpResponse {
  const leader = ctx.leader();
  if (!leader) {
    ctx.logger.warning(
      'http.cpp:1746',
      `Current master is not elected as leader, and leader information is unavailable. Failed to redirect the request url: ${req.url}`,
    );
    return textResponse(503, 'No leader elected');
  }
  const host = leader.hostname !== '' ? leader.hostname : leader.ip;
  const base = `//${host}:${leader.port}`;
  const path = req.path.replace(/\/+$/, '');
  if (path === '/master/redirect') {
    ctx.logger.info('http.cpp:1768', `Redirecting request for ${req.path} to the leading master ${host}`);
    return redirectResponse(base);
  }
  if (req.path.startsWith('/master/redirect/')) return emptyResponse(404);
  ctx.logger.info('http.cpp:1768', `Redirecting request for ${req.path} to the leading master ${host}`);
  return redirectResponse(base + req.url);
}

export function addMasterRoutes(
  router: Router,
  ctx: MasterContext,
  agents: AgentManager,
  subscribers: OperatorSubscribers,
): void {
  const { logger } = ctx;
  /** Endpoints a non-leader answers with a redirect (Master::Http::*: `if (!master->elected()) return redirect(request)`). */
  const leaderOnly =
    (h: (req: HttpRequest) => ReturnType<ReturnType<typeof operatorApi>>) =>
    (req: HttpRequest) =>
      ctx.elected() ? h(req) : redirectToLeader(ctx, req);

  router.add('master', 'state', logged(logger, leaderOnly((req) => jsonResponse(stateV0(ctx), req.query)), { response: true }));
  router.add('master', 'state-summary', logged(logger, leaderOnly((req) => jsonResponse(stateSummaryV0(ctx), req.query)), { response: true }));
  router.add('master', 'frameworks', logged(logger, leaderOnly((req) => jsonResponse(frameworksV0(ctx, req.query.get('framework_id')), req.query)), { response: true }));
  router.add('master', 'slaves', logged(logger, leaderOnly((req) => jsonResponse(slavesV0(ctx, req.query.get('slave_id')), req.query)), { response: true }));
  router.add('master', 'tasks', logged(logger, leaderOnly((req) => jsonResponse(tasksV0(ctx, req.query), req.query)), { response: true }));
  router.add('master', 'flags', logged(logger, (req) => jsonResponse({ flags: ctx.flags.display() }, req.query), { response: false }));
  // /health: 200 with an empty body, also on a non-leader (API.md §1.7).
  router.add('master', 'health', () => emptyResponse(200));
  router.add('master', 'redirect', (req) => redirectToLeader(ctx, req));
  router.add('master', 'api/v1', logged(logger, leaderOnly(operatorApi(ctx, agents, subscribers)), { response: false }));
  router.add('master', 'api/v1/scheduler', logged(logger, leaderOnly(schedulerApi), { response: false }));

  router.add('master', MSG.REGISTER, agents.handleRegister);
  router.add('master', MSG.REREGISTER, agents.handleReregister);
  router.add('master', MSG.UNREGISTER, agents.handleUnregister);
  router.add('master', MSG.LINK, agents.handleLink);

  router.add('version', '', (req) => jsonResponse(versionV0(), req.query));
  router.add('metrics', 'snapshot', (req) => jsonResponse(masterMetrics(ctx), req.query));
  addFilesRoutes(router, ctx.files);
}

/**
 * `/api/v1/scheduler` until the scheduler API exists (a later issue): the transport
 * checks, and "Framework cannot be found" for calls naming a framework (there are none).
 */
function schedulerApi(req: HttpRequest): HttpResponse {
  const call = parseV1Call(req, {
    callName: 'scheduler::Call',
    calls: {},
    protoCalls: new Set([
      'SUBSCRIBE', 'TEARDOWN', 'ACCEPT', 'DECLINE', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS',
      'REVIVE', 'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE',
      'RECONCILE_OPERATIONS', 'MESSAGE', 'REQUEST', 'SUPPRESS', 'UPDATE_FRAMEWORK',
    ]),
  });
  if (!('type' in call) || typeof call.type !== 'string') return call as HttpResponse;
  if (call.type === 'SUBSCRIBE') return textResponse(501, 'The Mesoscope emulator does not implement the scheduler API yet');
  return textResponse(400, 'Framework cannot be found');
}
