import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { electedLeaderSeenBy, leaderSeenBy } from './readiness';

// The master probes against a real HTTP server on loopback answering as a master does (docs/mesos/api.md
// §0.6: /master/redirect is a protocol-relative 307 to the leader, 503 while none is known).

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A master on a free port: `redirect` is where /master/redirect points (null: 503), `elected` its metric. */
async function master(answer: (port: number) => { redirect: string | null; elected: number }): Promise<number> {
  server = createServer((req, res) => {
    const port = (server!.address() as AddressInfo).port;
    const { redirect, elected } = answer(port);
    if (req.url === '/master/redirect') {
      if (redirect === null) res.writeHead(503).end();
      else res.writeHead(307, { location: redirect }).end();
    } else if (req.url === '/metrics/snapshot') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ 'master/elected': elected, 'master/uptime_secs': 3.2 }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('master readiness', () => {
  it('reads the leader from the redirect, and none while the master answers 503', async () => {
    let known = false;
    const port = await master((p) => ({ redirect: known ? `//127.0.0.1:${p}/master/redirect` : null, elected: 1 }));
    expect(await leaderSeenBy('127.0.0.1', port)).toBeUndefined();
    known = true;
    expect(await leaderSeenBy('127.0.0.1', port)).toBe(`127.0.0.1:${port}`);
  });

  it('after a restart, a redirect to a leader that is not elected (a stale ZooKeeper entry) is not ready; once elected it is', async () => {
    let elected = 0;
    const port = await master((p) => ({ redirect: `//127.0.0.1:${p}`, elected }));
    expect(await leaderSeenBy('127.0.0.1', port)).toBe(`127.0.0.1:${port}`);
    expect(await electedLeaderSeenBy('127.0.0.1', port)).toBeUndefined();
    elected = 1;
    expect(await electedLeaderSeenBy('127.0.0.1', port)).toBe(`127.0.0.1:${port}`);
  });
});
