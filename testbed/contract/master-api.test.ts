// `POST /api/v1` on the leading master against transcripts/http/api-*.http, including the
// transport errors (405, 415, 406, 400) with their exact bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { call, request } from './support/http-client';
import { compareShape } from './support/shape';
import { readHttp } from './support/transcripts';

let cluster: Cluster;
let url: string;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
  url = cluster.leader.url;
});
afterAll(async () => cluster?.stop());

describe.each([
  ['http/api-get-health.http', 'GET_HEALTH'],
  ['http/api-get-version.http', 'GET_VERSION'],
  ['http/api-get-flags.http', 'GET_FLAGS'],
  ['http/api-get-master.http', 'GET_MASTER'],
  ['http/api-get-agents.http', 'GET_AGENTS'],
  ['http/api-get-frameworks.http', 'GET_FRAMEWORKS'],
  ['http/api-get-executors.http', 'GET_EXECUTORS'],
  ['http/api-get-tasks.http', 'GET_TASKS'],
  ['http/api-get-state.http', 'GET_STATE'],
])('%s', (file, type) => {
  it(`${type}: status, Content-Type, keys, types and enums`, async () => {
    const recorded = readHttp(file);
    const r = await call(url, { type });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    const diffs = compareShape(recorded.json(), r.json(), {
      // VersionInfo.git_tag names the emulator (optional in the proto, docs/mesos/api.md §2.2).
      allowExtra: ['get_version.version_info.git_tag'],
      // GET_FLAGS lists zk in the recording; in-process masters run without ZooKeeper,
      // so the list is one shorter — compared pairwise, every entry is {name, value}.
    });
    expect(diffs).toEqual([]);
  });
});

describe('GET_FLAGS', () => {
  it('lists the same flag names as the recording, except zk', async () => {
    const recorded = readHttp('http/api-get-flags.http').json() as { get_flags: { flags: Array<{ name: string }> } };
    const ours = (await call(url, { type: 'GET_FLAGS' })).json() as typeof recorded;
    const names = (x: typeof recorded) => x.get_flags.flags.map((f) => f.name);
    expect(names(ours)).toEqual(names(recorded).filter((n) => n !== 'zk'));
  });
});

describe('GET_METRICS', () => {
  it('without get_metrics is a 400 with the recorded message (http/api-get-metrics.http)', async () => {
    const recorded = readHttp('http/api-get-metrics.http');
    const r = await call(url, { type: 'GET_METRICS' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
  });

  it('with get_metrics lists {name, value} pairs', async () => {
    const r = (await call(url, { type: 'GET_METRICS', get_metrics: {} })).json() as {
      get_metrics: { metrics: Array<{ name: string; value: number }> };
    };
    expect(r.get_metrics.metrics.find((m) => m.name === 'master/elected')?.value).toBe(1);
  });
});

describe('transport errors', () => {
  it('GET is 405 with Allow: POST (http/api-get-method.http)', async () => {
    const recorded = readHttp('http/api-get-method.http');
    const r = await request(`${url}/api/v1`);
    expect(r.status).toBe(recorded.status);
    expect(r.headers.allow).toBe(recorded.header('Allow'));
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
  });

  it('Content-Type with a charset is 415 (http/api-charset-415.http)', async () => {
    const recorded = readHttp('http/api-charset-415.http');
    const r = await call(url, { type: 'GET_HEALTH' }, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
  });

  it('an Accept without JSON or protobuf is 406 (http/api-accept-406.http)', async () => {
    const recorded = readHttp('http/api-accept-406.http');
    const r = await call(url, { type: 'GET_HEALTH' }, { Accept: 'text/html' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
  });

  it('a missing Accept, or */*, means JSON', async () => {
    const noAccept = await request(`${url}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"type":"GET_HEALTH"}',
    });
    expect(noAccept.status).toBe(200);
    expect((await call(url, { type: 'GET_HEALTH' }, { Accept: '*/*' })).status).toBe(200);
  });

  it('an unknown call is a 400 "Expecting \'type\' to be present" (http/api-bad-call.http)', async () => {
    const recorded = readHttp('http/api-bad-call.http');
    const r = await call(url, { type: 'NOT_A_CALL' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
    expect((await call(url, {})).text()).toBe(recorded.body.toString());
  });

  it('a scheduler call for an unknown framework is 400 "Framework cannot be found" (http/sched-no-stream.http)', async () => {
    const recorded = readHttp('http/sched-no-stream.http');
    const r = await request(`${url}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type: 'DECLINE', framework_id: { value: 'nope-0000' }, decline: { offer_ids: [] } }),
    });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
    expect(r.text()).toBe(recorded.body.toString());
  });
});
