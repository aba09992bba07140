// A small HTTP client for the contract tests (node:http, raw bytes, no redirects followed).
import http from 'node:http';
import { RecordIODecoder } from '../../mesos-emulator/src/index';
import { waitForEvent } from './event-waiter';

export interface Reply {
  status: number;
  /** Lower-cased names. */
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json(): unknown;
}

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: () => body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')) as unknown,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POST /api/v1 with a JSON call, the way the recording's curl sent it. */
export function call(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(`${baseUrl}/api/v1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: Array<{ type: string } & Record<string, unknown>>;
  /** Resolves with the first event (counting from the start) of that type. */
  waitFor(type: string, timeoutMs?: number, after?: number): Promise<{ type: string } & Record<string, unknown>>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an operator SUBSCRIBE stream and decodes its RecordIO events as they come. */
export function subscribe(baseUrl: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      agent: false,
    });
    req.on('response', (res) => {
      const decoder = new RecordIODecoder();
      const events: EventStream['events'] = [];
      const waiters = new Set<() => void>();
      res.on('data', (chunk: Buffer) => {
        for (const record of decoder.push(chunk)) events.push(JSON.parse(record.toString('utf8')) as EventStream['events'][number]);
        for (const w of [...waiters]) w();
      });
      res.on('error', () => undefined);
      const ended = new Promise<void>((done) => {
        res.on('end', () => done());
        res.on('close', () => done());
      });
      resolve({
        ended,
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        waitFor: (type, timeoutMs = 10_000, after = 0) => waitForEvent(events, waiters, (e) => e.type === type, `${type} event`, timeoutMs, after),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ type: 'SUBSCRIBE' }));
  });
}
