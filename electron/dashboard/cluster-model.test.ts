import { describe, expect, it } from 'vitest';
import type { Delta } from '@shared/dashboard/deltas';
import { GetStateResponseSchema, MasterStateSchema, parseOperatorEvent, type OperatorEvent } from '@shared/dashboard/operator';
import type { ClusterView } from '@shared/dashboard/view';
import { httpBody, recordedOperatorEvents } from '../mesos/transcripts.test-support';
import { ClusterModel, coalesce } from './cluster-model';

/** The model fed the operator streams a real Mesos 1.12 sent (testbed/transcripts). */

const FW = (n: number) => `f8278ec8-4646-4d46-a619-bfdea32934e8-000${n}`;
const S0 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S0';
const S1 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S1';
const T0 = 1_800_000_000_000;

function events(file: string): Array<{ t: number; event: OperatorEvent }> {
  return recordedOperatorEvents(file).map(({ t, event }) => {
    const parsed = parseOperatorEvent(event);
    if (!parsed.ok) throw new Error(parsed.error);
    return { t, event: parsed.event };
  });
}

/** Folds a recording; `until` stops before the first event later than that many ms. */
function fold(file: string, until = Infinity, model = new ClusterModel({}, T0)): ClusterModel {
  for (const { t, event } of events(file)) if (t <= until) model.apply(event, T0 + t);
  return model;
}

const columns = (view: ClusterView, fw: string, task: string) =>
  view.tasks[`${fw}/${task}`]!.statuses.map((s) => [s.state, s.reason ?? '–', s.source ?? '', s.message ?? '']);

/** The status a recorded TASK_UPDATED carried, as recorded. */
function recordedStatus(file: string, task: string, state: string) {
  type Status = { task_id: { value: string }; state: string; message?: string; reason?: string; source?: string };
  const statuses = recordedOperatorEvents(file)
    .filter((x) => x.event.type === 'TASK_UPDATED')
    .map((x) => (x.event as unknown as { task_updated: { status: Status } }).task_updated.status);
  return statuses.find((s) => s.task_id.value === task && s.state === state)!;
}

