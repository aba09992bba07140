// Routes of an agent: process "slave(1)" (the delegate), /version, /metrics/snapshot,
// /files/*, and the master-facing internal messages.
import { addFilesRoutes } from '../files/http';
import { logged } from '../http/logging';
import { emptyResponse, jsonResponse } from '../http/responses';
import type { HttpRequest, Router } from '../http/router';
import {
  FROM_HEADER,
  MSG,
  type KillTaskMessage,
  type PingMessage,
  type RunTaskMessage,
  type ShutdownFrameworkMessage,
  type ShutdownMessage,
  type StatusUpdateAckMessage,
} from '../internal/messages';
import { containersV0 } from './render-tasks';
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
  // Resource statistics are not measured (README).
  router.add(AGENT_PROCESS, 'monitor/statistics', (req) => jsonResponse([], req.query));
  router.add(AGENT_PROCESS, 'containers', (req) => jsonResponse(containersV0(ctx), req.query));
  const taskMessage = <T>(handle: (msg: T) => void) => (req: HttpRequest) => {
    const msg = body<T>(req) as T;
    setImmediate(() => handle(msg));
    return emptyResponse(202);
  };
  router.add(AGENT_PROCESS, MSG.RUN_TASK, taskMessage<RunTaskMessage>((m) => ctx.tasks?.runTask(m)));
  router.add(AGENT_PROCESS, MSG.KILL_TASK, taskMessage<KillTaskMessage>((m) => ctx.tasks?.killTask(m)));
  router.add(AGENT_PROCESS, MSG.STATUS_UPDATE_ACK, taskMessage<StatusUpdateAckMessage>((m) => ctx.tasks?.acknowledge(m)));
  router.add(AGENT_PROCESS, MSG.SHUTDOWN_FRAMEWORK, taskMessage<ShutdownFrameworkMessage>((m) => ctx.tasks?.shutdownFramework(m.framework_id)));

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

  router.add('version', '', (req) => jsonResponse(versionV0(ctx.flags.bool('synthetic_tasks')), req.query));
  router.add('metrics', 'snapshot', (req) => jsonResponse(agentMetrics(ctx), req.query));
  addFilesRoutes(router, ctx.files);
}
