// Master ↔ agent messages. Real Mesos sends protobufs as libprocess messages
// (`POST /<process>/<message name>` with a `Libprocess-From` header, answered 202).
// The emulator keeps that addressing but its bodies are JSON, and a register call is
// answered in its HTTP response instead of a separate SlaveRegisteredMessage. It is a
// private protocol: emulator agents talk to emulator masters only (see README).
import http from 'node:http';
import type { Attribute } from '../common/attributes';
import type { Resource } from '../common/resources';
import type { Pid } from '../common/net';

export const MSG = {
  REGISTER: 'mesos.internal.RegisterSlaveMessage',
  REREGISTER: 'mesos.internal.ReregisterSlaveMessage',
  UNREGISTER: 'mesos.internal.UnregisterSlaveMessage',
  PING: 'mesos.internal.PingSlaveMessage',
  SHUTDOWN: 'mesos.internal.ShutdownMessage',
  RUN_TASK: 'mesos.internal.RunTaskMessage',
  KILL_TASK: 'mesos.internal.KillTaskMessage',
  SHUTDOWN_FRAMEWORK: 'mesos.internal.ShutdownFrameworkMessage',
  STATUS_UPDATE: 'mesos.internal.StatusUpdateMessage',
  STATUS_UPDATE_ACK: 'mesos.internal.StatusUpdateAcknowledgementMessage',
  /**
   * Not a Mesos message: a request the master holds open for as long as the agent lives,
   * standing in for libprocess's socket link, whose close is how the master learns an agent
   * process died ("Agent … disconnected") while a paused agent stays linked.
   */
  LINK: 'mesoscope.emulator.Link',
} as const;

export const FROM_HEADER = 'libprocess-from';

export interface SlaveInfoMessage {
  id?: string;
  hostname: string;
  port: number;
  resources: Resource[];
  attributes: Attribute[];
  checkpoint: boolean;
}

export interface RegisterMessage {
  slave: SlaveInfoMessage;
  version: string;
  capabilities: string[];
  /** Reregistration only: the agent's tasks (v1 Task JSON) and their frameworks (FrameworkInfo JSON). */
  tasks?: TaskJson[];
  frameworks?: Array<Record<string, unknown>>;
}

/** A v1 `TaskStatus` as JSON (numbers only, no bigints: it travels through JSON.stringify). */
export interface StatusJson {
  task_id: { value: string };
  state: string;
  message?: string;
  source?: 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';
  reason?: string;
  data?: string;
  agent_id?: { value: string };
  executor_id?: { value: string };
  timestamp: number;
  uuid?: string;
  healthy?: boolean;
  container_status?: Record<string, unknown>;
}

/** A v1 `Task` as an agent reports it when reregistering. */
export interface TaskJson {
  name: string;
  task_id: { value: string };
  framework_id: { value: string };
  executor_id?: { value: string };
  agent_id: { value: string };
  state: string;
  resources: Array<Record<string, unknown>>;
  statuses: StatusJson[];
  status_update_state?: string;
  status_update_uuid?: string;
  container?: Record<string, unknown>;
}

export interface RunTaskMessage {
  /** FrameworkInfo with its id. */
  framework: Record<string, unknown>;
  /** TaskInfo as the scheduler sent it, agent_id and allocation_info filled in. */
  task: Record<string, unknown>;
}

export interface KillTaskMessage {
  framework_id: string;
  task_id: string;
  /** KillPolicy of the KILL call, which overrides the task's. */
  kill_policy?: { grace_period?: { nanoseconds: number } };
}

export interface ShutdownFrameworkMessage {
  framework_id: string;
}

export interface StatusUpdateMessage {
  framework_id: string;
  status: StatusJson;
  /** The latest state the agent knows for the task (it can be ahead of `status`, docs/mesos/api.md §2.3). */
  latest_state: string;
}

export interface StatusUpdateAckMessage {
  framework_id: string;
  task_id: string;
  uuid: string;
}

/** The answer to (re)registration, the parts of SlaveRegisteredMessage the agent uses. */
export interface RegisteredReply {
  slave_id: string;
  master_id: string;
  /** MasterSlaveConnection.total_ping_timeout_seconds: agent_ping_timeout × max_agent_ping_timeouts. */
  total_ping_timeout_seconds: number;
}

export interface PingMessage {
  connected: boolean;
}

export interface ShutdownMessage {
  message: string;
}

export interface Reply {
  status: number;
  body: string;
}

/** Sends one message; resolves with the HTTP answer, rejects on connection errors or timeout. */
export function postMessage(to: Pid, name: string, from: string, body: unknown, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body ?? {}), 'utf8');
    const req = http.request(
      {
        host: to.ip,
        port: to.port,
        method: 'POST',
        path: `/${to.id}/${name}`,
        agent: false,
        headers: {
          'Libprocess-From': from,
          'Content-Type': 'application/json',
          'Content-Length': String(payload.length),
          Connection: 'close',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`Timed out after ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A libprocess-style connect error text: "Failed to connect to 127.0.0.1:5052: Connection refused". */
export function connectErrorText(to: Pid, err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'ECONNREFUSED' ? 'Connection refused'
    : code === 'ECONNRESET' ? 'Connection reset by peer'
    : code === 'EHOSTUNREACH' ? 'No route to host'
    : (err as Error)?.message ?? String(err);
  return `Failed to connect to ${to.ip}:${to.port}: ${reason}`;
}

export interface Link {
  close(): void;
}

/** Opens the agent→master link; `onClose` fires once when it breaks for any reason but `close()`. */
export function openLink(to: Pid, from: string, onClose: (why: string) => void): Link {
  let done = false;
  const finish = (why: string) => {
    if (done) return;
    done = true;
    onClose(why);
  };
  const req = http.request({
    host: to.ip,
    port: to.port,
    method: 'POST',
    path: `/${to.id}/${MSG.LINK}`,
    agent: false,
    headers: { 'Libprocess-From': from, 'Content-Length': '0' },
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      finish(`link refused with ${res.statusCode}`);
      return;
    }
    res.on('data', () => undefined);
    res.on('end', () => finish('link closed by the master'));
    res.on('error', (e) => finish(e.message));
    res.on('close', () => finish('link closed'));
  });
  req.on('error', (e) => finish(e.message));
  req.on('close', () => finish('link closed'));
  req.end();
  return {
    close() {
      done = true;
      req.destroy();
    },
  };
}
