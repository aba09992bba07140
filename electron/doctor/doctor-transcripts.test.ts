import { describe, expect, it } from 'vitest';
import { parseOperatorEvent, type OperatorEvent } from '@shared/dashboard/operator';
import { diagnoseTask, diagnoseView, parseGlog, type DockerEvent } from '@shared/doctor';
import { ClusterModel } from '../dashboard/cluster-model';
import { recordedOperatorEvents, TRANSCRIPT_LAYOUT, transcriptBytes } from '../mesos/transcripts.test-support';

/**
 * The doctor on what a real Mesos 1.12 did (testbed/transcripts): the recorded operator
 * streams folded by the dashboard's ClusterModel, with the master's real log lines as evidence.
 */

const FW = (n: number) => `f8278ec8-4646-4d46-a619-bfdea32934e8-000${n}`;
const S0 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S0';
const S1 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S1';

const LAYOUT = TRANSCRIPT_LAYOUT;

interface Recording {
  events: Array<{ t: number; event: OperatorEvent }>;
  /**
   * When the stream opened, on Mesos' clock: no status reaches us before Mesos stamped it, so the
   * latest (stamp − offset) over the recording; model times and Mesos times then agree.
   */
  t0: number;
}

function recording(file: string): Recording {
  const raw = recordedOperatorEvents(file);
  const events = raw.map(({ t, event }) => {
    const parsed = parseOperatorEvent(event);
    if (!parsed.ok) throw new Error(parsed.error);
    return { t, event: parsed.event };
  });
  const offsets = raw
    .filter((e) => e.event.type === 'TASK_UPDATED')
    .map((e) => (e.event as unknown as { task_updated: { status: { timestamp: number } } }).task_updated.status.timestamp * 1000 - e.t);
  return { events, t0: Math.ceil(Math.max(...offsets)) };
}

function viewAt(r: Recording, until = Infinity) {
  const model = new ClusterModel({}, r.t0);
  for (const { t, event } of r.events) if (t <= until) model.apply(event, r.t0 + t);
  return model.view();
}

const masterLogs = (reference: number) => parseGlog(transcriptBytes('after/master-log.txt').toString('utf8'), { node: { role: 'master', index: 1 }, reference });
const summary = { spec: undefined, layout: LAYOUT, mesos: { version: '1.12.0', emulator: false } };

describe('basic/: a legacy framework’s tasks', () => {
  const r = recording('basic/operator.events.jsonl');
  const view = viewAt(r);
  const logs = masterLogs(r.t0);

  it('each failed task gets its cause; the finished ones none', () => {
    const found = diagnoseView(view, { summary, logs, now: r.t0 + 60_000 });
    const byTask = Object.fromEntries(Object.values(found).map((d) => [d.taskKey.split('/')[1], d.kind === 'diagnosed' ? d.ruleId : d.kind]));
    expect(byTask).toEqual({ 'fail-exit1': 'nonzero-exit', 'bad-image': 'image-not-found', 'oom-hog': 'sigkill-137', 'kill-me': 'killed-on-request' });
  });

  it('the missing image: the status is decisive, the master’s lines about the task beside it', () => {
    const d = diagnoseTask(view, `${FW(0)}/bad-image`, { summary, logs, now: r.t0 + 60_000 })!;
    expect(d.kind === 'diagnosed' && d.cause).toBe(
      'The agent could not pull 127.0.0.1:5000/mesoscope/does-not-exist:1: the registry has no such image or tag (“Error response from daemon: manifest for 127.0.0.1:5000/mesoscope/does-not-exist:1 not found: manifest unknown: manifest unknown”).',
    );
    if (d.kind !== 'diagnosed') return;
    const lines = d.timeline.filter((i) => i.kind === 'log').map((i) => i.title);
    expect(lines[0]).toMatch(/^Adding task bad-image with resources/);
    expect(lines).toContain(`Updating the state of task bad-image of framework ${FW(0)} (latest state: TASK_FAILED, status update state: TASK_FAILED)`);
    expect(lines.every((l) => /\bbad-image\b/.test(l))).toBe(true);
    expect(d.timeline.find((i) => i.decisive)).toMatchObject({ kind: 'status', title: 'TASK_FAILED · REASON_CONTAINER_LAUNCH_FAILED' });
    expect(d.links.sandbox).toMatchObject({ agentId: S1, path: `/frameworks/${FW(0)}/executors/bad-image/runs/latest` });
  });

  it('the OOM kill is named when Docker says so', () => {
    const oom = view.tasks[`${FW(0)}/oom-hog`]!;
    const containerId = oom.statuses.find((s) => s.containerId)!.containerId!;
    const died: DockerEvent = { at: oom.updatedAt - 2, action: 'die', role: 'task', container: `mesos-${containerId}`, dockerId: 'c0ffee', mesosContainerId: containerId, exitCode: 137, oomKilled: true };
    const d = diagnoseTask(view, oom.key, { summary, logs, dockerEvents: [died], now: r.t0 + 60_000 })!;
    expect(d).toMatchObject({ kind: 'diagnosed', ruleId: 'oom-killed', title: 'Out of memory' });
    expect(d.kind === 'diagnosed' && d.timeline.find((i) => i.decisive)?.title).toBe('Task container died (exit 137, OOM killed)');
  });

  it('while oom-hog’s FAILED was still in flight (RUNNING awaiting acknowledgement) there was nothing to say yet', () => {
    expect(diagnoseTask(viewAt(r, 3358), `${FW(0)}/oom-hog`, { summary, now: r.t0 + 3358 })).toMatchObject({ kind: 'none', why: 'awaiting-status' });
  });
});

