// Operator event streams (v1 SUBSCRIBE, docs/mesos/api.md §2.3): RecordIO of JSON events;
// SUBSCRIBED (with GET_STATE), an immediate HEARTBEAT, then one every 15 s.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { dbl, type JsonObject } from '../common/json';
import { recordioFrame } from '../http/recordio';
import type { MasterContext } from './context';
import { agentV1, frameworkEventV1, frameworkInfoV1, getState, statusV1, taskV1 } from './render-v1';
import type { OperatorEvent } from './state';

/** DEFAULT_HEARTBEAT_INTERVAL (src/master/constants.hpp). */
export const HEARTBEAT_INTERVAL_SECS = 15;

interface Subscriber {
  res: http.ServerResponse;
  timer: NodeJS.Timeout;
}

export class OperatorSubscribers {
  private readonly subs = new Map<string, Subscriber>();
  private readonly unlisten: () => void;

  constructor(
    private readonly ctx: MasterContext,
    private readonly heartbeatMs = HEARTBEAT_INTERVAL_SECS * 1000,
  ) {
    this.unlisten = ctx.state.onEvent((e) => this.publish(renderEvent(ctx, e)));
  }

  get count(): number {
    return this.subs.size;
  }

  subscribe(res: http.ServerResponse): void {
    const id = randomUUID();
    // The Content-Type is the negotiated Accept type, not application/recordio (docs/mesos/api.md §2.3).
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const timer = setInterval(() => this.write(res, { type: 'HEARTBEAT' }), this.heartbeatMs);
    timer.unref();
    this.subs.set(id, { res, timer });
    this.ctx.logger.info('master.cpp:12508', `Added subscriber ${id} to the list of active subscribers`);
    this.write(res, {
      type: 'SUBSCRIBED',
      subscribed: { get_state: getState(this.ctx), heartbeat_interval_seconds: dbl(HEARTBEAT_INTERVAL_SECS) },
    });
    this.write(res, { type: 'HEARTBEAT' });
    res.on('close', () => {
      clearInterval(timer);
      if (this.subs.delete(id)) {
        this.ctx.logger.info('master.cpp:12494', `Removed subscriber ${id} from the list of active subscribers`);
      }
    });
  }

  publish(event: JsonObject): void {
    for (const { res } of this.subs.values()) this.write(res, event);
  }

  /** Ends every stream (the old leader's streams "simply end", docs/mesos/faults.md row 18). */
  closeAll(): void {
    for (const { res, timer } of this.subs.values()) {
      clearInterval(timer);
      res.end();
    }
    this.subs.clear();
    this.unlisten();
  }

  private write(res: http.ServerResponse, event: JsonObject): void {
    if (!res.writableEnded) res.write(recordioFrame(event));
  }
}

export function renderEvent(ctx: MasterContext, e: OperatorEvent): JsonObject {
  switch (e.type) {
    case 'AGENT_ADDED':
      return {
        type: 'AGENT_ADDED',
        agent_added: { agent: agentV1(e.agent, { omitCheckpoint: e.omitCheckpoint, used: ctx.state.usedOn(e.agent.info.id) }) },
      };
    case 'AGENT_REMOVED':
      return { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: e.agentId } } };
    case 'TASK_ADDED':
      return { type: 'TASK_ADDED', task_added: { task: taskV1(e.task) } };
    case 'TASK_UPDATED':
      return {
        type: 'TASK_UPDATED',
        task_updated: { framework_id: { value: e.task.frameworkId }, status: statusV1(e.task, e.status), state: e.state },
      };
    case 'FRAMEWORK_ADDED':
      return { type: 'FRAMEWORK_ADDED', framework_added: { framework: frameworkEventV1(e.framework) } };
    case 'FRAMEWORK_UPDATED':
      return { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkEventV1(e.framework) } };
    case 'FRAMEWORK_REMOVED':
      return { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: frameworkInfoV1(e.framework) } };
  }
}
