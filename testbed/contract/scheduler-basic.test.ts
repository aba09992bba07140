// The scheduler API against transcripts/basic/: the recorder's framework subscribes, takes offers
// and launches the recorded tasks (images replaced by mesoscope/task-base:test) as real containers
// on the host daemon; every update is compared with the recorded one (state, reason, source,
// message, and the JSON shape), and the operator stream's framework and task events too. Then the
// stream drops with failover_timeout 0 and the framework is removed (FRAMEWORK_REMOVED, after/).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { call, request, subscribe, type EventStream } from './support/http-client';
import { launch, nextOffer, RECORDER_INFO, subscribeFramework, type Event, type Framework, type Status } from './support/scheduler';
import { compareShape } from './support/shape';
import { containerIdsIn, dockerAvailable, imagePresent, removeTaskContainers } from './support/task-containers';
import { readEvents, readHttp, readJson, transcript } from './support/transcripts';
import { skipSuite } from '../support/suite-skip';

const IMAGE = 'mesoscope/task-base:test';
const ready = (await dockerAvailable()) && (await imagePresent(IMAGE));
const skip = skipSuite('contract: scheduler API (transcripts/basic)', ready ? null : `no Docker daemon or no ${IMAGE} (testbed/images/build.sh)`);

type RecordedCall = { request: { type: string } & Record<string, unknown>; status: number; headers: Record<string, string> };
const recordedCalls = () =>
  fs
    .readFileSync(transcript('basic/sched.calls.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RecordedCall);
const recordedEvents = () => readEvents('basic/sched.events.jsonl').map((e) => e.event);
const recordedUpdates = (taskId: string) =>
  recordedEvents()
    .filter((e) => e.type === 'UPDATE')
    .map((e) => (e.update as { status: Status }).status)
    .filter((s) => s.task_id.value === taskId);
const summary = (s: Status) => [s.state, s.reason ?? '', s.source ?? '', s.message ?? ''];

describe.skipIf(skip)('scheduler API (transcripts/basic/)', () => {
  let cluster: Cluster;
  let fw: Framework;
  let operator: EventStream;
  const tasks = (readJson('basic/tasks.json') as Array<Record<string, unknown>>).map((t) => {
    const container = t.container as { docker?: Record<string, unknown> } | undefined;
    if (container?.docker && container.docker.image === 'local/debian:bookworm') container.docker.image = IMAGE;
    return t;
  });
  const task = (id: string) => {
    const { _killAfterMs: _k, _fakeOffer: _f, ...t } = tasks.find((x) => (x.task_id as { value: string }).value === id)!;
    return t;
  };

  beforeAll(async () => {
    cluster = await startCluster({ agents: 2 });
    operator = await subscribe(cluster.leader.url);
    await operator.waitFor('HEARTBEAT');
    fw = await subscribeFramework(cluster.leader.url, RECORDER_INFO);
  });
  afterAll(async () => {
    fw?.close();
    operator?.close();
    const ids = cluster ? cluster.agents.flatMap((_a, i) => containerIdsIn(`${cluster.dir}/agent${i}`)) : [];
    await cluster?.stop().catch(() => undefined);
    await removeTaskContainers([], ids);
  });

  it('SUBSCRIBE: 200, chunked application/json with a Mesos-Stream-Id, then SUBSCRIBED and HEARTBEAT', async () => {
    // Real Mesos writes the first HEARTBEAT just after SUBSCRIBED; it can still be in flight here.
    await fw.waitFor((e) => e.type === 'HEARTBEAT', 'the first HEARTBEAT', 5_000);
    const recorded = recordedCalls()[0]!;
    expect(fw.status).toBe(recorded.status);
    for (const h of ['content-type', 'transfer-encoding']) expect(fw.headers[h], h).toBe(recorded.headers[h]);
    expect(fw.headers['mesos-stream-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const events = recordedEvents();
    expect(fw.events.slice(0, 2).map((e) => e.type)).toEqual(events.slice(0, 2).map((e) => e.type));
    expect(compareShape(events[0], fw.events[0])).toEqual([]);
    expect(fw.frameworkId).toBe(`${cluster.leader.info.id}-0000`);
    const info = (fw.events[0]!.subscribed as { master_info: { id: string; port: number } }).master_info;
    expect(info.id).toBe(cluster.leader.info.id);
  });

  it('OFFERS: one offer per agent, shaped like the recorded ones, ids <master id>-O<n>', async () => {
    const e = await fw.waitFor((x) => x.type === 'OFFERS', 'OFFERS');
    const recorded = recordedEvents().find((x) => x.type === 'OFFERS')!;
    expect(compareShape(recorded, e)).toEqual([]);
    const offers = (e.offers as { offers: Array<{ id: { value: string }; agent_id: { value: string } }> }).offers;
    expect(offers.map((o) => o.agent_id.value).sort()).toEqual(cluster.agents.map((a) => a.agentId()).sort());
    for (const o of offers) expect(o.id.value).toMatch(new RegExp(`^${cluster.leader.info.id}-O\\d+$`));
  });

  it('calls are answered 202 with an empty body, like the recorded ones', async () => {
    const recorded = recordedCalls().find((c) => c.request.type === 'RECONCILE')!;
    const r = await fw.call('RECONCILE', { tasks: [] });
    expect(r.status).toBe(recorded.status);
    expect(r.headers['content-length']).toBe(recorded.headers['content-length']);
    expect(r.headers['content-type']).toBeUndefined();
  });

  it.each([
    ['ok-echo', 'docs/mesos/faults.md row 1'],
    ['fail-exit1', 'docs/mesos/faults.md row 2'],
    ['oom-hog', 'docs/mesos/faults.md row 3'],
    ['bad-image', 'docs/mesos/faults.md row 4'],
    ['no-resources', 'docs/mesos/faults.md row 5'],
    ['cmd-task', 'docs/mesos/faults.md row 8'],
  ])('%s (%s): the recorded updates, in order, with the recorded shapes', async (id) => {
    const offer = await nextOffer(fw);
    expect((await launch(fw, offer, [task(id)])).status).toBe(202);
    const recorded = recordedUpdates(id);
    const last = recorded[recorded.length - 1]!;
    await fw.waitForUpdate(id, last.state, 30_000);
    const ours = fw.updates(id);
    expect(ours.map(summary)).toEqual(recorded.map(summary));
    ours.forEach((s, i) => expect(compareShape(recorded[i], s), `${id} ${s.state}`).toEqual([]));
  }, 60_000);

  it('stale-offer (docs/mesos/faults.md row 6): TASK_LOST / REASON_INVALID_OFFERS naming the offer', async () => {
    const t = tasks.find((x) => (x.task_id as { value: string }).value === 'stale-offer')!;
    const offer = await nextOffer(fw);
    const fake = { ...offer, id: { value: String(t._fakeOffer) } };
    expect((await launch(fw, fake, [task('stale-offer')])).status).toBe(202);
    const recorded = recordedUpdates('stale-offer');
    await fw.waitForUpdate('stale-offer', 'TASK_LOST');
    expect(fw.updates('stale-offer').map(summary)).toEqual(recorded.map(summary));
    await fw.call('DECLINE', { offer_ids: [offer.id], filters: { refuse_seconds: 0 } });
  });

  it('kill-me (docs/mesos/faults.md row 7): KILLING, then KILLED "Container exited with status 137" after the 5 s grace', async () => {
    const offer = await nextOffer(fw);
    await launch(fw, offer, [task('kill-me')]);
    const running = await fw.waitForUpdate('kill-me', 'TASK_RUNNING');
    const killCall = recordedCalls().find((c) => c.request.type === 'KILL')!.request.kill as Record<string, unknown>;
    expect((await fw.call('KILL', { ...killCall, agent_id: running.agent_id })).status).toBe(202);
    const killing = await fw.waitForUpdate('kill-me', 'TASK_KILLING');
    const t0 = Date.now();
    await fw.waitForUpdate('kill-me', 'TASK_KILLED', 20_000);
    expect((Date.now() - t0) / 1000).toBeGreaterThan(4);
    const recorded = recordedUpdates('kill-me');
    const ours = fw.updates('kill-me');
    expect(ours.map(summary)).toEqual(recorded.map(summary));
    ours.forEach((s, i) => expect(compareShape(recorded[i], s), s.state).toEqual([]));
    void killing;
  }, 40_000);

  it('ok-echo’s sandbox: stdout holds its lines (files/read-offset0.http)', async () => {
    const agent = cluster.agents.find((a) => fw.updates('ok-echo')[0]!.agent_id!.value === a.agentId())!;
    const recorded = readHttp('files/read-offset0.http').json();
    const r = await request(`${agent.url}/files/read?path=/frameworks/${fw.frameworkId}/executors/ok-echo/runs/latest/stdout&offset=0`);
    expect(r.json()).toEqual(recorded);
  });

  it('the operator stream carried FRAMEWORK_ADDED, TASK_ADDED and TASK_UPDATED like basic/operator.events.jsonl', () => {
    const recorded = readEvents('basic/operator.events.jsonl').map((e) => e.event);
    for (const type of ['FRAMEWORK_ADDED', 'TASK_ADDED', 'TASK_UPDATED']) {
      const ours = operator.events.find((e) => e.type === type);
      expect(ours, type).toBeDefined();
      expect(compareShape(recorded.find((e) => e.type === type), ours), type).toEqual([]);
    }
    // One TASK_UPDATED per update forwarded for launched tasks; no TASK_ADDED for the invalid ones.
    const added = operator.events.filter((e) => e.type === 'TASK_ADDED').map((e) => (e.task_added as { task: { task_id: { value: string } } }).task.task_id.value);
    expect(added.sort()).toEqual(['bad-image', 'cmd-task', 'fail-exit1', 'kill-me', 'ok-echo', 'oom-hog']);
    const updated = (id: string) =>
      operator.events
        .filter((e) => e.type === 'TASK_UPDATED' && (e.task_updated as { status: Status }).status.task_id.value === id)
        .map((e) => (e.task_updated as { status: Status }).status.state);
    expect(updated('kill-me')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  });

  it('GET_TASKS lists the acknowledged tasks as completed, with full statuses (after/api-get-tasks.http)', async () => {
    const recorded = readHttp('after/api-get-tasks.http').json() as { get_tasks: { completed_tasks: unknown[] } };
    const r = (await call(cluster.leader.url, { type: 'GET_TASKS' })).json() as { get_tasks: { tasks: unknown[]; completed_tasks: Array<{ task_id: { value: string } }> } };
    const done = r.get_tasks.completed_tasks.map((t) => t.task_id.value).sort();
    expect(done).toEqual(['bad-image', 'cmd-task', 'fail-exit1', 'kill-me', 'ok-echo', 'oom-hog']);
    const byId = (list: Array<{ task_id: { value: string } }>, id: string) => list.find((t) => t.task_id.value === id);
    const rec = recorded.get_tasks.completed_tasks as Array<{ task_id: { value: string } }>;
    for (const id of ['fail-exit1', 'bad-image', 'kill-me', 'cmd-task']) {
      expect(compareShape(byId(rec, id), byId(r.get_tasks.completed_tasks, id), { allowMissing: ['container'] }), id).toEqual([]);
    }
  });

  it('per-reason counters in /metrics/snapshot, v0 spelling (after/metrics.http)', async () => {
    const recorded = readHttp('after/metrics.http').json() as Record<string, number>;
    const m = (await request(`${cluster.leader.url}/metrics/snapshot`)).json() as Record<string, number>;
    for (const k of ['master/task_error/source_master/reason_task_invalid', 'master/task_failed/source_slave/reason_container_launch_failed', 'master/task_lost/source_master/reason_invalid_offers']) {
      expect(k in recorded, k).toBe(true);
      expect(m[k], k).toBe(1);
    }
    expect(Object.keys(m).filter((k) => /^master\/task_[a-z_]+\/source_/.test(k)).sort()).toEqual([
      'master/task_error/source_master/reason_task_invalid',
      'master/task_failed/source_slave/reason_container_launch_failed',
      'master/task_lost/source_master/reason_invalid_offers',
    ]);
  });

  it('/master/state renders the framework with its completed tasks, statuses without reason or message', async () => {
    const s = (await request(`${cluster.leader.url}/master/state`)).json() as {
      frameworks: Array<{ id: string; completed_tasks: Array<{ statuses: Array<Record<string, unknown>> }>; offers: unknown[] }>;
    };
    const f = s.frameworks.find((x) => x.id === fw.frameworkId)!;
    expect(f.completed_tasks.length).toBe(6);
    for (const t of f.completed_tasks) for (const st of t.statuses) expect(Object.keys(st).filter((k) => ['reason', 'message', 'source'].includes(k))).toEqual([]);
  });

  it('with failover_timeout 0, a dropped stream removes the framework at once (FRAMEWORK_REMOVED, docs/mesos/faults.md row 16)', async () => {
    const recorded = readEvents('basic/operator.events.jsonl').find((e) => e.event.type === 'FRAMEWORK_REMOVED')!.event;
    const before = operator.events.length;
    fw.close();
    const removed = await operator.waitFor('FRAMEWORK_REMOVED', 5000, before);
    expect(compareShape(recorded, removed)).toEqual([]);
    const recordedState = readHttp('after/master-state.http').json() as { completed_frameworks: Array<Record<string, unknown>> };
    const s = (await request(`${cluster.leader.url}/master/state`)).json() as { frameworks: unknown[]; completed_frameworks: Array<Record<string, unknown>> };
    expect(s.frameworks).toEqual([]);
    const done = s.completed_frameworks.find((f) => f.id === fw.frameworkId)!;
    expect(compareShape(recordedState.completed_frameworks.find((f) => f.failover_timeout === 0), done, { ignore: ['completed_tasks'] })).toEqual([]);
    const again = await fw.call('REVIVE');
    expect(again.status).toBe(400);
    expect(again.text()).toBe('Framework cannot be found');
  });
});

export type { Event };
