import zookeeper from 'node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import { MasterClient, masterInfoUrl, type StreamItem } from './master-client';
import { MasterInfoSchema } from '@shared/mesos/v1';
import { encodeRecord } from './recordio';
import { startFakeOperatorMaster, type FakeOperatorMaster } from './fake-operator.test-support';
import { httpBody, recordedOperatorEvents, transcriptBytes } from './transcripts.test-support';

/** MasterClient against a local fake master replaying what a real Mesos 1.12 sent. */

const fakes: FakeOperatorMaster[] = [];
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(): Promise<FakeOperatorMaster> {
  const f = await startFakeOperatorMaster();
  fakes.push(f);
  return f;
}

/** Collects stream items until `done` says so (or the timeout). */
async function collect(client: MasterClient, done: (items: StreamItem[]) => boolean, timeoutMs = 5000): Promise<StreamItem[]> {
  const controller = new AbortController();
  controllers.push(controller);
  const items: StreamItem[] = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const item of client.subscribe(controller.signal)) {
      items.push(item);
      if (done(items)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return items;
}

const kinds = (items: StreamItem[]) => items.map((i) => i.kind);
const subscribed = (heartbeat: number) => ({
  type: 'SUBSCRIBED',
  subscribed: { get_state: { get_agents: { agents: [] } }, heartbeat_interval_seconds: heartbeat },
});

it('a ZooKeeper reply with an error code the client library does not know is an error, not a crash', () => {
  const create = (zookeeper.Exception as unknown as { create: (code: number) => { getCode(): number } }).create;
  expect(create(-4242).getCode()).toBe(zookeeper.Exception.SYSTEM_ERROR);
  expect(create(zookeeper.Exception.NO_NODE).getCode()).toBe(zookeeper.Exception.NO_NODE);
});

describe('MasterClient.subscribe', () => {
  it('decodes the recorded RecordIO bytes in arbitrary chunks, with the exact JSON headers', async () => {
    const m = await fake();
    const bytes = transcriptBytes('basic/operator.stream.recordio');
    m.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      // Chunks unrelated to records, some splitting multi-byte characters and length prefixes.
      for (let i = 0, n = 1; i < bytes.length; i += n, n = (n * 7 + 3) % 997) s.raw(bytes.subarray(i, i + n));
    };
    const expected = recordedOperatorEvents('basic/operator.events.jsonl');
    const items = await collect(new MasterClient({ masters: [m.url] }), (x) => x.length >= expected.length);
    expect(items.map((i) => (i.kind === 'event' ? i.event.type : i.kind.toUpperCase()))).toEqual(expected.map((e) => e.event.type));
    const first = items[0] as Extract<StreamItem, { kind: 'subscribed' }>;
    expect(first).toMatchObject({ resync: false, heartbeatIntervalSeconds: 15, leader: { url: m.url } });
    expect(first.state.get_agents.agents).toHaveLength(2);
    const sub = m.requests.find((r) => r.body.includes('SUBSCRIBE'))!;
    expect(sub).toMatchObject({ method: 'POST', path: '/api/v1', body: '{"type":"SUBSCRIBE"}' });
    expect(sub.headers['content-type']).toBe('application/json');
    expect(sub.headers.accept).toBe('application/json');
  });

  it('follows a standby to the leader: /master/redirect and the 307 of /api/v1', async () => {
    const leader = await fake();
    const standby = await fake();
    standby.leader = leader.url;
    leader.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      s.send(subscribed(15));
    };
    const client = new MasterClient({ masters: [standby.url, leader.url] });
    const found = await client.discoverLeader();
    expect(found.url).toBe(leader.url);
    expect(found.masters).toEqual([
      { url: standby.url, leader: false },
      { url: leader.url, leader: true },
    ]);
    // A master that still calls itself leader but answers 307 (`//host:port/master/api/v1`): followed.
    standby.redirectTo = standby.url;
    const direct = new MasterClient({ masters: [standby.url] });
    const items = await collect(direct, (x) => x.some((i) => i.kind === 'subscribed'));
    expect(items.at(-1)).toMatchObject({ kind: 'subscribed', leader: { url: leader.url } });
    expect(leader.requests.some((r) => r.path === '/master/api/v1')).toBe(true);
  });

  it('maps a leader named by a hostname only its network resolves (a bridge network) to the address given', async () => {
    const leader = await fake();
    const standby = await fake();
    const port = new URL(leader.url).port;
    standby.leader = `http://mesoscope-demo-master-2:${port}`;
    const reachable = (url: string) => url.replace('mesoscope-demo-master-2', '127.0.0.1');
    const found = await new MasterClient({ masters: [standby.url, leader.url], reachable }).discoverLeader();
    expect(found.url).toBe(`http://127.0.0.1:${port}`);
    expect(found.masters.filter((m) => m.leader)).toEqual([{ url: `http://127.0.0.1:${port}`, leader: true }]);
  });

  it('counts ~5 silent heartbeat intervals as broken, reconnects with backoff and resyncs', async () => {
    const m = await fake();
    m.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      s.send(subscribed(0.04)); // then silence
    };
    const client = new MasterClient({ masters: [m.url], backoffMs: [50], missedHeartbeats: 5 });
    const started = Date.now();
    const items = await collect(client, (x) => x.filter((i) => i.kind === 'subscribed').length === 2);
    expect(kinds(items)).toEqual(['subscribed', 'disconnected', 'subscribed']);
    expect(items[1]).toMatchObject({ kind: 'disconnected', reason: expect.stringMatching(/no event for 5 heartbeat intervals/), retryInMs: 50 });
    expect(items[0]).toMatchObject({ resync: false });
    expect(items[2]).toMatchObject({ resync: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('heartbeats keep a stream alive', async () => {
    const m = await fake();
    m.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      s.send(subscribed(0.04));
      let n = 0;
      const t = setInterval(() => (n++ < 12 ? s.send({ type: 'HEARTBEAT' }) : clearInterval(t)), 30);
    };
    const items = await collect(new MasterClient({ masters: [m.url], backoffMs: [50] }), (x) => x.length >= 13);
    expect(kinds(items)).toEqual(['subscribed', ...Array(12).fill('heartbeat')]);
  });

  it('reports malformed records and keeps going; a broken framing ends the stream and is reported', async () => {
    const m = await fake();
    m.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      if (m.streams.length > 1) return s.send(subscribed(15));
      s.send(subscribed(15));
      s.raw(encodeRecord('{"type": "TASK_ADDED", "task_added": '));
      s.send({ type: 'TASK_UPDATED', task_updated: { status: { state: 'NOT_A_STATE' } } });
      s.send({ type: 'FUTURE_EVENT', future_event: {} });
      s.send({ type: 'HEARTBEAT' });
      // Records in the same chunk as a framing error are lost with it; the resync makes up for them.
      setTimeout(() => s.raw('12x\n'), 30);
    };
    const items = await collect(new MasterClient({ masters: [m.url], backoffMs: [20] }), (x) => x.filter((i) => i.kind === 'subscribed').length === 2);
    expect(kinds(items)).toEqual(['subscribed', 'problem', 'problem', 'event', 'heartbeat', 'disconnected', 'subscribed']);
    expect(items[1]).toMatchObject({ error: expect.stringMatching(/unparsable operator event/) });
    expect(items[2]).toMatchObject({ error: expect.stringMatching(/malformed TASK_UPDATED event/) });
    expect(items[3]).toMatchObject({ event: { type: 'FUTURE_EVENT', unknown: true } });
    expect(items[5]).toMatchObject({ reason: expect.stringMatching(/RecordIO: malformed record length/) });
  });

  it('reconnects when the master ends the stream, and stops at once when aborted', async () => {
    const m = await fake();
    m.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      s.send(subscribed(15));
      if (m.streams.length === 1) setTimeout(() => s.end(), 20);
    };
    const items = await collect(new MasterClient({ masters: [m.url], backoffMs: [20] }), (x) => x.length === 3);
    expect(items.map((i) => (i.kind === 'disconnected' ? i.reason : i.kind))).toEqual(['subscribed', 'the master ended the stream', 'subscribed']);
    await new Promise((r) => setTimeout(r, 50));
    expect(m.streams.every((s) => s.res.destroyed || s.res.writableEnded)).toBe(true);
  });
});

