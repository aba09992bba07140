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
