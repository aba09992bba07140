// Routes of an agent: process "slave(1)" (the delegate), /version, /metrics/snapshot,
// /files/*, and the master-facing internal messages.
import { addFilesRoutes } from '../files/http';
import { logged } from '../http/logging';
import { emptyResponse, jsonResponse } from '../http/responses';
import type { HttpRequest, Router } from '../http/router';
import { FROM_HEADER, MSG, type PingMessage, type ShutdownMessage } from '../internal/messages';
import { versionV0 } from '../version';
import { agentApi } from './api';
import type { AgentContext } from './context';
import { agentMetrics } from './metrics';
import type { Registration } from './registration';
import { agentStateV0 } from './render';

export const AGENT_PROCESS = 'slave(1)';

function body<T>(req: HttpRequest): Partial<T> {
  try {
    return JSON.parse(req.body.toString('utf8')) as Partial<T>;
  } catch {
    return {};
  }
}

export function addAgentRoutes(router: Router, ctx: AgentContext, registration: Registration): void {
  const { logger } = ctx;
  router.add(AGENT_PROCESS, 'state', logged(logger, (req) => jsonResponse(agentStateV0(ctx), req.query), { response: true }));
  router.add(AGENT_PROCESS, 'flags', (req) => jsonResponse({ flags: ctx.flags.display() }, req.query));
  router.add(AGENT_PROCESS, 'health', () => emptyResponse(200));
  router.add(AGENT_PROCESS, 'api/v1', logged(logger, agentApi(ctx), { response: false }));
  // No executors or containers until tasks exist (a later issue).
  router.add(AGENT_PROCESS, 'monitor/statistics', (req) => jsonResponse([], req.query));
  router.add(AGENT_PROCESS, 'containers', (req) => jsonResponse([], req.query));

  router.add(AGENT_PROCESS, MSG.PING, (req) => {
    const from = req.headers[FROM_HEADER];
    registration.ping(typeof from === 'string' ? from : '', body<PingMessage>(req).connected !== false);
    return emptyResponse(202);
  });
  router.add(AGENT_PROCESS, MSG.SHUTDOWN, (req) => {
    const from = req.headers[FROM_HEADER];
    const msg = body<ShutdownMessage>(req);
    setImmediate(() => registration.shutdown(typeof from === 'string' ? from : '', msg.message ?? ''));
    return emptyResponse(202);
  });

  router.add('version', '', (req) => jsonResponse(versionV0(), req.query));
  router.add('metrics', 'snapshot', (req) => jsonResponse(agentMetrics(ctx), req.query));
  addFilesRoutes(router, ctx.files);
}
