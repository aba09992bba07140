// Scenario: ZooKeeper, two emulated masters and two emulated agents as containers
// (host networking, loopback ports). One leader is elected and the other redirects;
// both agents register; a paused agent is marked unreachable after the ping timeouts
// and comes back; stopping the leader moves leadership and the agents follow.
// Skips only when the images are missing (testbed/images/build.sh builds them), saying so — and never in
// CI, where `npm test` builds them first: there a missing image is a failure, not a skip.
import http from 'node:http';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, launch, missingImages, removeAll, waitFor, type ScenarioCluster } from './launcher';
import { skipSuite } from '../support/suite-skip';

const missing = await missingImages().catch(() => ['docker unavailable']);
const skip = skipSuite('scenario: HA cluster of emulated Mesos', missing.length > 0 ? `images missing (${missing.join(', ')}); build them with testbed/images/build.sh` : null);

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const json = async <T>(url: string) => JSON.parse((await get(url)).body) as T;
type State = { id: string; slaves: Array<{ id: string }>; unreachable_slaves: number };
const elected = async (url: string) => (await json<Record<string, number>>(`${url}/metrics/snapshot`))['master/elected'];

function zkChildren(servers: string, path: string): Promise<Array<{ name: string; data: string }>> {
  return new Promise((resolve, reject) => {
    const client = zookeeper.createClient(servers, { sessionTimeout: 5000, retries: 1 });
    const timer = setTimeout(() => {
      client.close();
      reject(new Error('zk timeout'));
    }, 10_000);
    client.once('connected', () => {
      client.getChildren(path, (err, children) => {
        if (err) {
          clearTimeout(timer);
          client.close();
          return reject(err);
        }
        Promise.all(
          children.map(
            (name) =>
              new Promise<{ name: string; data: string }>((ok, fail) =>
                client.getData(`${path}/${name}`, (e, data) => (e ? fail(e) : ok({ name, data: data.toString() }))),
              ),
          ),
        ).then(
          (r) => {
            clearTimeout(timer);
            client.close();
            resolve(r);
          },
          (e: unknown) => {
            clearTimeout(timer);
            client.close();
            reject(e);
          },
        );
      });
    });
    client.connect();
  });
}

describe.skipIf(skip)('scenario: HA cluster of emulated Mesos in containers', () => {
  let c: ScenarioCluster;
  let agentIds: string[] = [];
  const run = `${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    // Leftovers of an aborted earlier run hold the same ports.
    await removeAll().catch(() => undefined);
    // A short ZooKeeper session so a stopped leader's node goes away in seconds (the minimum
    // ZooKeeper grants is 2 × tickTime = 4 s).
    c = await launch({ run, masterFlags: ['--zk_session_timeout=4secs'] });
    const m1 = await c.startMaster(0);
    await waitFor('master 1 elected', async () => ((await elected(m1.url)) === 1 ? true : undefined), 60_000);
    await c.startMaster(1);
    await c.startAgent(0);
    await c.startAgent(1);
  }, 180_000);

  // By label, so containers go even when beforeAll failed half-way.
  afterAll(() => (c ? c.stop() : removeAll(run)), 120_000);

  it('elects one leader; the other master redirects to it', async () => {
    const [m1, m2] = c.masters as [NonNullable<(typeof c.masters)[0]>, NonNullable<(typeof c.masters)[1]>];
    await waitFor('master 2 up', async () => ((await get(`${m2.url}/master/health`)).status === 200 ? true : undefined), 60_000);
    // Health answers before the standby has read the group from ZooKeeper; until then it says
    // 503 "No leader elected" (as real Mesos does), so wait for it to know the leader.
    await waitFor('master 2 knows the leader', async () => ((await get(`${m2.url}/master/redirect`)).status === 307 ? true : undefined), 30_000);
    expect(await elected(m1.url)).toBe(1);
    expect(await elected(m2.url)).toBe(0);
    const r = await get(`${m2.url}/master/state`);
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe(`//127.0.0.1:${m1.port}/master/state`);
    expect((await get(`${m2.url}/master/redirect`)).headers.location).toBe(`//127.0.0.1:${m1.port}`);
  }, 90_000);

  it('registers both masters in ZooKeeper as json.info_* nodes with MasterInfo JSON', async () => {
    const nodes = await zkChildren(c.zk.url, '/mesos');
    const infos = nodes.filter((n) => /^json\.info_\d{10}$/.test(n.name)).sort((a, b) => a.name.localeCompare(b.name));
    expect(infos).toHaveLength(2);
    const leader = JSON.parse(infos[0]!.data) as { pid: string; ip: number; address: { ip: string; port: number } };
    expect(leader.pid).toBe(`master@127.0.0.1:${c.masters[0]!.port}`);
    expect(leader.ip).toBe(16777343);
    expect(leader.address).toEqual({ hostname: '127.0.0.1', ip: '127.0.0.1', port: c.masters[0]!.port });
  }, 30_000);

  it('registers both agents with the leader', async () => {
    const state = await waitFor(
      'two agents',
      async () => {
        const s = await json<State>(`${c.masters[0]!.url}/master/state`);
        return s.slaves.length === 2 ? s : undefined;
      },
      60_000,
    );
    agentIds = state.slaves.map((s) => s.id).sort();
    for (const id of agentIds) expect(id).toMatch(new RegExp(`^${state.id}-S\\d+$`));
    const logs = await c.logs(c.agents[0]!.name);
    expect(logs).toMatch(/Registered with master master@127\.0\.0\.1:\d+; given agent ID /);
  }, 90_000);

  it('marks a paused agent unreachable after 3 missed 1 s pings, and readmits it on unpause', async () => {
    const url = c.masters[0]!.url;
    await docker(['pause', c.agents[1]!.name]);
    const paused = Date.now();
    try {
      await waitFor('unreachable', async () => ((await json<State>(`${url}/master/state`)).unreachable_slaves === 1 ? true : undefined), 30_000, 250);
      const took = (Date.now() - paused) / 1000;
      expect(took).toBeGreaterThan(2);
      expect(took).toBeLessThan(10);
      expect((await json<State>(`${url}/master/state`)).slaves).toHaveLength(1);
    } finally {
      await docker(['unpause', c.agents[1]!.name]);
    }
    await waitFor('readmitted', async () => {
      const s = await json<State>(`${url}/master/state`);
      return s.slaves.length === 2 && s.unreachable_slaves === 0 ? true : undefined;
    }, 30_000, 250);
    expect(await c.logs(c.masters[0]!.name)).toMatch(/Marking agent \S+ \(127\.0\.0\.1\) unreachable: health check timed out/);
  }, 90_000);

  it('moves leadership when the leader stops, and the agents reregister with the new leader', async () => {
    const [m1, m2] = c.masters as [NonNullable<(typeof c.masters)[0]>, NonNullable<(typeof c.masters)[1]>];
    await docker(['stop', '--time', '1', m1.name]);
    await waitFor('master 2 elected', async () => ((await elected(m2.url)) === 1 ? true : undefined), 60_000, 500);
    const state = await waitFor(
      'agents on master 2',
      async () => {
        const s = await json<State>(`${m2.url}/master/state`);
        return s.slaves.length === 2 ? s : undefined;
      },
      60_000,
      500,
    );
    expect(state.slaves.map((s) => s.id).sort()).toEqual(agentIds);
    expect(await c.logs(m2.name)).toMatch(/Elected as the leading master!/);
  }, 120_000);
});
