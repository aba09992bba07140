import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@shared/errors';
import { authorizationHeader } from '../mesos/access';
import { probeConnection, type ProbeTarget } from './probe';

// probeConnection against real HTTP(S) servers on 127.0.0.1: each failure its own reason and words.
// The Mesos-like server answers as Mesos 1.12 does with --authenticate_http_readonly/_readwrite
// (docs/mesos/api.md §10): /version and /master/redirect open, the rest 401 without `ops:pw`.

const VERSION = JSON.stringify({ version: '1.12.0', build_date: '2026-01-01 00:00:00', build_time: 1, build_user: '' });
let dir: string;
let cert: string;
let fingerprint: string;
const servers: http.Server[] = [];

function mesosLike(req: http.IncomingMessage, res: http.ServerResponse, self: () => string): void {
  const authorized = req.headers.authorization === authorizationHeader({ kind: 'basic', username: 'ops', password: 'pw' }).Authorization;
  if (req.url === '/version') return void res.end(VERSION);
  if (req.url === '/master/redirect') return void res.writeHead(307, { Location: `//${new URL(self()).host}` }).end();
  if (!authorized) {
    const realm = req.url === '/api/v1' ? 'readwrite' : 'readonly';
    return void res.writeHead(401, { 'WWW-Authenticate': `Basic realm="mesos-master-${realm}"` }).end('401 Unauthorized.');
  }
  res.end(req.url === '/api/v1' ? JSON.stringify({ type: 'GET_VERSION' }) : '{}');
}

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = server instanceof https.Server ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let plainUrl: string;
let tlsUrl: string;
let htmlUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesoscope-probe-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=mesos.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const der = Buffer.from(cert.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  fingerprint = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  writeFileSync(join(dir, 'ca.pem'), cert);
  plainUrl = await listen(http.createServer((req, res) => mesosLike(req, res, () => plainUrl)));
  tlsUrl = await listen(https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => mesosLike(req, res, () => tlsUrl)));
  htmlUrl = await listen(http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Jenkins</body></html>')));
});

afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const basic = (password: string) => ({ headers: authorizationHeader({ kind: 'basic', username: 'ops', password }) });

async function refused(target: ProbeTarget): Promise<ApiError> {
  const err = await probeConnection({ timeoutMs: 3000, ...target }).then(
    () => new Error('probe passed'),
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw err;
  expect(err.code).toBe('refused');
  return err;
}

describe('probeConnection', () => {
  it('passes with the right credentials, naming the leader and version', async () => {
    expect(await probeConnection({ masters: [plainUrl], access: basic('pw'), authKind: 'basic' })).toEqual({ leader: plainUrl, version: '1.12.0' });
  });

  it('wrong credentials, none, a token: the 401 in words for each', async () => {
    const wrong = await refused({ masters: [plainUrl], access: basic('nope'), authKind: 'basic' });
    expect(wrong.detail).toMatchObject({ reason: 'unauthorized', url: plainUrl });
    expect(wrong.message).toMatch(/^401 Unauthorized: .*user name or password is wrong/);
    expect((await refused({ masters: [plainUrl], authKind: 'none' })).message).toMatch(/requires HTTP authentication/);
    expect((await refused({ masters: [plainUrl], access: { headers: authorizationHeader({ kind: 'bearer', token: 't' }) }, authKind: 'bearer' })).message).toMatch(/does not accept this token/);
  });

  it('nothing listening: unreachable', async () => {
    const closed = http.createServer();
    const url = await listen(closed);
    await new Promise((r) => closed.close(r));
    const err = await refused({ masters: [url], authKind: 'none' });
    expect(err.detail).toMatchObject({ reason: 'unreachable', url });
    expect(err.message).toMatch(/cannot be reached: connection refused/);
  });

  it('a leader still recovering (503 "Master has not finished recovery", as Mesos 1.12 answers): no-leader, to try again', async () => {
    const recovering: string = await listen(
      http.createServer((req, res) => {
        if (req.url !== '/api/v1') return mesosLike(req, res, () => recovering);
        res.writeHead(503).end('Master has not finished recovery');
      }),
    );
    const err = await refused({ masters: [recovering], access: basic('pw'), authKind: 'basic' });
    expect(err.detail).toMatchObject({ reason: 'no-leader', url: recovering });
    expect(err.message).toMatch(/leads but is still recovering \(POST \/api\/v1 \(the operator API\) answered 503: Master has not finished recovery\): try again in a moment/);
  });

  it('a web server that is not Mesos: not-mesos, with what it answered', async () => {
    const err = await refused({ masters: [htmlUrl], authKind: 'none' });
    expect(err.detail).toMatchObject({ reason: 'not-mesos' });
    expect(err.message).toMatch(/is not a Mesos master: its \/version answered <html><body>Jenkins/);
  });

  it('a certificate nobody vouches for: tls, with its fingerprint; trusted by its CA or by the pin', async () => {
    const err = await refused({ masters: [tlsUrl], access: basic('pw'), authKind: 'basic' });
    expect(err.detail).toMatchObject({ reason: 'tls', fingerprint256: fingerprint });
    expect(err.message).toMatch(/^TLS mismatch at https:\/\/127\.0\.0\.1:\d+: the certificate is not one this connection trusts/);
    const wrongPin = await refused({ masters: [tlsUrl], access: { ...basic('pw'), tls: { fingerprint256: '00'.repeat(32) } }, authKind: 'basic' });
    expect(wrongPin.detail).toMatchObject({ reason: 'tls', fingerprint256: fingerprint });
    expect(wrongPin.message).toMatch(/not the pinned 0000/);
    expect(await probeConnection({ masters: [tlsUrl], access: { ...basic('pw'), tls: { fingerprint256: fingerprint } }, authKind: 'basic' })).toMatchObject({ leader: tlsUrl });
    // The self-signed certificate is its own CA: given as the CA file's content, the chain and name check pass.
    expect(await probeConnection({ masters: [tlsUrl], access: { ...basic('pw'), tls: { ca: cert } }, authKind: 'basic' })).toMatchObject({ leader: tlsUrl });
  });
});