describe('ClusterModel on basic/operator.events.jsonl', () => {
  const view = fold('basic/operator.events.jsonl').view();

  it('has both agents, active, with their resources', () => {
    expect(Object.keys(view.agents).sort()).toEqual([S0, S1]);
    expect(view.agents[S1]).toMatchObject({ hostname: '127.0.0.1', port: 5051, state: 'active', version: '1.12.0', total: { cpus: 2, mem: 2048, disk: 4096, gpus: 0, ports: '[31000-31099]' } });
    expect(view.agents[S0]!.total.ports).toBe('[32000-32099]');
    expect(view.agents[S0]!.capabilities).toContain('MULTI_ROLE');
    expect(view.agents[S0]!.registeredAt).toBeCloseTo(1795272899095.927, 0);
  });

  it('has the removed framework and the live one, with task counts and allocation', () => {
    expect(view.frameworks[FW(0)]).toMatchObject({ name: 'recorder', state: 'removed', roles: ['*'], capabilities: ['MULTI_ROLE', 'TASK_KILLING_STATE'], checkpoint: false });
    expect(view.frameworks[FW(0)]!.taskCounts).toEqual({ TASK_FINISHED: 2, TASK_FAILED: 3, TASK_KILLED: 1 });
    expect(view.frameworks[FW(1)]).toMatchObject({ state: 'active', taskCounts: { TASK_RUNNING: 2 }, allocated: { cpus: 0.2, mem: 64, disk: 0, gpus: 0 } });
    const allocated = view.agents[S0]!.allocated.cpus + view.agents[S1]!.allocated.cpus;
    expect(allocated).toBeCloseTo(0.2);
  });

  it('keeps every task status history with reasons, sources and messages as recorded', () => {
    expect(columns(view, FW(0), 'ok-echo')).toEqual([
      ['TASK_STARTING', '–', 'SOURCE_EXECUTOR', ''],
      ['TASK_RUNNING', '–', 'SOURCE_EXECUTOR', ''],
      ['TASK_FINISHED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 0'],
    ]);
    const badImage = recordedStatus('basic/operator.events.jsonl', 'bad-image', 'TASK_FAILED');
    expect(columns(view, FW(0), 'bad-image')).toEqual([['TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', 'SOURCE_AGENT', badImage.message]]);
    expect(badImage.message).toMatch(/^Failed to launch container: Failed to run 'docker -H unix:\/\/\/var\/run\/docker.sock pull 127.0.0.1:5000/);
    expect(columns(view, FW(0), 'oom-hog').at(-1)).toEqual(['TASK_FAILED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 137']);
    expect(columns(view, FW(0), 'kill-me').map((c) => c[0])).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(columns(view, FW(0), 'cmd-task').at(-1)).toEqual(['TASK_FINISHED', '–', 'SOURCE_EXECUTOR', 'Command exited with status 0']);
    const running = view.tasks[`${FW(0)}/ok-echo`]!.statuses[1]!;
    expect(running).toMatchObject({ containerId: 'bb2909d3-752c-4fd1-b845-03048eea3fef', ip: '127.0.0.1', executorId: 'ok-echo', agentId: S0 });
    expect(view.tasks[`${FW(0)}/ok-echo`]).toMatchObject({ name: 'ok-echo', agentId: S0, state: 'TASK_FINISHED', container: { type: 'DOCKER', image: 'local/debian:bookworm' }, resources: { cpus: 0.1, mem: 32 } });
  });

  it('tells the in-flight update from the latest state (oom-hog: RUNNING sent while FAILED known)', () => {
    const mid = fold('basic/operator.events.jsonl', 3358).view().tasks[`${FW(0)}/oom-hog`]!;
    expect(mid).toMatchObject({ state: 'TASK_FAILED', pendingState: 'TASK_RUNNING' });
  });

  it('a task in STAGING has no status yet (docs/mesos/api.md §0.9) and a seen time', () => {
    const staging = fold('basic/operator.events.jsonl', 984).view().tasks[`${FW(0)}/ok-echo`]!;
    expect(staging).toMatchObject({ state: 'TASK_STAGING', statuses: [], seenAt: T0 + 984, updatedAt: T0 + 984 });
  });

  it('a later GET_STATE (after/api-get-state.http) merges without doubling any history', () => {
    const model = fold('basic/operator.events.jsonl');
    const before = model.view();
    const snapshot = GetStateResponseSchema.parse(JSON.parse(httpBody('after/api-get-state.http'))).get_state;
    const [delta] = model.reset(snapshot, T0 + 600_000);
    expect(delta!.kind).toBe('snapshot');
    const after = model.view();
    for (const task of ['ok-echo', 'fail-exit1', 'bad-image', 'oom-hog', 'kill-me', 'cmd-task']) {
      expect(after.tasks[`${FW(0)}/${task}`]!.statuses).toEqual(before.tasks[`${FW(0)}/${task}`]!.statuses);
    }
    // The recording went on after this stream: later frameworks and their tasks arrive with the snapshot.
    expect(after.frameworks[FW(4)]).toBeDefined();
    expect(columns(after, FW(1), 'long-a').at(-1)).toEqual(['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', 'SOURCE_MASTER', `Framework ${FW(1)} removed`]);
    expect(Object.values(after.tasks).every((t) => new Set(t.statuses.map((s) => `${s.state}${s.at}${s.reason}`)).size === t.statuses.length)).toBe(true);
  });
});

describe('ClusterModel on an attached cluster (markBeforeAttach)', () => {
  const snapshot = () => GetStateResponseSchema.parse(JSON.parse(httpBody('after/api-get-state.http'))).get_state;
  const marks = (view: ClusterView) => Object.values(view.tasks).flatMap((t) => t.statuses.map((s) => s.beforeAttach === true));

  it('marks every status of the first snapshot "before attach", and keeps the mark when the same status comes again live', () => {
    const model = new ClusterModel({ markBeforeAttach: true }, T0);
    model.reset(snapshot(), T0);
    const first = marks(model.view());
    expect(first.length).toBeGreaterThan(20);
    expect(first.every(Boolean)).toBe(true);
    // The stream that led to that state, replayed: the same statuses again, no doubles, still marked.
    const replayed = fold('basic/operator.events.jsonl', Infinity, model).view();
    expect(columns(replayed, FW(0), 'kill-me').map((c) => c[0])).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(replayed.tasks[`${FW(0)}/kill-me`]!.statuses.every((s) => s.beforeAttach)).toBe(true);
  });

  it('marks nothing seen live, nor what a later snapshot (a resync) adds', () => {
    const model = fold('basic/operator.events.jsonl', Infinity, new ClusterModel({ markBeforeAttach: true }, T0));
    expect(marks(model.view()).some(Boolean)).toBe(false);
    model.reset(snapshot(), T0 + 600_000);
    const after = model.view();
    expect(after.tasks[`${FW(1)}/long-a`]).toBeDefined();
    expect(marks(after).some(Boolean)).toBe(false);
  });

  it('a launched cluster\'s model (no option) marks nothing', () => {
    const model = new ClusterModel({}, T0);
    model.reset(snapshot(), T0);
    expect(marks(model.view()).some(Boolean)).toBe(false);
  });
});

describe('ClusterModel on the fault recordings', () => {
  it('fault-pause-legacy: the paused agent goes unreachable, comes back, its task is re-added without doubles', () => {
    const file = 'fault-pause-legacy/operator.events.jsonl';
    const lost = fold(file, 11593).view();
    expect(lost.agents[S0]!.state).toBe('unreachable');
    expect(lost.agents[S1]!.state).toBe('active');
    const lostStatus = lost.tasks[`${FW(1)}/long-b`]!.statuses.at(-1)!;
    expect(lostStatus).toMatchObject({ state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED', source: 'SOURCE_MASTER', message: 'health check timed out' });
    expect(lostStatus.unreachableAt).toBeGreaterThan(1.7e12);
    // A lost task no longer holds resources on the agent.
    expect(lost.agents[S0]!.allocated.cpus).toBe(0);

    const back = fold(file, 25053).view();
    expect(back.agents[S0]!.state).toBe('active');
    expect(back.tasks[`${FW(1)}/long-b`]!.state).toBe('TASK_RUNNING');
    expect(columns(back, FW(1), 'long-b').map((c) => c[0])).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_LOST']);

    const end = fold(file).view();
    for (const task of ['long-a', 'long-b']) {
      expect(columns(end, FW(1), task).at(-1)).toEqual(['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', 'SOURCE_MASTER', `Framework ${FW(1)} removed`]);
    }
    // The completed tasks of the earlier framework came with the SUBSCRIBED snapshot.
    expect(end.frameworks[FW(0)]!.state).toBe('removed');
    expect(columns(end, FW(0), 'bad-image')[0]![1]).toBe('REASON_CONTAINER_LAUNCH_FAILED');
  });

  it('fault-stop-legacy: disconnected, then unreachable, then back; the PA task ends FAILED / EXECUTOR_TERMINATED', () => {
    const file = 'fault-stop-legacy/operator.events.jsonl';
    const start = fold(file, 37).view();
    expect(start.frameworks[FW(2)]).toMatchObject({ state: 'disconnected', capabilities: ['MULTI_ROLE', 'TASK_KILLING_STATE', 'PARTITION_AWARE'] });
    expect(Object.keys(start.offers).sort()).toEqual(['f8278ec8-4646-4d46-a619-bfdea32934e8-O61', 'f8278ec8-4646-4d46-a619-bfdea32934e8-O62']);
    expect(start.frameworks[FW(3)]!.offered).toEqual({ cpus: 3.8, mem: 4032, disk: 8192, gpus: 0 });
    expect(start.agents[S0]!.offered.cpus).toBe(1.9);

    const disconnected = fold(file, 7961).view();
    expect(disconnected.agents[S0]!.state).toBe('disconnected');
    expect(columns(disconnected, FW(3), 'stop-long-a').at(-1)).toEqual(['TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'SOURCE_MASTER', 'Agent 127.0.0.1 disconnected']);

    const unreachable = fold(file, 11451).view();
    expect(unreachable.agents[S0]!.state).toBe('unreachable');
    expect(unreachable.tasks[`${FW(2)}/pa-long-a`]!.state).toBe('TASK_UNREACHABLE');

    const end = fold(file).view();
    expect(end.agents[S0]!.state).toBe('active');
    expect(columns(end, FW(2), 'pa-long-a')).toEqual([
      ['TASK_STARTING', '–', 'SOURCE_EXECUTOR', ''],
      ['TASK_RUNNING', '–', 'SOURCE_EXECUTOR', ''],
      ['TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'SOURCE_MASTER', 'health check timed out'],
      ['TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'SOURCE_AGENT', 'Container terminated'],
    ]);
    expect(end.tasks[`${FW(2)}/pa-long-a`]!.state).toBe('TASK_FAILED');
  });

  it('ha: the leader stream folds; the standby stream (307, no bytes) holds nothing', () => {
    const view = fold('ha/operator-m1.events.jsonl').view();
    const tasks = Object.values(view.tasks);
    expect(tasks.map((t) => [t.id, t.state]).sort()).toEqual([
      ['ha-long-a', 'TASK_RUNNING'],
      ['ha-long-b', 'TASK_RUNNING'],
    ]);
    expect(tasks.every((t) => t.statuses.map((s) => s.state).join() === 'TASK_STARTING,TASK_RUNNING')).toBe(true);
    expect(Object.keys(view.agents)).toHaveLength(2);
    expect(recordedOperatorEvents('ha/operator-m2.events.jsonl')).toEqual([]);
  });
});

describe('ClusterModel idempotence and tolerance', () => {
  for (const file of ['basic/operator.events.jsonl', 'fault-pause-legacy/operator.events.jsonl', 'fault-stop-legacy/operator.events.jsonl', 'ha/operator-m1.events.jsonl']) {
    it(`${file}: every event applied twice changes nothing the second time`, () => {
      const once = fold(file);
      const twice = new ClusterModel({}, T0);
      for (const { t, event } of events(file)) {
        twice.apply(event, T0 + t);
        const again = twice.apply(event, T0 + t);
        if (event.type !== 'SUBSCRIBED') expect(again).toEqual([]);
      }
      expect(twice.view()).toEqual(once.view());
    });
  }

  it('replaying the whole stream again (a resync that re-sends history) doubles nothing', () => {
    const model = fold('basic/operator.events.jsonl');
    const before = model.view();
    fold('basic/operator.events.jsonl', Infinity, model);
    expect(model.view()).toEqual(before);
  });

  it('tolerates unknown fields and event types, and 64-bit numbers as strings', () => {
    const model = fold('ha/operator-m1.events.jsonl');
    const unknown = parseOperatorEvent({ type: 'SOMETHING_NEW', something_new: { x: 1 } });
    expect(unknown).toEqual({ ok: true, event: { type: 'SOMETHING_NEW', unknown: true } });
    if (unknown.ok) expect(model.apply(unknown.event, T0)).toEqual([]);
    const agent = parseOperatorEvent({
      type: 'AGENT_ADDED',
      future_field: true,
      agent_added: {
        agent: {
          agent_info: { id: { value: 'S9' }, hostname: 'h', port: 5059, new_thing: { a: 1 }, attributes: [{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }] },
          active: true,
          registered_time: { nanoseconds: '1795272899405106200' },
          total_resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
        },
      },
    });
    expect(agent.ok).toBe(true);
    if (!agent.ok) return;
    const [d] = model.apply(agent.event, T0) as Array<Extract<Delta, { kind: 'agent' }>>;
    expect(d!.agent).toMatchObject({ id: 'S9', state: 'active', attributes: { rack: 'r1' }, total: { cpus: 1 } });
    expect(d!.agent.registeredAt).toBeCloseTo(1795272899405.1062, 2);
  });

  it('reports malformed events instead of throwing', () => {
    expect(parseOperatorEvent(null)).toMatchObject({ ok: false });
    expect(parseOperatorEvent('HEARTBEAT')).toMatchObject({ ok: false });
    const bad = parseOperatorEvent({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'f' }, status: { state: 'TASK_RUNNING' } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/malformed TASK_UPDATED event/);
  });
});

describe('ClusterModel offers from /master/state polls', () => {
  const poll = (offers: Array<{ id: string; fw: string; agent: string; cpus: number }>, slaves = [S0, S1]) =>
    MasterStateSchema.parse({
      slaves: slaves.map((id) => ({ id, active: true })),
      frameworks: [{ id: FW(1), offers: offers.map((o) => ({ id: o.id, framework_id: o.fw, slave_id: o.agent, resources: { cpus: o.cpus, mem: 100, disk: 0, gpus: 0, ports: '[31000-31099]' } })) }],
    });

  it('records made, accepted (a task launched on it) and gone, and the offered sums', () => {
    const model = fold('basic/operator.events.jsonl', 972); // framework 0000 subscribed, no task yet
    const fw = FW(0);
    const d1 = model.applyMasterState(poll([{ id: 'O1', fw, agent: S0, cpus: 2 }, { id: 'O2', fw, agent: S1, cpus: 2 }]), T0 + 975);
    expect(d1.filter((d) => d.kind === 'offer')).toHaveLength(2);
    expect(model.view().agents[S0]!.offered.cpus).toBe(2);
    expect(model.view().frameworks[fw]!.offered.cpus).toBe(4);
    for (const { t, event } of events('basic/operator.events.jsonl')) if (t > 972 && t <= 998) model.apply(event, T0 + t);
    model.noteOfferOutcome('O2', 'declined');
    const d2 = model.applyMasterState(poll([]), T0 + 1000);
    const removed = d2.filter((d): d is Extract<Delta, { kind: 'offerRemoved' }> => d.kind === 'offerRemoved');
    expect(removed.map((r) => [r.id, r.outcome.outcome])).toEqual([
      ['O1', 'accepted'],
      ['O2', 'declined'],
    ]);
    expect(removed[0]!.outcome.taskKeys).toEqual([`${fw}/ok-echo`]);
    expect(model.view().offerHistory.map((o) => `${o.id}:${o.outcome}`)).toEqual(['O1:made', 'O2:made', 'O1:accepted', 'O2:declined']);
    expect(model.view().agents[S0]!.offered.cpus).toBe(0);
    // The same poll again: nothing new.
    expect(model.applyMasterState(poll([]), T0 + 1100)).toEqual([]);
    // An agent the leader no longer lists is unreachable (no event says so, docs/mesos/api.md §0.13).
    const d3 = model.applyMasterState(poll([], [S1]), T0 + 1200);
    expect(d3).toEqual([expect.objectContaining({ kind: 'agent', agent: expect.objectContaining({ id: S0, state: 'unreachable' }) })]);
  });

  it("takes our own scheduler's word for an offer it decided on, seen by a poll or not, and ignores a late poll that still lists it", () => {
    const model = fold('basic/operator.events.jsonl', 972);
    const fw = FW(0);
    model.applyMasterState(poll([{ id: 'O1', fw, agent: S0, cpus: 2 }]), T0 + 975);
    const seen = model.reportOfferDecision({ offerId: 'O1', frameworkId: fw, agentId: S0, cpus: 2, mem: 100, outcome: 'accepted', taskKeys: [`${fw}/t1`], note: 'launched t1' }, T0 + 980);
    expect(seen).toContainEqual({ kind: 'offerRemoved', id: 'O1', outcome: expect.objectContaining({ outcome: 'accepted', taskKeys: [`${fw}/t1`], note: 'launched t1', at: T0 + 980 }) });
    expect(model.view().agents[S0]!.offered.cpus).toBe(0);
    // Never polled: straight into the history, with the resources the scheduler saw.
    const unseen = model.reportOfferDecision({ offerId: 'O2', frameworkId: fw, agentId: S1, cpus: 1, mem: 64, outcome: 'declined', note: 'nothing to run; refuse 120 s' }, T0 + 990);
    expect(unseen).toEqual([{ kind: 'offerOutcome', outcome: expect.objectContaining({ id: 'O2', outcome: 'declined', resources: { cpus: 1, mem: 64, disk: 0, gpus: 0 }, note: 'nothing to run; refuse 120 s' }) }]);
    // A poll sent before the DECLINE landed still lists it: not made again, not "gone" later.
    expect(model.applyMasterState(poll([{ id: 'O2', fw, agent: S1, cpus: 1 }]), T0 + 995).filter((d) => d.kind !== 'agent')).toEqual([]);
    expect(model.reportOfferDecision({ offerId: 'O2', frameworkId: fw, agentId: S1, cpus: 1, mem: 64, outcome: 'declined', note: 'again' }, T0 + 999)).toEqual([]);
    expect(model.view().offerHistory.map((o) => `${o.id}:${o.outcome}`)).toEqual(['O1:made', 'O1:accepted', 'O2:declined']);
  });
});

describe('coalesce', () => {
  it('keeps the last version of each entity and drops what precedes a snapshot', () => {
    const model = fold('ha/operator-m1.events.jsonl', 0);
    const snapshot = model.view();
    const a = { kind: 'connection', connection: { state: 'live', since: 1 } } as const;
    const b = { kind: 'connection', connection: { state: 'reconnecting', since: 2 } } as const;
    const m = { kind: 'metrics', sample: { at: 1, values: {} } } as const;
    expect(coalesce([a, m, b])).toEqual([m, b]);
    expect(coalesce([a, { kind: 'snapshot', view: snapshot }, m])).toEqual([{ kind: 'snapshot', view: snapshot }, m]);
  });
});
