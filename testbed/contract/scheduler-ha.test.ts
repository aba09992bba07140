// The scheduler API across a leader change, against transcripts/ha/: a checkpointing framework
// (failover_timeout 3600) runs the recorded long tasks; the standby answers SUBSCRIBE with a 307;
// the leader stops and its stream simply ends (docs/mesos/faults.md row 18); the agents reregister with the
// new leader, which learns the tasks from them; the framework resubscribes with its id and finds
// its tasks RUNNING, with no task update but reconciliation's.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { call, request } from './support/http-client';
import { launch, nextOffer, subscribeFramework, type Framework, type Status } from './support/scheduler';
import { compareShape } from './support/shape';
import { containerIdsIn, dockerAvailable, imagePresent, removeTaskContainers } from './support/task-containers';
import { readEvents, readJson, transcript } from './support/transcripts';
import { skipSuite } from '../support/suite-skip';

const IMAGE = 'mesoscope/task-base:test';
const ready = (await dockerAvailable()) && (await imagePresent(IMAGE));
const skip = skipSuite('contract: scheduler API across a failover (transcripts/ha)', ready ? null : `no Docker daemon or no ${IMAGE} (testbed/images/build.sh)`);

type Call = { request: { type: string; subscribe?: { framework_info: Record<string, unknown> } }; status: number; headers?: Record<string, string> };

describe.skipIf(skip)('scheduler API across a failover (transcripts/ha/)', () => {
  let cluster: Cluster;
  let fw: Framework;
  // sched.calls.jsonl's first line is the SUBSCRIBE the recorder sent.
  const frameworkInfo = () =>
    (JSON.parse(fs.readFileSync(transcript('ha/sched.calls.jsonl'), 'utf8').split('\n')[0]!) as Call).request.subscribe!.framework_info;
  const tasks = () =>
    (readJson('ha/tasks.json') as Array<Record<string, unknown>>).map((t) => {
      const docker = (t.container as { docker: Record<string, unknown> }).docker;
      docker.image = IMAGE;
      return t;
    });
  const summary = (s: Status) => [s.task_id.value, s.state, s.reason ?? '', s.source ?? ''];

  beforeAll(async () => {
    cluster = await startCluster({ masters: 2, agents: 2 });
  });
  afterAll(async () => {
    fw?.close();
    const ids = cluster ? cluster.agents.flatMap((_a, i) => containerIdsIn(`${cluster.dir}/agent${i}`)) : [];
    await cluster?.stop().catch(() => undefined);
    await removeTaskContainers([], ids);
  });

  it('the standby answers SUBSCRIBE with 307 to //<leader>/master/api/v1/scheduler', async () => {
    const standby = cluster.masters.find((m) => !m.isLeader())!;
    const r = await request(`${standby.url}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() } }),
    });
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe(`//127.0.0.1:${cluster.leader.port}/master/api/v1/scheduler`);
  });

  it('runs the recorded tasks with the recorded updates (checkpointing framework)', async () => {
    fw = await subscribeFramework(cluster.leader.url, frameworkInfo());
    const recorded = readEvents('ha/sched.events.jsonl').map((e) => e.event);
    expect(compareShape(recorded[0], fw.events[0])).toEqual([]);
    const list = tasks();
    for (const t of list) expect((await launch(fw, await nextOffer(fw), [t])).status).toBe(202);
    for (const t of list) await fw.waitForUpdate((t.task_id as { value: string }).value, 'TASK_RUNNING', 30_000);
    const recordedUpdates = recorded.filter((e) => e.type === 'UPDATE').map((e) => (e.update as { status: Status }).status);
    const byTask = (list: Status[]) => [...list].sort((a, b) => a.task_id.value.localeCompare(b.task_id.value) || a.state.localeCompare(b.state));
    expect(byTask(fw.updates()).map(summary)).toEqual(byTask(recordedUpdates).map(summary));
  }, 60_000);

  it('after the leader stops: the stream ends, the new leader adopts the tasks, and the framework resubscribes with its id', async () => {
    const old = cluster.leader;
    const next = cluster.masters.find((m) => m !== old)!;
    const id = fw.frameworkId;
    await old.stop();
    await fw.ended;
    fw.close();
    expect(fw.events.some((e) => e.type === 'ERROR')).toBe(false);

    const deadline = Date.now() + 20_000;
    let tasks: Array<{ task_id: { value: string }; state: string }> = [];
    while (Date.now() < deadline) {
      const r = await call(next.url, { type: 'GET_TASKS' });
      if (r.status === 200) {
        tasks = (r.json() as { get_tasks: { tasks: typeof tasks } }).get_tasks.tasks;
        if (tasks.length === 2) break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(tasks.map((t) => [t.task_id.value, t.state]).sort()).toEqual([
      ['ha-long-a', 'TASK_RUNNING'],
      ['ha-long-b', 'TASK_RUNNING'],
    ]);
    cluster.leader = next;

    fw = await subscribeFramework(next.url, { ...frameworkInfo(), id: { value: id } });
    expect(fw.frameworkId).toBe(id);
    expect((await fw.call('RECONCILE', { tasks: [] })).status).toBe(202);
    await fw.waitFor((e) => fw.updates().length === 2 || e.type === 'ERROR', 'two reconciliation updates');
    for (const s of fw.updates()) {
      expect([s.state, s.reason, s.source, s.message]).toEqual(['TASK_RUNNING', 'REASON_RECONCILIATION', 'SOURCE_MASTER', 'Reconciliation: Latest task state']);
    }
    const frameworks = (await call(next.url, { type: 'GET_FRAMEWORKS' })).json() as {
      get_frameworks: { frameworks: Array<{ framework_info: { id: { value: string } }; connected: boolean; recovered: boolean }> };
    };
    const f = frameworks.get_frameworks.frameworks.find((x) => x.framework_info.id.value === id)!;
    expect([f.connected, f.recovered]).toEqual([true, false]);
  }, 60_000);

  it('TEARDOWN kills the tasks (KILLED / REASON_FRAMEWORK_REMOVED) and stops their containers', async () => {
    const before = fw.events.length;
    expect((await fw.call('TEARDOWN')).status).toBe(202);
    await fw.ended;
    expect(fw.events.length).toBe(before);
    const r = (await call(cluster.leader.url, { type: 'GET_TASKS' })).json() as {
      get_tasks: { tasks: unknown[]; completed_tasks: Array<{ state: string; statuses: Array<{ reason?: string; message?: string }> }> };
    };
    expect(r.get_tasks.tasks).toEqual([]);
    for (const t of r.get_tasks.completed_tasks) {
      expect(t.state).toBe('TASK_KILLED');
      expect(t.statuses[t.statuses.length - 1]).toMatchObject({ reason: 'REASON_FRAMEWORK_REMOVED', message: `Framework ${fw.frameworkId} removed` });
    }
  }, 30_000);
});
