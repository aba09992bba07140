import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord } from './recordio';

/**
 * A stand-in for a master's `/api/v1/scheduler`, for unit tests of the client: SUBSCRIBE answers are
 * scripted by `onSubscribe` (stream bytes, redirects, refusals); every other call is recorded and
 * answered 202, as Mesos does.
 */

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: { type: string } & Record<string, unknown>;
}

export interface Subscription extends SeenRequest {
  res: http.ServerResponse;
  send(event: unknown): void;
  end(): void;
}

export interface FakeMaster {
  url: string;
  port: number;
  subscriptions: Subscription[];
  calls: SeenRequest[];
  /** Scripted answer to a SUBSCRIBE; the default opens a stream with Mesos-Stream-Id and sends nothing. */
  onSubscribe: (s: Subscription) => void;
  /** Answers every non-SUBSCRIBE call (default 202, empty). */
  onCall: (c: SeenRequest, res: http.ServerResponse) => void;
  close(): Promise<void>;
}

export function openSchedulerStream(s: Subscription, streamId: string): void {
  s.res.writeHead(200, { 'Mesos-Stream-Id': streamId, 'Content-Type': 'application/json' });
  s.res.flushHeaders();
}

export async function startFakeMaster(): Promise<FakeMaster> {
  const master: FakeMaster = {
    url: '',
    port: 0,
    subscriptions: [],
    calls: [],
    onSubscribe: (s) => openSchedulerStream(s, `stream-${master.subscriptions.length}`),
    onCall: (_c, res) => {
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
    },
    close: () => served.close(),
  };
  const served = await serveOnLoopback((req, text, res) => {
    const body = JSON.parse(text || '{}') as SeenRequest['body'];
    const seen: SeenRequest = { path: req.url ?? '', headers: req.headers, body };
    if (body.type === 'SUBSCRIBE') {
      const s: Subscription = {
        ...seen,
        res,
        send: (event) => res.write(encodeRecord(JSON.stringify(event))),
        end: () => res.end(),
      };
      master.subscriptions.push(s);
      master.onSubscribe(s);
    } else {
      master.calls.push(seen);
      master.onCall(seen, res);
    }
  });
  master.port = served.port;
  master.url = served.url;
  return master;
}

/** An HTTP server on 127.0.0.1 that hands over each request with its whole body; `close` drops its open streams too. */
export async function serveOnLoopback(
  handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void,
): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves once `check` returns a value, polling every 10 ms. */
export async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
