import type http from 'node:http';
import { serveOnLoopback } from './fake-master.test-support';
import { encodeRecord } from './recordio';

/**
 * A stand-in for a master's operator side, for unit tests of MasterClient: `/api/v1` SUBSCRIBE streams
 * scripted by `onSubscribe`, other v1 calls and GETs answered by `routes` (path or call type → answer).
 * Every request is recorded with its headers. `standbyOf(url)` makes it a standby: 307 to that leader.
 */

export interface SeenOperatorRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface OperatorStream {
  res: http.ServerResponse;
  /** Frames and writes one event (an object) or raw bytes. */
  send(event: unknown): void;
  raw(bytes: Buffer | string): void;
  end(): void;
}

export interface FakeOperatorMaster {
  url: string;
  port: number;
  requests: SeenOperatorRequest[];
  streams: OperatorStream[];
  onSubscribe: (s: OperatorStream, req: SeenOperatorRequest) => void;
  /** `GET /master/state`, `GET /metrics/snapshot`, `POST GET_STATE`… → [status, body, headers?]. */
  routes: Record<string, () => [number, string, Record<string, string>?]>;
  /** When set, every /api/v1 and /master/* request (but /master/redirect's own answer) is a 307 to it. */
  leader?: string;
  /** Where /master/redirect points (default: `leader`, else itself), e.g. a leader that just lost office. */
  redirectTo?: string;
  close(): Promise<void>;
}

export async function startFakeOperatorMaster(): Promise<FakeOperatorMaster> {
  const fake: FakeOperatorMaster = {
    url: '',
    port: 0,
    requests: [],
    streams: [],
    routes: {},
    onSubscribe: (s) => s.res.writeHead(200, { 'Content-Type': 'application/json' }),
    close: () => served.close(),
  };
  const served = await serveOnLoopback((req, text, res) => {
    const seen: SeenOperatorRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text };
    fake.requests.push(seen);
    const path = seen.path.replace(/^\/master\/api\/v1/, '/api/v1');
    if (path === '/master/redirect') {
      const leader = new URL(fake.redirectTo ?? fake.leader ?? fake.url);
      res.writeHead(307, { Location: `//${leader.host}`, 'Content-Length': '0' }).end();
      return;
    }
    if (fake.leader && (path.startsWith('/api/v1') || path.startsWith('/master/'))) {
      // A standby's Location is protocol-relative (docs/mesos/api.md §0.6).
      res.writeHead(307, { Location: `//${new URL(fake.leader).host}/master${path.replace(/^\/master/, '')}`, 'Content-Length': '0' }).end();
      return;
    }
    const type = path === '/api/v1' ? (JSON.parse(seen.body || '{}') as { type?: string }).type : undefined;
    if (type === 'SUBSCRIBE') {
      const s: OperatorStream = {
        res,
        send: (event) => res.write(encodeRecord(JSON.stringify(event))),
        raw: (bytes) => res.write(bytes),
        end: () => res.end(),
      };
      fake.streams.push(s);
      fake.onSubscribe(s, seen);
      return;
    }
    const route = fake.routes[type ?? path];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const [status, body, headers] = route();
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(body);
  });
  fake.port = served.port;
  fake.url = served.url;
  return fake;
}