describe('MasterClient calls', () => {
  it('GET_STATE, /master/state and /metrics/snapshot from the recorded answers', async () => {
    const m = await fake();
    m.routes.GET_STATE = () => [200, httpBody('after/api-get-state.http')];
    m.routes['/master/state'] = () => [200, httpBody('after/master-state.http')];
    m.routes['/metrics/snapshot'] = () => [200, httpBody('after/metrics.http')];
    const client = new MasterClient({ masters: [m.url] });
    const state = await client.getState();
    expect(state.get_tasks.completed_tasks.length).toBeGreaterThan(5);
    expect(state.get_agents.agents[0]!.registered_time!.nanoseconds).toBeGreaterThan(1.7e18);
    const ms = await client.masterState();
    expect(ms.slaves).toHaveLength(2);
    expect(ms.leader_info).toMatchObject({ port: 5050 });
    const metrics = await client.metrics();
    expect(metrics['master/elected']).toBe(1);
    for (const r of m.requests.filter((x) => x.method === 'GET')) expect(r.headers.accept).toBe('application/json');
    const post = m.requests.find((x) => x.method === 'POST')!;
    expect([post.headers['content-type'], post.headers.accept]).toEqual(['application/json', 'application/json']);
  });

  it('aborts a call', async () => {
    const m = await fake();
    m.routes['/master/state'] = () => [200, '{}'];
    const client = new MasterClient({ masters: [m.url] });
    const c = new AbortController();
    c.abort();
    await expect(client.masterState(c.signal)).rejects.toThrow();
  });

  it('takes the leader address from MasterInfo.address, not the packed ip (ha/zk-json.info_*)', () => {
    const info = MasterInfoSchema.parse(JSON.parse(transcriptBytes('ha/zk-json.info_0000000000.json').toString('utf8')));
    expect(masterInfoUrl(info)).toBe('http://127.0.0.1:5050');
    const { address: _drop, ...legacy } = info;
    expect(masterInfoUrl(legacy)).toBe('http://127.0.0.1:5050');
  });
});
