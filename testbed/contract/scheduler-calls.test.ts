// The scheduler API's transport rules and call semantics (docs/mesos/api.md §3.1–3.5) on in-process masters
// with --synthetic_tasks agents (no containers, so no Docker needed): the 4xx texts of §3.1,
// DECLINE filters, SUPPRESS/REVIVE, reconciliation answers, KILL, resubscription and failover,
// TEARDOWN, and what GET_FRAMEWORKS / /master/state show meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../mesos-emulator/src/index';
import { agentFlags, sink, startCluster, type Cluster } from './support/cluster';
import { call, request, subscribe } from './support/http-client';
import { compareShape } from './support/shape';
import { declineAll, launch, nextOffer, subscribeFramework, type Framework } from './support/scheduler';
import { readEvents, readHttp } from './support/transcripts';

let cluster: Cluster;
const agentIds: string[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 0 });
  for (const i of [0, 1]) {
    const a = await startAgent({ flags: { ...agentFlags(cluster.dir, `127.0.0.1:${cluster.leader.port}`, i), synthetic_tasks: true }, stderr: sink() });
    cluster.agents.push(a);
    agentIds.push(await a.waitRegistered());
  }
});
afterAll(async () => cluster?.stop());

const scheduler = (body: unknown, headers: Record<string, string> = {}) =>
  request(`${cluster.leader.url}/api/v1/scheduler`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const task = (id: string, command = 'sleep 60', cpus = 0.1) => ({
  name: id,
  task_id: { value: id },
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: cpus } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
  command: { shell: true, value: command },
});
const info = (extra: Record<string, unknown> = {}) => ({ user: 'root', name: 'calls', failover_timeout: 60, capabilities: [{ type: 'TASK_KILLING_STATE' }], ...extra });

