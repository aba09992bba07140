// Routes of a master: its own endpoints (process "master", the delegate), /version,
// /metrics/snapshot and /files/*, plus the agent-facing internal messages.
import { jsonResponse, emptyResponse, redirectResponse, textResponse, type HttpResponse } from '../http/responses';
import { logged } from '../http/logging';
import type { HttpRequest, Router } from '../http/router';
import { MSG } from '../internal/messages';
import { addFilesRoutes } from '../files/http';
import type { AgentManager } from './agents';
import type { MasterContext } from './context';
import { masterMetrics } from './metrics';
import { operatorApi } from './operator-api';
import { frameworksV0, slavesV0, stateSummaryV0, stateV0, tasksV0 } from './render-v0';
import { versionV0 } from '../version';
import type { OperatorSubscribers } from './subscribers';
import type { Allocator } from './allocator';
import type { FrameworkManager } from './frameworks';
import { schedulerApi } from './scheduler-api';
import type { TaskManager } from './tasks';

export interface Scheduling {
  frameworks: FrameworkManager;
  tasks: TaskManager;
  allocator: Allocator;
}

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
  scheduling: Scheduling,
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
  // /health: 200 with an empty body, also on a non-leader (docs/mesos/api.md §1.7).
  router.add('master', 'health', () => emptyResponse(200));
  router.add('master', 'redirect', (req) => redirectToLeader(ctx, req));
  router.add('master', 'api/v1', logged(logger, leaderOnly(operatorApi(ctx, agents, subscribers, scheduling.frameworks)), { response: false }));
  router.add(
    'master',
    'api/v1/scheduler',
    logged(logger, leaderOnly(schedulerApi(ctx, scheduling.frameworks, scheduling.tasks, scheduling.allocator)), { response: false }),
  );
  router.add('master', MSG.STATUS_UPDATE, scheduling.tasks.handleStatusUpdate);

  router.add('master', MSG.REGISTER, agents.handleRegister);
  router.add('master', MSG.REREGISTER, agents.handleReregister);
  router.add('master', MSG.UNREGISTER, agents.handleUnregister);
  router.add('master', MSG.LINK, agents.handleLink);

  router.add('version', '', (req) => jsonResponse(versionV0(), req.query));
  router.add('metrics', 'snapshot', (req) => jsonResponse(masterMetrics(ctx), req.query));
  addFilesRoutes(router, ctx.files);
}
