import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterView } from '@shared/dashboard/view';
import { diagnoseView, isEvidenceLine, parseGlog, type DockerEvent, type LogLine } from '@shared/doctor';
import { RecordingTimeline } from '@shared/recording/timeline';
import { ClusterMonitor } from '../dashboard/cluster-monitor';
import { startFakeOperatorMaster, type FakeOperatorMaster, type OperatorStream } from '../mesos/fake-operator.test-support';
import { eventually } from '../mesos/fake-master.test-support';
import { recordedOperatorEvents, TRANSCRIPT_LAYOUT, transcriptBytes } from '../mesos/transcripts.test-support';
import { readRecording } from './reader';
import { Recorder } from './recorder';

/**
 * The recorder round trip: a real ClusterMonitor follows a fake master replaying what a real Mesos
 * 1.12 sent during the fault recordings (testbed/transcripts), with the Docker events of the
 * fault and the master's real log lines as evidence. At every batch the live view and the live
 * doctor's verdicts are noted; the file, opened afresh, must give the same view and the same
 * diagnoses at each of those moments.
 */

const S0 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-S0';
const LAYOUT = TRANSCRIPT_LAYOUT;
const SPEC = ClusterSpecSchema.parse({ name: 'dr-rec', agents: { count: 2 }, timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 } });
const MESOS = { version: '1.12.0', emulator: false };

let dir: string;
let fake: FakeOperatorMaster | undefined;
let monitor: ClusterMonitor | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-recorder-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await monitor?.stop();
  await fake?.close();
});

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
const agent2 = (action: string, at: number): DockerEvent => ({ at, action, role: 'agent', node: { role: 'agent', index: 2 }, container: 'mesoscope-dr-rec-agent-2', dockerId: 'a9e47' });

interface Script {
  file: string;
  /** Docker events of the fault, placed relative to the statuses they caused. */
  docker: (stamp: (task: string, state: string) => number) => DockerEvent[];
  /** Rules the live doctor must have used at some moment (the test is not about empty verdicts). */
  expectRules: string[];
}

const SCRIPTS: Script[] = [
  {
    file: 'fault-pause-legacy/operator.events.jsonl',
    // docker pause ≈ 3.5 s before the master's LOST (3 missed 1 s pings), unpause before the re-registration.
    docker: (stamp) => [agent2('pause', stamp('long-b', 'TASK_LOST') - 3600), agent2('unpause', stamp('long-b', 'TASK_LOST') + 13_000)],
    expectRules: ['agent-paused', 'framework-removed'],
  },
  {
    file: 'fault-stop-legacy/operator.events.jsonl',
    // docker stop: SIGTERM, the process dies, its socket closes and the master loses the task at once.
    docker: (stamp) => {
      const lost = stamp('stop-long-a', 'TASK_LOST');
      return [agent2('kill', lost - 40), agent2('die', lost - 5), agent2('stop', lost + 20), agent2('start', lost + 14_000)];
    },
    expectRules: ['agent-stopped-disconnected', 'agent-stopped-unreachable'],
  },
];