describe('transport and validation errors (docs/mesos/api.md §3.1)', () => {
  it('a call for an unknown framework: 400 "Framework cannot be found" (http/sched-no-stream.http)', async () => {
    const recorded = readHttp('http/sched-no-stream.http');
    const r = await scheduler({ framework_id: { value: 'nope-0000' }, type: 'REVIVE' });
    expect([r.status, r.text(), r.headers['content-type']]).toEqual([recorded.status, recorded.body.toString(), recorded.header('Content-Type')]);
  });

  it('SUBSCRIBE without user/name, with a Mesos-Stream-Id, or with a differing framework_id', async () => {
    const missing = await scheduler({ type: 'SUBSCRIBE', subscribe: { framework_info: {} } });
    expect([missing.status, missing.text()]).toEqual([400, 'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.user, subscribe.framework_info.name']);
    const withStream = await scheduler({ type: 'SUBSCRIBE', subscribe: { framework_info: info() } }, { 'Mesos-Stream-Id': 'x' });
    expect([withStream.status, withStream.text()]).toEqual([400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"]);
    const differing = await scheduler({ framework_id: { value: 'a' }, type: 'SUBSCRIBE', subscribe: { framework_info: info({ id: { value: 'b' } }) } });
    expect([differing.status, differing.text()]).toEqual([400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'"]);
    const noSubscribe = await scheduler({ type: 'SUBSCRIBE' });
    expect(noSubscribe.text()).toBe("Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
  });

  it('non-subscribe calls: framework_id, the stream id, and "Framework is not subscribed" once the stream is gone', async () => {
    const fw = await subscribeFramework(cluster.leader.url, info());
    try {
      const noId = await scheduler({ type: 'REVIVE' });
      expect(noId.text()).toBe("Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
      const noStream = await scheduler({ framework_id: { value: fw.frameworkId }, type: 'REVIVE' });
      expect([noStream.status, noStream.text()]).toEqual([400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"]);
      const wrong = await scheduler({ framework_id: { value: fw.frameworkId }, type: 'REVIVE' }, { 'Mesos-Stream-Id': 'other' });
      expect([wrong.status, wrong.text()]).toEqual([400, `The stream ID 'other' included in this request didn't match the stream ID currently associated with framework ID ${fw.frameworkId}`]);
      const badAck = await fw.call('ACKNOWLEDGE', { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'c2hvcnQ=' });
      expect([badAck.status, badAck.text()]).toEqual([400, 'Failed to validate scheduler::Call: Invalid UUID']);
      const charset = await scheduler({ framework_id: { value: fw.frameworkId }, type: 'REVIVE' }, { 'Content-Type': 'application/json; charset=utf-8', 'Mesos-Stream-Id': fw.streamId });
      expect(charset.status).toBe(415);
      // A call that does not answer a body ignores Accept; SUBSCRIBE does not.
      const accept = await scheduler({ framework_id: { value: fw.frameworkId }, type: 'REVIVE' }, { Accept: 'text/html', 'Mesos-Stream-Id': fw.streamId });
      expect(accept.status).toBe(202);
      expect((await scheduler({ type: 'SUBSCRIBE', subscribe: { framework_info: info() } }, { Accept: 'text/html' })).status).toBe(406);
      fw.close();
      await new Promise((r) => setTimeout(r, 100));
      const after = await scheduler({ framework_id: { value: fw.frameworkId }, type: 'REVIVE' }, { 'Mesos-Stream-Id': fw.streamId });
      expect([after.status, after.text()]).toEqual([403, 'Framework is not subscribed']);
    } finally {
      fw.close();
    }
  });
});

describe('offers', () => {
  let fw: Framework;
  beforeAll(async () => {
    fw = await subscribeFramework(cluster.leader.url, info({ name: 'offers' }));
  });
  afterAll(() => fw?.close());

  it('DECLINE with refuse_seconds keeps the agent away for that long; REVIVE brings it back at once', async () => {
    const o = await nextOffer(fw, agentIds[0]);
    expect((await fw.call('DECLINE', { offer_ids: [o.id], filters: { refuse_seconds: 30 } })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 2500));
    expect([...fw.outstanding.values()].some((x) => x.agent_id.value === agentIds[0])).toBe(false);
    await fw.call('REVIVE');
    const again = await nextOffer(fw, agentIds[0], 3000);
    expect(again.id.value).not.toBe(o.id.value);
    await fw.call('DECLINE', { offer_ids: [again.id], filters: { refuse_seconds: 0 } });
  });

  it('SUPPRESS stops offers; an outstanding offer is still GET_FRAMEWORKS’ and /master/state’s', async () => {
    const held = await nextOffer(fw, agentIds[1]);
    await fw.call('SUPPRESS');
    const frameworks = (await call(cluster.leader.url, { type: 'GET_FRAMEWORKS' })).json() as {
      get_frameworks: { frameworks: Array<{ framework_info: { id: { value: string } }; offers?: Array<{ id: { value: string } }> }> };
    };
    const mine = frameworks.get_frameworks.frameworks.find((f) => f.framework_info.id.value === fw.frameworkId)!;
    expect(mine.offers?.map((o) => o.id.value)).toContain(held.id.value);
    const state = (await request(`${cluster.leader.url}/master/state`)).json() as { frameworks: Array<{ id: string; offers: Array<{ id: string; slave_id: string }> }> };
    expect(state.frameworks.find((f) => f.id === fw.frameworkId)!.offers.map((o) => o.id)).toContain(held.id.value);
    const before = fw.events.filter((e) => e.type === 'OFFERS').length;
    await fw.call('DECLINE', { offer_ids: [held.id], filters: { refuse_seconds: 0 } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(fw.events.filter((e) => e.type === 'OFFERS').length).toBe(before);
    await fw.call('REVIVE');
    const back = await nextOffer(fw, undefined, 3000);
    await fw.call('DECLINE', { offer_ids: [back.id], filters: { refuse_seconds: 0 } });
    await declineAll(fw, 0);
  });

  it('an offer is good once: a second ACCEPT of it is LOST / INVALID_OFFERS', async () => {
    const o = await nextOffer(fw, agentIds[0]);
    await launch(fw, o, [task('once-a', 'true')]);
    await launch(fw, o, [task('once-b', 'true')]);
    const lost = await fw.waitForUpdate('once-b', 'TASK_LOST');
    expect([lost.reason, lost.message]).toEqual(['REASON_INVALID_OFFERS', `Task launched with invalid offers: Offer ${o.id.value} is no longer valid`]);
    await fw.waitForUpdate('once-a', 'TASK_FINISHED');
  });

  it('more than offered: TASK_ERROR "Total resources … is more than available …"', async () => {
    const o = await nextOffer(fw, agentIds[1]);
    await launch(fw, o, [task('too-big', 'true', 64)]);
    const e = await fw.waitForUpdate('too-big', 'TASK_ERROR');
    expect(e.message).toMatch(/^Total resources cpus\(allocated: \*\):64; mem\(allocated: \*\):32 required by task and its executor is more than available /);
    expect(e.reason).toBe('REASON_TASK_INVALID');
  });
});

describe('tasks, reconciliation, failover and teardown', () => {
  let fw: Framework;
  beforeAll(async () => {
    fw = await subscribeFramework(cluster.leader.url, info({ name: 'tasks', capabilities: [{ type: 'TASK_KILLING_STATE' }, { type: 'PARTITION_AWARE' }] }));
  });
  afterAll(() => fw?.close());

  it('reconciliation: latest state of known tasks, TASK_UNKNOWN (partition-aware) for unknown ones, GONE for the agent’s unknown ones', async () => {
    const o = await nextOffer(fw, agentIds[0]);
    await launch(fw, o, [task('long')]);
    await fw.waitForUpdate('long', 'TASK_RUNNING');
    // Leave the agents to the frameworks of the next tests.
    await fw.call('SUPPRESS');
    await declineAll(fw, 0);
    await fw.call('RECONCILE', { tasks: [] });
    const implicit = await fw.waitFor((e) => e.type === 'UPDATE' && (e.update as { status: { reason?: string } }).status.reason === 'REASON_RECONCILIATION', 'implicit answer');
    expect((implicit.update as { status: { state: string; message: string } }).status).toMatchObject({ state: 'TASK_RUNNING', message: 'Reconciliation: Latest task state' });
    await fw.call('RECONCILE', { tasks: [{ task_id: { value: 'never' } }, { task_id: { value: 'nowhere' }, agent_id: { value: agentIds[1] } }] });
    const unknown = await fw.waitForUpdate('never', 'TASK_UNKNOWN');
    expect([unknown.source, unknown.reason, unknown.message]).toEqual(['SOURCE_MASTER', 'REASON_RECONCILIATION', 'Reconciliation: Task is unknown']);
    const gone = await fw.waitForUpdate('nowhere', 'TASK_GONE');
    expect(gone.message).toBe('Reconciliation: Task is unknown to the agent');
  });

  it('an unacknowledged update holds back the later ones (docs/mesos/api.md §0.8)', async () => {
    const quiet = await subscribeFramework(cluster.leader.url, info({ name: 'no-acks' }), { autoAck: false });
    try {
      const o = await nextOffer(quiet, agentIds[1]);
      await launch(quiet, o, [task('held', 'true')]);
      const starting = await quiet.waitForUpdate('held', 'TASK_STARTING');
      await new Promise((r) => setTimeout(r, 1000));
      // RUNNING and FINISHED happened on the agent, but wait behind STARTING.
      expect(quiet.updates('held').map((s) => s.state)).toEqual(['TASK_STARTING']);
      const tasks = (await call(cluster.leader.url, { type: 'GET_TASKS' })).json() as { get_tasks: { tasks: Array<{ task_id: { value: string }; state: string; status_update_state?: string }> } };
      const held = tasks.get_tasks.tasks.find((t) => t.task_id.value === 'held')!;
      expect([held.state, held.status_update_state]).toEqual(['TASK_STARTING', 'TASK_STARTING']);
      await quiet.call('ACKNOWLEDGE', { agent_id: starting.agent_id, task_id: starting.task_id, uuid: starting.uuid });
      const running = await quiet.waitForUpdate('held', 'TASK_RUNNING');
      await quiet.call('ACKNOWLEDGE', { agent_id: running.agent_id, task_id: running.task_id, uuid: running.uuid });
      await quiet.waitForUpdate('held', 'TASK_FINISHED');
    } finally {
      quiet.close();
    }
  });

  it('KILL with TASK_KILLING_STATE: KILLING, then KILLED', async () => {
    await fw.call('KILL', { task_id: { value: 'long' }, agent_id: { value: agentIds[0] } });
    await fw.waitForUpdate('long', 'TASK_KILLING');
    const killed = await fw.waitForUpdate('long', 'TASK_KILLED');
    expect(killed.source).toBe('SOURCE_EXECUTOR');
  });

  it('resubscribing with the id: same framework, FRAMEWORK_UPDATED; the old stream gets ERROR "Framework failed over"', async () => {
    const operator = await subscribe(cluster.leader.url);
    await operator.waitFor('HEARTBEAT');
    const again = await subscribeFramework(cluster.leader.url, info({ name: 'tasks', id: { value: fw.frameworkId } }));
    try {
      // FRAMEWORK_UPDATED carries the same Framework as the recorded FRAMEWORK_ADDED (docs/mesos/api.md §2.3).
      const updated = await operator.waitFor('FRAMEWORK_UPDATED');
      const added = readEvents('basic/operator.events.jsonl').find((e) => e.event.type === 'FRAMEWORK_ADDED')!.event;
      // framework_info echoes what each scheduler sent, so only the rest is compared.
      expect(compareShape(added.framework_added, updated.framework_updated, { ignore: ['framework.framework_info'] })).toEqual([]);
      operator.close();
      expect(again.frameworkId).toBe(fw.frameworkId);
      const error = await fw.waitFor((e) => e.type === 'ERROR', 'ERROR');
      expect(error.error).toEqual({ message: 'Framework failed over' });
      await fw.ended;
      expect(again.streamId).not.toBe(fw.streamId);
      await again.call('REVIVE');
      const o = await nextOffer(again, agentIds[0]);
      await launch(again, o, [task('after-failover')]);
      await again.waitForUpdate('after-failover', 'TASK_RUNNING');
      expect((await again.call('TEARDOWN')).status).toBe(202);
      const state = (await call(cluster.leader.url, { type: 'GET_TASKS' })).json() as {
        get_tasks: { completed_tasks: Array<{ task_id: { value: string }; state: string; statuses: Array<{ reason?: string }> }> };
      };
      const t = state.get_tasks.completed_tasks.find((x) => x.task_id.value === 'after-failover')!;
      expect([t.state, t.statuses[t.statuses.length - 1]!.reason]).toEqual(['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED']);
      // docs/mesos/api.md §9: resubscribing with the id of a removed framework.
      await expect(subscribeFramework(cluster.leader.url, info({ name: 'tasks', id: { value: fw.frameworkId } }))).rejects.toThrow('Framework has been removed');
    } finally {
      again.close();
    }
  });
});

describe('operator TEARDOWN (docs/mesos/api.md §2.2)', () => {
  it('removes the framework: 200, its tasks KILLED / REASON_FRAMEWORK_REMOVED, its stream ends; an unknown id is a 400', async () => {
    const fw = await subscribeFramework(cluster.leader.url, info({ name: 'operator-teardown' }));
    const o = await nextOffer(fw);
    await launch(fw, o, [task('torn')]);
    await fw.waitForUpdate('torn', 'TASK_RUNNING');
    const r = await call(cluster.leader.url, { type: 'TEARDOWN', teardown: { framework_id: { value: fw.frameworkId } } });
    expect([r.status, r.body.length]).toEqual([200, 0]);
    await fw.ended;
    const tasks = (await call(cluster.leader.url, { type: 'GET_TASKS' })).json() as {
      get_tasks: { completed_tasks: Array<{ task_id: { value: string }; statuses: Array<{ state: string; reason?: string; message?: string }> }> };
    };
    const last = tasks.get_tasks.completed_tasks.find((t) => t.task_id.value === 'torn')!.statuses.at(-1)!;
    expect([last.state, last.reason, last.message]).toEqual(['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', `Framework ${fw.frameworkId} removed`]);
    const unknown = await call(cluster.leader.url, { type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } });
    expect([unknown.status, unknown.text()]).toEqual([400, 'No framework found with specified ID']);
  });
});

describe('--synthetic_tasks (for the load benchmark only)', () => {
  it('is labelled in /flags, /version, agent /state and GET_VERSION; other agents are not', async () => {
    const synthetic = cluster.agents[0]!.url;
    const flags = (await request(`${synthetic}/flags`)).json() as { flags: Record<string, string> };
    expect(flags.flags.synthetic_tasks).toBe('true');
    const version = (await request(`${synthetic}/version`)).json() as { git_tag: string };
    expect(version.git_tag).toMatch(/^mesoscope-emulator-.*\+synthetic-tasks$/);
    const state = (await request(`${synthetic}/state`)).json() as { git_tag: string };
    expect(state.git_tag).toBe(version.git_tag);
    const v1 = (await call(synthetic, { type: 'GET_VERSION' })).json() as { get_version: { version_info: { git_tag: string } } };
    expect(v1.get_version.version_info.git_tag).toBe(version.git_tag);
    const master = (await request(`${cluster.leader.url}/version`)).json() as { git_tag: string };
    expect(master.git_tag).not.toContain('synthetic');
    const other = await startAgent({ flags: agentFlags(cluster.dir, `127.0.0.1:${cluster.leader.port}`, 7), stderr: sink() });
    try {
      const plain = (await request(`${other.url}/flags`)).json() as { flags: Record<string, string> };
      expect(plain.flags.synthetic_tasks).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});
