import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadGenerator, type LoadShape, type Transition } from './generator';

/**
 * A leading Mesos master as the app sees one, for the load bench: the operator API's SUBSCRIBE
 * (SUBSCRIBED, then events as RecordIO on a chunked 200, HEARTBEATs every interval), GET_STATE, and the
 * GETs the app makes of a master (`/master/redirect`, `/metrics/snapshot`, `/master/state`). Status
 * updates go out at `rate` a second on every open stream, paced on the clock (a tick that runs late
 * sends what is due), so the rate achieved is what was asked unless this process cannot keep up —
 * which `stats()` shows. Anything else is answered 404 and counted.
 */
export interface LoadSourceOptions extends Omit<LoadShape, 'agentHost' | 'agentPort'> {
  heartbeatSeconds?: number;
}

export interface LoadSourceStats {
  /** Status updates (TASK_UPDATED) written to streams since the last setRate. */
  updates: number;
  /** Bytes of those updates' records (per stream). */
  bytes: number;
  since: number;
  streams: number;
  /** Written but not yet taken by the app (its socket's backlog here): a reader falling behind shows here. */
  backlogBytes: number;
  unknownRequests: string[];
}

export interface LoadSource {
  url: string;
  /** Status updates a second from now on (0: heartbeats only), `churn` of them state changes; `roundRobin`: health checks to each task in turn. */
  setRate(rate: number, churn?: number, roundRobin?: boolean): void;
  stats(): LoadSourceStats;
  /** Status updates sent since `from` (epoch ms). */
  updates(from: number): Transition[];
  close(): Promise<void>;
}

const TICK_MS = 10;
/** A tick that comes very late does not burst more than this many updates (a stalled process catches up slowly). */
const MAX_PER_TICK = 200;

export async function startLoadSource(options: LoadSourceOptions): Promise<LoadSource> {
  const streams = new Set<ServerResponse>();
  const unknown: string[] = [];
  let generator: LoadGenerator | undefined;
  let rate = 0;
  let counted = { updates: 0, bytes: 0, since: Date.now() };
  let paced = { sent: 0, since: Date.now() };

  const frame = (event: unknown) => {
    const body = Buffer.from(JSON.stringify(event));
    return Buffer.concat([Buffer.from(`${body.length}\n`), body]);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (err as Error).message });
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && (path === '/master/redirect' || path === '/redirect')) {
      // As the leader answers (testbed/transcripts/http/master-redirect.http): a 307 to itself, scheme-relative.
      res.writeHead(307, { Location: `//127.0.0.1:${port}`, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method === 'GET' && path === '/metrics/snapshot') {
      json(res, 200, metrics(gen()));
      return;
    }
    if (req.method === 'GET' && path === '/master/state') {
      json(res, 200, masterState(gen()));
      return;
    }
    if (req.method === 'POST' && path === '/api/v1') {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const call = JSON.parse(text) as { type?: string };
      if (call.type === 'GET_STATE') {
        json(res, 200, { type: 'GET_STATE', get_state: gen().state(Date.now()) });
        return;
      }
      if (call.type === 'SUBSCRIBE') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(frame(gen().subscribed(Date.now(), options.heartbeatSeconds ?? 15)));
        streams.add(res);
        res.on('close', () => streams.delete(res));
        return;
      }
    }
    unknown.push(`${req.method} ${path}`);
    json(res, 404, { error: `the load source does not answer ${req.method} ${path}` });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // The generator needs the port (agents are addressed at the source), so it is made once listening.
  const gen = () => (generator ??= new LoadGenerator({ ...options, agentHost: '127.0.0.1', agentPort: port }));
  gen();

  const ticker = setInterval(() => {
    if (streams.size === 0 || rate === 0) return;
    const now = Date.now();
    const due = Math.min(MAX_PER_TICK, Math.floor(((now - paced.since) * rate) / 1000) - paced.sent);
    if (due <= 0) return;
    paced.sent += due;
    const records: Buffer[] = [];
    for (let i = 0; i < due; i++) for (const event of gen().next(now)) records.push(frame(event));
    const chunk = Buffer.concat(records);
    for (const stream of streams) stream.write(chunk);
    counted.updates += due;
    counted.bytes += chunk.length;
  }, TICK_MS);
  const heartbeat = setInterval(() => {
    const chunk = frame({ type: 'HEARTBEAT' });
    for (const stream of streams) stream.write(chunk);
  }, (options.heartbeatSeconds ?? 15) * 1000);

  return {
    url: `http://127.0.0.1:${port}`,
    setRate(next, churn, roundRobin = false) {
      rate = next;
      if (churn !== undefined) gen().churn = churn;
      gen().roundRobin = roundRobin;
      counted = { updates: 0, bytes: 0, since: Date.now() };
      paced = { sent: 0, since: Date.now() };
    },
    stats: () => ({ ...counted, streams: streams.size, backlogBytes: [...streams].reduce((n, s) => n + s.writableLength, 0), unknownRequests: [...new Set(unknown)] }),
    updates: (from) => gen().sent.filter((t) => t.at >= from),
    close: async () => {
      clearInterval(ticker);
      clearInterval(heartbeat);
      for (const stream of streams) stream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A few of the keys a real `/metrics/snapshot` has (testbed/transcripts/after/metrics.http), as numbers. */
function metrics(gen: LoadGenerator): Record<string, number> {
  const { agents, running, ended } = gen.counts();
  return {
    'master/elected': 1,
    'master/uptime_secs': 3600,
    'master/slaves_active': agents,
    'master/slaves_connected': agents,
    'master/frameworks_active': 2,
    'master/tasks_running': running,
    'master/tasks_finished': ended,
    'master/cpus_total': agents * 64,
    'master/cpus_used': running * 0.1,
    'master/mem_total': agents * 262144,
    'master/mem_used': running * 32,
    'master/event_queue_messages': 0,
  };
}

/** `/master/state` as the offer poll reads it: agents and frameworks, no outstanding offers. */
function masterState(gen: LoadGenerator): Record<string, unknown> {
  return {
    id: `${gen.frameworkId.slice(0, 36)}`,
    hostname: '127.0.0.1',
    pid: 'master@127.0.0.1:5050',
    leader_info: { hostname: '127.0.0.1', port: 5050 },
    unreachable_slaves: 0,
    slaves: [],
    frameworks: [
      { id: gen.frameworkId, offers: [] },
      { id: gen.otherFrameworkId, offers: [] },
    ],
  };
}
