import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@shared/errors';
import { waitFor, zookeeperOk } from '../engine/readiness';
import { probeConnection } from './probe';

// Attaching by zk:// to masters that speak TLS: a real ZooKeeper (the test image) holds a leader entry
// as Mesos writes it (json.info_<seq>, a MasterInfo with no scheme), naming an https master on loopback.
// With the connection's CA the leader is reached over https; without TLS it is not Mesos over http.

const docker = new Dockerode();
const ZK_IMAGE = 'mesoscope/zookeeper:test';
const NAME = `mesoscope-zk-tls-${process.pid}`;
let dir: string;
let zkPort: number;
let master: https.Server;
let masterUrl: string;
let cert: string;

const VERSION = JSON.stringify({ version: '1.12.0', build_date: '2026-01-01 00:00:00', build_time: 1, build_user: '' });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Writes `/mesos-tls/json.info_0000000001` as a leading master's entry (Mesos' own node name). */
async function registerLeader(info: Record<string, unknown>): Promise<void> {
  const client = zookeeper.createClient(`127.0.0.1:${zkPort}`, { sessionTimeout: 5000, retries: 2 });
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  try {
    await new Promise<void>((resolve, reject) => client.mkdirp('/mesos-tls', (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) =>
      client.create('/mesos-tls/json.info_0000000001', Buffer.from(JSON.stringify(info)), (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mesoscope-zk-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=mesos.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  // A master as Mesos with SSL answers the calls attaching makes: /version and /master/redirect (to itself).
  master = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    if (req.url === '/version') return void res.end(VERSION);
    if (req.url === '/master/redirect') return void res.writeHead(307, { Location: `//${new URL(masterUrl).host}` }).end();
    res.end('{}');
  });
  await new Promise<void>((resolve) => master.listen(0, '127.0.0.1', resolve));
  const masterPort = (master.address() as AddressInfo).port;
  masterUrl = `https://127.0.0.1:${masterPort}`;

  zkPort = await freePort();
  const zk = await docker.createContainer({
    name: NAME,
    Image: ZK_IMAGE,
    Env: ['ZOO_MY_ID=1', 'ZOO_STANDALONE_ENABLED=true', `ZOO_SERVERS=server.1=localhost:2888:3888;127.0.0.1:${zkPort}`, `ZOO_CFG_EXTRA=clientPort=${zkPort}`, 'ZOO_4LW_COMMANDS_WHITELIST=ruok', 'ZOO_ADMINSERVER_ENABLED=false'],
    HostConfig: { NetworkMode: 'host', AutoRemove: false },
  });
  await zk.start();
  await waitFor(() => zookeeperOk('127.0.0.1', zkPort), 'ZooKeeper answering ruok', { timeoutMs: 60_000, intervalMs: 200 });
  await registerLeader({ id: 'tls-master-1', ip: 16777343, port: masterPort, hostname: '127.0.0.1', version: '1.12.0', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: masterPort } });
}, 120_000);

afterAll(async () => {
  master?.close();
  await docker
    .getContainer(NAME)
    .remove({ force: true, v: true })
    .catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('attach by zk:// to masters with TLS', () => {
  it('with the CA the leader from ZooKeeper is reached over https; without TLS, not over http', async () => {
    const zk = `zk://127.0.0.1:${zkPort}/mesos-tls`;
    expect(await probeConnection({ masters: [], zk, access: { tls: { ca: cert } }, authKind: 'none', timeoutMs: 5000 })).toEqual({ leader: masterUrl, version: '1.12.0' });
    const plain = await probeConnection({ masters: [], zk, authKind: 'none', timeoutMs: 5000 }).then(
      () => new Error('probe passed'),
      (e: unknown) => e,
    );
    expect(plain).toBeInstanceOf(ApiError);
    expect((plain as ApiError).message).toContain(`http://127.0.0.1:${new URL(masterUrl).port}`);
  }, 60_000);
});
