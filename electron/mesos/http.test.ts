import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { get, post } from './http';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server on `port` (0: any) answering with `answer(req)`; resolves to its port, or null if taken. */
function serve(port: number, answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<number | null> {
  return new Promise((resolve) => {
    server = http.createServer(answer);
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port));
  });
}

describe('get and post', () => {
  it('reach port 5060, a "bad port" fetch() refuses, where a cluster’s 10th agent listens', async () => {
    const port = await serve(5060, (_req, res) => res.end('{"ok":true}'));
    if (port === null) return; // taken on this machine: nothing to prove here
    await expect(fetch(`http://127.0.0.1:${port}/x`)).rejects.toThrow();
    const answer = await get(`http://127.0.0.1:${port}/x`);
    expect(answer).toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('follow 307s, or hand back the Location when told not to; a GET sends no body, a POST exact JSON', async () => {
    const seen: string[] = [];
    const port = await serve(0, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['content-type'] ?? '-'}`);
      if (req.url === '/old') res.writeHead(307, { Location: '/new' }).end();
      else res.end('here');
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await get(`${base}/old`)).toMatchObject({ url: `${base}/new`, status: 200, body: 'here' });
    expect(await get(`${base}/old`, { follow: false })).toMatchObject({ status: 307, location: '/new' });
    expect(await post(`${base}/api`, '{}')).toMatchObject({ status: 200 });
    expect(seen).toEqual(['GET /old -', 'GET /new -', 'GET /old -', 'POST /api application/json']);
  });
});