describe('fault-pause-legacy/: the agent of long-b paused for 17 s', () => {
  const r = recording('fault-pause-legacy/operator.events.jsonl');
  const logs = masterLogs(r.t0);

  it('at the loss: unreachable, the master’s “Marking agent … unreachable” decisive; with the pause event, the pause', () => {
    const view = viewAt(r, 11593);
    const now = r.t0 + 11593;
    const d = diagnoseTask(view, `${FW(1)}/long-b`, { summary, logs, now })!;
    expect(d).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-unreachable', mesos: { version: '1.12.0', assumed: false } });
    if (d.kind !== 'diagnosed') return;
    expect(d.cause).toMatch(/^The agent \(agent 2\) stopped answering the master’s pings/);
    expect(d.timeline.find((i) => i.decisive)?.title).toBe(`Marking agent ${S0} (127.0.0.1) unreachable: health check timed out`);
    expect(d.timeline.find((i) => i.kind === 'agent')?.title).toBe('The master sees agent 127.0.0.1 as unreachable');

    const paused: DockerEvent = { at: now - 3600, action: 'pause', role: 'agent', node: { role: 'agent', index: 2 }, container: 'mesoscope-rec-agent-2', dockerId: 'agent2' };
    const withPause = diagnoseTask(view, `${FW(1)}/long-b`, { summary, logs, now, dockerEvents: [paused] })!;
    expect(withPause).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-paused', title: 'Agent paused: unreachable' });
    expect(withPause.kind === 'diagnosed' && withPause.timeline.find((i) => i.decisive)?.title).toBe('Agent container (agent 2) paused');
  });

  it('after the unpause the task is RUNNING again: nothing to diagnose', () => {
    expect(diagnoseTask(viewAt(r, 25053), `${FW(1)}/long-b`, { summary, logs, now: r.t0 + 25053 })).toMatchObject({ kind: 'none', why: 'active' });
  });
});

describe('fault-stop-legacy/: the agent stopped, then started again', () => {
  const r = recording('fault-stop-legacy/operator.events.jsonl');
  const logs = masterLogs(r.t0);

  it('the non-checkpointing task: lost at once with the disconnect; the master’s own line decisive', () => {
    const d = diagnoseTask(viewAt(r, 7961), `${FW(3)}/stop-long-a`, { summary, logs, now: r.t0 + 7961 })!;
    expect(d).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-disconnected', title: 'Agent disconnected: task lost' });
    expect(d.kind === 'diagnosed' && d.timeline.find((i) => i.decisive)?.title).toBe(`Agent ${S0} at slave(1)@127.0.0.1:5052 (127.0.0.1) disconnected`);
  });

  it('the partition-aware task: unreachable, then FAILED when the agent came back without its executor (docs/mesos/faults.md row 12)', () => {
    expect(diagnoseTask(viewAt(r, 11451), `${FW(2)}/pa-long-a`, { summary, logs, now: r.t0 + 11451 })).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-unreachable' });
    const end = diagnoseTask(viewAt(r), `${FW(2)}/pa-long-a`, { summary, logs, now: r.t0 + 30_000 })!;
    expect(end).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-restart-killed-executor' });
    expect(end.kind === 'diagnosed' && end.cause).toMatch(/the task was unreachable first/);
  });
});

describe('diagnoseView', () => {
  it('indexes the evidence once and gives what diagnosing each task with all of it gives', () => {
    for (const file of ['basic/operator.events.jsonl', 'fault-pause-legacy/operator.events.jsonl', 'fault-stop-legacy/operator.events.jsonl']) {
      const r = recording(file);
      const logs = masterLogs(r.t0);
      const dockerEvents: DockerEvent[] = [
        { at: r.t0 + 7000, action: 'pause', role: 'agent', node: { role: 'agent', index: 2 }, container: 'mesoscope-rec-agent-2', dockerId: 'agent2' },
        { at: r.t0 + 7950, action: 'die', role: 'agent', node: { role: 'agent', index: 2 }, container: 'mesoscope-rec-agent-2', dockerId: 'agent2', exitCode: 143 },
      ];
      for (const until of [3000, 8000, 12_000, Infinity]) {
        const view = viewAt(r, until);
        const now = r.t0 + Math.min(until, 60_000);
        const context = { summary, logs, dockerEvents, now };
        const one = Object.fromEntries(
          Object.keys(view.tasks)
            .map((k) => [k, diagnoseTask(view, k, context)!] as const)
            .filter(([, d]) => d.kind !== 'none'),
        );
        expect(diagnoseView(view, context), `${file} at +${until} ms`).toEqual(one);
      }
    }
  });
});