describe.each(SCRIPTS)('recording $file', ({ file, docker, expectRules }) => {
  it('the file gives the live view and the live doctor’s verdicts at every moment', async () => {
    const recorded = recordedOperatorEvents(file);
    type Updated = { task_updated: { status: { task_id: { value: string }; state: string; timestamp: number } } };
    const updates = recorded.filter((e) => e.event.type === 'TASK_UPDATED').map((e) => ({ t: e.t, status: (e.event as unknown as Updated).task_updated.status }));
    // The stream opened at t0 on Mesos' clock: no status reaches us before Mesos stamped it.
    const t0 = Math.ceil(Math.max(...updates.map((u) => u.status.timestamp * 1000 - u.t)));
    const stamp = (task: string, state: string) => updates.find((u) => u.status.task_id.value === task && u.status.state === state)!.status.timestamp * 1000;
    const dockerScript = docker(stamp).sort((a, b) => a.at - b.at);
    const end = t0 + recorded.at(-1)!.t;
    const logScript = parseGlog(transcriptBytes('after/master-log.txt').toString('utf8'), { node: { role: 'master', index: 1 }, reference: t0 }).filter(
      (l) => l.at >= t0 - 60_000 && l.at <= end && isEvidenceLine(l),
    );

    let clock = t0 - 1000;
    const now = () => clock;
    let stream: OperatorStream | undefined;
    fake = await startFakeOperatorMaster();
    fake.onSubscribe = (s) => {
      s.res.writeHead(200, { 'Content-Type': 'application/json' });
      stream = s;
    };
    fake.routes['/metrics/snapshot'] = () => [200, JSON.stringify({ 'master/elected': 1, 'master/tasks_running': 1 })];
    monitor = new ClusterMonitor({ clusterId: 'dr-rec', client: { masters: [fake.url], backoffMs: [30] }, batchMs: 15, metricsPollMs: 120, now });
    monitor.start();

    // The evidence sources: what the test feeds them also goes to the live doctor.
    const liveDocker: DockerEvent[] = [];
    const liveLogs: LogLine[] = [];
    let toRecorderDocker: (e: DockerEvent) => void = () => undefined;
    let toRecorderLogs: (l: LogLine[]) => void = () => undefined;
    const path = join(dir, `${file.split('/')[0]}.mesorec`);
    const recorder = await Recorder.start({
      path,
      cluster: { name: 'dr-rec', spec: SPEC, layout: LAYOUT, mesos: MESOS },
      monitor,
      dockerEvents: (onEvent, signal) => ((toRecorderDocker = onEvent), aborted(signal)),
      logs: (onLines, signal) => ((toRecorderLogs = onLines), aborted(signal)),
      now,
      syncMs: 50,
    });

    // The live side, noted after the recorder at every batch: the view and the doctor's verdicts.
    const summary = { spec: SPEC, layout: LAYOUT, mesos: MESOS };
    const live = new Map<number, { view: ClusterView; verdicts: ReturnType<typeof diagnoseView> }>();
    const note = (view: ClusterView) => live.set(clock, { view, verdicts: diagnoseView(view, { summary, dockerEvents: [...liveDocker], logs: [...liveLogs], now: clock }) });
    const attached = monitor.attach(() => note(monitor!.snapshot()));
    note(attached.view);

    const evidenceUpTo = (t: number) => {
      while (dockerScript[0] && dockerScript[0].at <= t) {
        const e = dockerScript.shift()!;
        liveDocker.push(e);
        toRecorderDocker(e);
      }
      const lines: LogLine[] = [];
      while (logScript[0] && logScript[0].at <= t) lines.push(logScript.shift()!);
      if (lines.length > 0) {
        liveLogs.push(...lines);
        toRecorderLogs(lines);
      }
    };

    await eventually('the stream', () => stream);
    for (const { t, event } of recorded) {
      clock = t0 + t;
      evidenceUpTo(clock);
      stream!.send(event);
      await new Promise((r) => setTimeout(r, 40));
    }
    clock = end + 60_000;
    evidenceUpTo(clock);
    await new Promise((r) => setTimeout(r, 40));
    // Both stop listening at once: a metrics sample landing while the file closes is in neither.
    const stopping = recorder.stop();
    attached.detach();
    const summaryOut = await stopping;

    // The file, opened afresh.
    const back = await readRecording(path);
    expect(back.complete).toBe(true);
    const timeline = new RecordingTimeline(back.header, back.entries);
    expect(live.size).toBeGreaterThan(8);
    for (const [t, { view, verdicts }] of live) {
      expect(timeline.stateAt(t).view, `view at +${t - t0} ms`).toEqual(view);
      expect(timeline.diagnosesAt(t), `diagnoses at +${t - t0} ms`).toEqual(verdicts);
    }
    const rulesSeen = new Set([...live.values()].flatMap((l) => Object.values(l.verdicts).map((d) => (d.kind === 'diagnosed' ? d.ruleId : d.kind))));
    for (const rule of expectRules) expect(rulesSeen).toContain(rule);

    // The raw operator events are kept, without the docker inspect `data` of RUNNING updates.
    const operator = back.entries.filter((e) => e.kind === 'operator');
    expect(operator.map((e) => e.event.type)).toEqual(recorded.map((e) => e.event.type).filter((type) => type !== 'SUBSCRIBED' && type !== 'HEARTBEAT'));
    expect(JSON.stringify(operator)).not.toMatch(/"data":/);
    expect(summaryOut.counts).toMatchObject({ snapshot: 1, docker: docker(stamp).length, operator: operator.length });
    expect(summaryOut.counts.logs).toBeGreaterThan(0);
    expect(back.entries.filter((e) => e.kind === 'docker').map((e) => e.kind === 'docker' && e.event.action)).toEqual(docker(stamp).map((e) => e.action));
    expect(timeline.stateAt(clock).view?.agents[S0]).toBeDefined();
  }, 30_000);
});

it('a second attach in the middle of a batch gets a view the next batch builds on (no sample counted twice)', async () => {
  fake = await startFakeOperatorMaster();
  let metricsCalls = 0;
  fake.routes['/metrics/snapshot'] = () => [200, JSON.stringify({ 'master/elected': 1, 'master/uptime_secs': ++metricsCalls })];
  fake.onSubscribe = (s) => {
    s.res.writeHead(200, { 'Content-Type': 'application/json' });
    for (const { event } of recordedOperatorEvents('basic/operator.events.jsonl').slice(0, 3)) s.send(event);
  };
  monitor = new ClusterMonitor({ clusterId: 'dr-rec', client: { masters: [fake.url], backoffMs: [30] }, batchMs: 200, busyPerSecond: 0, metricsPollMs: 20 });
  monitor.start();
  await eventually('samples pending', () => (monitor!.snapshot().metrics.length >= 2 ? true : undefined));
  let view: ClusterView | null = null;
  const { view: first, detach } = monitor.attach((batch) => {
    view = batch.deltas.reduce<ClusterView | null>((v, d) => (d.kind === 'metrics' && v ? { ...v, metrics: [...v.metrics, d.sample] } : v), view);
  });
  view = first;
  const attachedWith = first?.metrics.length ?? 0;
  expect(attachedWith).toBeGreaterThanOrEqual(2);
  // Batches after the attach add samples on top of the attached view's.
  await eventually('samples after the attach', () => ((view?.metrics.length ?? 0) >= attachedWith + 2 ? true : undefined));
  detach();
  const uptimes = view!.metrics.map((m) => m.values['master/uptime_secs']);
  // Every sample once, in order: a sample counted twice would repeat an uptime.
  expect(uptimes.length).toBeGreaterThanOrEqual(attachedWith + 2);
  expect(uptimes).toEqual([...uptimes].sort((a, b) => a! - b!));
  expect(new Set(uptimes).size).toBe(uptimes.length);
});
