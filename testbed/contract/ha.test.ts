// Two masters and two agents in one group (the recording's ZooKeeper replaced by an
// in-process group with the same rules): the standby's 307s (transcripts/http/standby-*),
// the MasterInfo each master publishes (transcripts/ha/zk-*), the operator streams on
// leader and standby (transcripts/ha/operator-m*), and a failover.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryGroup, startMaster } from '../mesos-emulator/src/index';
import { masterFlags, sink, startCluster, tempDir, type Cluster } from './support/cluster';
import { fromApiMd } from './support/fixtures';
import { call, request, subscribe } from './support/http-client';
import { compareShape } from './support/shape';
import { readEvents, readHttp, readJson, transcript } from './support/transcripts';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ masters: 2, agents: 2 });
});
afterAll(async () => cluster?.stop());

const leaderAddress = () => `//127.0.0.1:${cluster.leader.port}`;
const standby = () => cluster.masters.find((m) => !m.isLeader())!;

describe('the standby master', () => {
  it('redirects /master/state to the leader (http/standby-state.http)', async () => {
    const recorded = readHttp('http/standby-state.http');
    const r = await request(`${standby().url}/master/state`);
    expect(r.status).toBe(recorded.status);
    expect(r.headers.location).toBe(recorded.header('Location')!.replace('//127.0.0.1:5050', leaderAddress()));
    expect(r.headers['content-length']).toBe(recorded.header('Content-Length'));
    expect(r.headers['content-type']).toBe(recorded.header('Content-Type'));
  });

  it('keeps the query string in the redirect', async () => {
    const r = await request(`${standby().url}/state?jsonp=x`);
    expect(r.headers.location).toBe(`${leaderAddress()}/master/state?jsonp=x`);
  });

  it('redirects /master/redirect to the bare leader address (http/standby-redirect.http)', async () => {
    const recorded = readHttp('http/standby-redirect.http');
    const r = await request(`${standby().url}/master/redirect`);
    expect(r.status).toBe(recorded.status);
    expect(r.headers.location).toBe(recorded.header('Location')!.replace('//127.0.0.1:5050', leaderAddress()));
    expect((await request(`${standby().url}/master/redirect/x`)).status).toBe(404);
  });

  it('redirects POST /api/v1 to //leader/master/api/v1, even GET_HEALTH (http/standby-api-get-health.http)', async () => {
    const recorded = readHttp('http/standby-api-get-health.http');
    const r = await call(standby().url, { type: 'GET_HEALTH' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers.location).toBe(recorded.header('Location')!.replace('//127.0.0.1:5050', leaderAddress()));
    expect(r.headers['content-length']).toBe('0');
  });

  it('answers SUBSCRIBE with a 307 too (ha/operator-m2.response-headers.json, ha/operator-m2.events.jsonl)', async () => {
    const recorded = readJson('ha/operator-m2.response-headers.json') as { status: number; headers: Record<string, string> };
    expect(readEvents('ha/operator-m2.events.jsonl')).toEqual([]);
    const r = await call(standby().url, { type: 'SUBSCRIBE' });
    expect(r.status).toBe(recorded.status);
    expect(r.headers.location).toBe(recorded.headers.location!.replace('//127.0.0.1:5050', leaderAddress()));
    expect(r.body.length).toBe(0);
  });

  it('still answers /master/health with 200 (docs/mesos/api.md §1.7)', async () => {
    expect((await request(`${standby().url}/master/health`)).status).toBe(200);
  });

  it('reports master/elected 0', async () => {
    const m = (await request(`${standby().url}/metrics/snapshot`)).json() as Record<string, number>;
    expect(m['master/elected']).toBe(0);
  });
});

describe('group membership (ha/zk-json.info_*.json, ha/zk-ls.txt)', () => {
  it('publishes MasterInfo JSON shaped like the recorded znodes, keys sorted', () => {
    const leader = cluster.group!.leader()!;
    const ours = JSON.parse(leader.data) as Record<string, unknown>;
    for (const file of ['ha/zk-json.info_0000000000.json', 'ha/zk-json.info_0000000001.json']) {
      const recorded = readJson(file) as Record<string, unknown>;
      expect(compareShape(recorded, ours)).toEqual([]);
      expect(Object.keys(ours)).toEqual(Object.keys(recorded));
    }
    expect(ours.ip).toBe(16777343); // 127.0.0.1 packed (docs/mesos/api.md §6)
    expect(ours.pid).toBe(`master@127.0.0.1:${cluster.leader.port}`);
  });

  it('names members json.info_<10 digits>, lowest sequence leading', async () => {
    const { znodeName, memberSequence } = await import('../mesos-emulator/src/zk/group');
    const listed = /\[(.*)\]/.exec(fs.readFileSync(transcript('ha/zk-ls.txt'), 'utf8'))![1]!.split(',').map((s) => s.trim());
    expect(listed.map((n) => znodeName(memberSequence(n)!))).toEqual(listed);
    expect(memberSequence('log_replicas')).toBeUndefined();
    expect(cluster.group!.leader()!.seq).toBe(0);
  });
});

describe('operator stream on the leader (ha/operator-m1.*)', () => {
  it('sends SUBSCRIBED then HEARTBEAT, with the recorded headers and shapes', async () => {
    const headers = readJson('ha/operator-m1.response-headers.json') as { status: number; headers: Record<string, string> };
    const recorded = readEvents('ha/operator-m1.events.jsonl');
    expect(fs.statSync(transcript('ha/operator-m1.stream.recordio')).size).toBeGreaterThan(0);
    const s = await subscribe(cluster.leader.url);
    try {
      expect(s.status).toBe(headers.status);
      expect(s.headers['content-type']).toBe(headers.headers['content-type']);
      expect(s.headers['transfer-encoding']).toBe(headers.headers['transfer-encoding']);
      await s.waitFor('HEARTBEAT');
      expect(s.events.slice(0, 2).map((e) => e.type)).toEqual(recorded.slice(0, 2).map((e) => e.event.type));
      // The recording had a framework with tasks; without the scheduler API only the
      // agents part and the list keys are comparable.
      const diffs = compareShape(recorded[0]!.event, s.events[0], {
        allowEmptyMismatch: [
          'subscribed.get_state.get_tasks.tasks',
          'subscribed.get_state.get_frameworks.frameworks',
        ],
        allowMissing: [
          'subscribed.get_state.get_agents.agents[].allocated_resources',
        ],
      });
      expect(diffs).toEqual([]);
    } finally {
      s.close();
    }
  });
});

describe('failover', () => {
  it('elects the standby, ends the old streams, and the agents reregister with their ids', async () => {
    const old = cluster.leader;
    const next = standby();
    const ids = cluster.agents.map((a) => a.agentId()).sort();
    const stream = await subscribe(old.url);
    await stream.waitFor('HEARTBEAT');
    await old.stop();
    // The old leader's streams simply end (docs/mesos/faults.md row 18).
    await stream.ended;
    stream.close();

    const deadline = Date.now() + 15_000;
    let state: { slaves: Array<{ id: string; reregistered_time?: number }> } | undefined;
    while (Date.now() < deadline) {
      const r = await request(`${next.url}/master/state`);
      if (r.status === 200) {
        state = r.json() as typeof state;
        if (state!.slaves.length === 2) break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(next.isLeader()).toBe(true);
    expect(state!.slaves.map((s) => s.id).sort()).toEqual(ids);
    for (const s of state!.slaves) expect(typeof s.reregistered_time).toBe('number');
    cluster.leader = next;
  }, 30_000);
});

describe('no leader detected (docs/mesos/api.md §1.7)', () => {
  it('answers leader-only endpoints with 503 "No leader elected"', async () => {
    const fixture = fromApiMd<{ status: number; body: string }>('redirect_without_leader');
    const group = new InMemoryGroup();
    // The lowest member holds data no detector can read: no leader can be named.
    await group.connect().join('not MasterInfo');
    const dir = tempDir('noleader');
    const m = await startMaster({ flags: masterFlags(dir), stderr: sink(), group });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(m.isLeader()).toBe(false);
      for (const path of ['/master/state', '/master/redirect']) {
        const r = await request(m.url + path);
        expect(r.status).toBe(fixture.status);
        expect(r.text()).toBe(fixture.body);
      }
      expect((await call(m.url, { type: 'GET_HEALTH' })).status).toBe(fixture.status);
      expect((await request(`${m.url}/master/health`)).status).toBe(200);
      const loop = fromApiMd<{ path: string; status: number }>('redirect_loop_guard');
      expect((await request(m.url + loop.path)).status).toBe(503);
    } finally {
      await m.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
