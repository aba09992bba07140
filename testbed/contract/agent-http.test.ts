// An agent's endpoints against transcripts/http/agent-*.http (agent 1 of the recording,
// registered, no tasks).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { fromApiMd } from './support/fixtures';
import { call, request } from './support/http-client';
import { compareShape } from './support/shape';
import { readHttp } from './support/transcripts';

let cluster: Cluster;
let url: string;

beforeAll(async () => {
  cluster = await startCluster({ agents: 1 });
  url = cluster.agents[0]!.url;
});
afterAll(async () => cluster?.stop());

const RUN_SPECIFIC = ['port', 'log_dir', 'work_dir', 'master'];

describe('GET /state (http/agent-state.http)', () => {
  it('has the recorded keys, types, enums and headers, at /state and /slave(1)/state', async () => {
    const recorded = readHttp('http/agent-state.http');
    for (const path of ['/state', '/slave(1)/state']) {
      const r = await request(url + path);
      expect(r.status).toBe(recorded.status);
      expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
      expect(compareShape(recorded.json(), r.json(), { allowExtra: ['git_tag'] })).toEqual([]);
    }
  });

  it('shows the recorded flag values, resources and master_hostname', async () => {
    const recorded = readHttp('http/agent-state.http').json() as Record<string, unknown>;
    const ours = (await request(`${url}/state`)).json() as Record<string, unknown>;
    const rf = recorded.flags as Record<string, string>;
    const of = ours.flags as Record<string, string>;
    for (const [k, v] of Object.entries(rf)) if (!RUN_SPECIFIC.includes(k)) expect.soft(of[k], k).toBe(v);
    expect(ours.resources).toEqual({ disk: 4096, mem: 2048, gpus: 0, cpus: 2, ports: '[31000-31099]' });
    expect(ours.unreserved_resources_full).toEqual(recorded.unreserved_resources_full);
    expect(ours.master_hostname).toBe(recorded.master_hostname);
    expect(ours.id).toBe(cluster.agents[0]!.agentId());
    expect(ours.id).toMatch(new RegExp(`^${cluster.leader.info.id}-S\\d+$`));
  });
});

describe.each([
  ['http/agent-flags.http', '/flags'],
  ['http/agent-monitor-statistics.http', '/monitor/statistics'],
  ['http/agent-containers.http', '/containers'],
])('%s', (file, path) => {
  it(`GET ${path}: status, headers, keys and types`, async () => {
    const recorded = readHttp(file);
    const r = await request(url + path);
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(compareShape(recorded.json(), r.json())).toEqual([]);
  });
});

describe('GET /health (http/agent-health.http)', () => {
  it('is 200 with an empty body', async () => {
    const recorded = readHttp('http/agent-health.http');
    const r = await request(`${url}/health`);
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-length']).toBe(recorded.header('Content-Length'));
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
  });
});

describe('GET /metrics/snapshot (http/agent-metrics.http)', () => {
  it('has exactly the recorded keys', async () => {
    const recorded = readHttp('http/agent-metrics.http').json() as Record<string, number>;
    const ours = (await request(`${url}/metrics/snapshot`)).json() as Record<string, number>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
    expect(ours['slave/registered']).toBe(1);
    expect(ours['slave/cpus_total']).toBe(2);
    expect(ours['slave/executor_directory_max_allowed_age_secs']).toBe(recorded['slave/executor_directory_max_allowed_age_secs']);
    expect(ours['containerizer/fetcher/cache_size_total_bytes']).toBe(recorded['containerizer/fetcher/cache_size_total_bytes']);
  });
});

describe('GET /files/debug (http/agent-files-debug.http)', () => {
  it('maps /slave/log to the real glog file', async () => {
    const recorded = readHttp('http/agent-files-debug.http');
    const r = await request(`${url}/files/debug`);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    const ours = r.json() as Record<string, string>;
    expect(compareShape(recorded.json(), ours, { enums: false })).toEqual([]);
    const name = /[^/]+$/;
    const pattern = /^mesos-agent\.[^.]+\.[^.]+\.log\.INFO\.\d{8}-\d{6}\.\d+$/;
    expect((recorded.json() as Record<string, string>)['/slave/log']!.match(name)![0]).toMatch(pattern);
    expect(ours['/slave/log']!.match(name)![0]).toMatch(pattern);
  });
});

describe.each([
  ['http/agent-api-get-health.http', 'GET_HEALTH', true],
  ['http/agent-api-get-state.http', 'GET_STATE', true],
  ['http/agent-api-get-containers.http', 'GET_CONTAINERS', true],
  ['http/agent-api-get-agent.http', 'GET_AGENT', false],
  ['http/agent-api-get-version.http', 'GET_VERSION', false],
])('%s', (file, type, exact) => {
  it(`${type}: status, Content-Type and ${exact ? 'the exact body' : 'keys, types, enums'}`, async () => {
    const recorded = readHttp(file);
    const r = await call(url, { type });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    if (exact) expect(r.text()).toBe(recorded.body.toString());
    else expect(compareShape(recorded.json(), r.json(), { allowExtra: ['get_version.version_info.git_tag'] })).toEqual([]);
  });
});

describe('agent v1 calls without a transcript (docs/mesos/api.md §2.5 shapes)', () => {
  it.each([
    ['GET_TASKS', 'agent_GET_TASKS'],
    ['GET_EXECUTORS', 'agent_GET_EXECUTORS'],
    ['GET_FRAMEWORKS', 'agent_GET_FRAMEWORKS'],
  ])('%s', async (type, key) => {
    const fixture = fromApiMd(key);
    const r = (await call(url, { type })).json() as Record<string, unknown>;
    const { _from, ...expected } = fixture;
    void _from;
    expect(compareShape({ type, ...expected }, r)).toEqual([]);
  });

  it('validates as agent::Call and never redirects', async () => {
    const r = await call(url, { type: 'NOPE' });
    expect(r.status).toBe(400);
    expect(r.text()).toBe("Failed to validate agent::Call: Expecting 'type' to be present");
    expect((await request(`${url}/api/v1`)).status).toBe(405);
  });
});
