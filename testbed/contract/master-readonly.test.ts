// The master's read-only endpoints against transcripts/http/ (master 1 of the recording,
// two agents registered, no frameworks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { request } from './support/http-client';
import { compareShape } from './support/shape';
import { readHttp } from './support/transcripts';
import { EMULATOR_BUILD_USER, EMULATOR_GIT_TAG } from '../mesos-emulator/src/index';

let cluster: Cluster;
let url: string;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
  url = cluster.leader.url;
});
afterAll(async () => cluster?.stop());

/** Values that depend on the run (ports, paths, ids, times), compared by type only. */
const RUN_SPECIFIC_FLAGS = ['port', 'log_dir', 'work_dir'];

function expectSameHeaders(recorded: ReturnType<typeof readHttp>, actual: { headers: Record<string, unknown> }, names: string[]) {
  for (const n of names) expect.soft(actual.headers[n.toLowerCase()], n).toBe(recorded.header(n));
}

describe('GET /master/state (http/master-state.http)', () => {
  it('has the recorded keys, types, enums and headers', async () => {
    const recorded = readHttp('http/master-state.http');
    const r = await request(`${url}/master/state`);
    expect(r.status).toBe(recorded.status);
    expectSameHeaders(recorded, r, ['Content-Type']);
    expect(r.headers['content-length']).toBe(String(r.body.length));
    const diffs = compareShape(recorded.json(), r.json(), {
      // The emulator names itself in git_tag (an optional VersionInfo field, docs/mesos/api.md §1.2).
      allowExtra: ['git_tag'],
      // In-process masters run without ZooKeeper.
      allowMissing: ['flags.zk'],
    });
    expect(diffs).toEqual([]);
  });

  it('is served at /state too (the master is the HTTP delegate)', async () => {
    const a = (await request(`${url}/state`)).json() as Record<string, unknown>;
    expect(a.id).toBe(cluster.leader.info.id);
  });

  it('shows the flag defaults the recorded master showed', async () => {
    const recorded = (readHttp('http/master-state.http').json() as { flags: Record<string, string> }).flags;
    const ours = ((await request(`${url}/master/state`)).json() as { flags: Record<string, string> }).flags;
    for (const [k, v] of Object.entries(recorded)) {
      if (k === 'zk' || RUN_SPECIFIC_FLAGS.includes(k)) continue;
      expect.soft(ours[k], k).toBe(v);
    }
  });

  it('reports the emulator in build_user and git_tag, and Mesos 1.12.0 as version', async () => {
    const s = (await request(`${url}/master/state`)).json() as Record<string, unknown>;
    expect(s.version).toBe('1.12.0');
    expect(s.build_user).toBe(EMULATOR_BUILD_USER);
    expect(s.git_tag).toBe(EMULATOR_GIT_TAG);
  });

  it('writes doubles as Mesos does (2.0, not 2)', async () => {
    const text = (await request(`${url}/master/state`)).text();
    expect(text).toContain('"activated_slaves":2.0');
    expect(text).toContain('"cpus":2.0');
  });

  it('supports ?jsonp=', async () => {
    const r = await request(`${url}/master/state?jsonp=cb`);
    expect(r.headers['content-type']).toBe('text/javascript');
    expect(r.text().startsWith('cb({')).toBe(true);
  });
});

describe.each([
  ['http/master-state-summary.http', '/master/state-summary'],
  ['http/master-slaves.http', '/master/slaves'],
  ['http/master-frameworks.http', '/master/frameworks'],
  ['http/master-tasks.http', '/master/tasks'],
  ['http/master-flags.http', '/master/flags'],
])('%s', (file, path) => {
  it(`GET ${path} matches keys, types, enums, status and headers`, async () => {
    const recorded = readHttp(file);
    const r = await request(url + path);
    expect(r.status).toBe(recorded.status);
    expectSameHeaders(recorded, r, ['Content-Type']);
    expect(compareShape(recorded.json(), r.json(), { allowMissing: ['flags.zk'] })).toEqual([]);
  });
});

describe('GET /master/health (http/master-health.http)', () => {
  it('is 200 with an empty body and no Content-Type', async () => {
    const recorded = readHttp('http/master-health.http');
    const r = await request(`${url}/master/health`);
    expect(r.status).toBe(recorded.status);
    expect(r.body.length).toBe(0);
    expect(r.headers['content-length']).toBe(recorded.header('Content-Length'));
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
  });
});

describe('GET /master/redirect on the leader (http/master-redirect.http)', () => {
  it('is a 307 to //<leader hostname>:<port>', async () => {
    const recorded = readHttp('http/master-redirect.http');
    const r = await request(`${url}/master/redirect`);
    expect(r.status).toBe(recorded.status);
    expect(r.headers.location).toBe(recorded.header('Location')!.replace(':5050', `:${cluster.leader.port}`));
    expect(r.headers['content-length']).toBe('0');
  });
});

describe('GET /version (http/version.http)', () => {
  it('has the recorded keys (sorted) plus git_tag naming the emulator', async () => {
    const recorded = readHttp('http/version.http');
    const r = await request(`${url}/version`);
    expect(r.status).toBe(200);
    expectSameHeaders(recorded, r, ['Content-Type']);
    expect(compareShape(recorded.json(), r.json(), { allowExtra: ['git_tag'] })).toEqual([]);
    expect(Object.keys(r.json() as object)).toEqual(['build_date', 'build_time', 'build_user', 'git_tag', 'version']);
  });
});

describe('GET /metrics/snapshot (http/metrics-snapshot.http)', () => {
  it('has exactly the recorded keys, all numbers', async () => {
    const recorded = readHttp('http/metrics-snapshot.http').json() as Record<string, number>;
    const ours = (await request(`${url}/metrics/snapshot`)).json() as Record<string, number>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
    for (const v of Object.values(ours)) expect(typeof v).toBe('number');
  });

  it('counts what docs/mesos/api.md §1.8 names for two registered agents', async () => {
    const m = (await request(`${url}/metrics/snapshot`)).json() as Record<string, number>;
    expect(m['master/elected']).toBe(1);
    expect(m['master/slaves_active']).toBe(2);
    expect(m['master/slaves_connected']).toBe(2);
    expect(m['master/slave_registrations']).toBe(2);
    expect(m['master/messages_register_slave']).toBe(2);
    expect(m['master/cpus_total']).toBe(4);
    expect(m['master/mem_total']).toBe(4096);
    expect(m['master/uptime_secs']).toBeGreaterThan(0);
  });
});

describe('routing', () => {
  it('answers removed and unknown endpoints with 404 (docs/mesos/api.md §0.2: /state.json is gone since 1.8)', async () => {
    expect((await request(`${url}/state.json`)).status).toBe(404);
    expect((await request(`${url}/master/nope`)).status).toBe(404);
  });
});
