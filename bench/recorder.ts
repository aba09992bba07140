/**
 * bench:recorder — the flight recorder's file on a busy session: N tasks, each STAGING → STARTING →
 * RUNNING → FINISHED or FAILED, delta batches every 30 ms as the monitor sends them, two Docker events
 * and a few log lines per task. Figures: write and read throughput, bytes per entry and the gzip
 * ratio, and the time slider: stateAt at random moments with checkpoints beside a baseline measured
 * in the same run (folding every batch from the first snapshot, as a replay without checkpoints
 * would), then what the doctor costs at one moment. Then the replay as the UI gets it: one
 * `recordings.stateAt` through the dispatcher (view and verdicts at a moment, validated against the
 * contract) beside the alternative of sending the whole timeline once (its bytes, and validating every
 * entry). BENCH_SMOKE=1: a small session, once.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import { applyDeltas } from '@shared/dashboard/apply';
import type { Delta } from '@shared/dashboard/deltas';
import type { ClusterView, StatusEntry, Task } from '@shared/dashboard/view';
import { RECORDING_FORMAT_VERSION, type RecordingEntry, type RecordingHeader } from '@shared/recording/schema';
import { RecordingEntrySchema } from '@shared/recording/schema';
import { RecordingTimeline } from '@shared/recording/timeline';
import { createDispatcher } from '../electron/api/dispatcher';
import { doctorHandlers } from '../electron/api/handlers/doctor';
import { fakeHandlers } from '../electron/api/fake-handlers.test-support';
import type { DoctorService } from '../electron/doctor/doctor-service';
import { readRecording } from '../electron/recorder/reader';
import { RecordingService } from '../electron/recorder/recording-service';
import { RecordingWriter } from '../electron/recorder/writer';

const smoke = Boolean(process.env.BENCH_SMOKE);
const TASKS = smoke ? 200 : 3000;
const SEEKS = smoke ? 20 : 200;
const T0 = 1_795_272_900_000;
const FW = 'f8278ec8-4646-4d46-a619-bfdea32934e8-0000';
const layout = {
  network: 'host' as const,
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [1, 2, 3].map((index) => ({ index, port: 5050 + index, taskPorts: { begin: 31000 + index * 100, end: 31099 + index * 100 }, workDir: `/w/bench/agent-${index}` })),
};
const header: RecordingHeader = {
  kind: 'header',
  format: 'mesoscope-recording',
  formatVersion: RECORDING_FORMAT_VERSION,
  app: { name: 'Mesoscope', version: 'bench' },
  cluster: { name: 'bench', spec: ClusterSpecSchema.parse({ name: 'bench', agents: { count: 3 } }), layout, mesos: { version: '1.12.0', emulator: true } },
  startedAt: T0,
  logs: 'evidence',
};
const empty: ClusterView = { connection: { state: 'live', since: T0 }, masters: [], agents: {}, frameworks: {}, tasks: {}, offers: {}, offerHistory: [], metrics: [] };

/** The session's entries, in time order. */
function session(): RecordingEntry[] {
  const entries: RecordingEntry[] = [{ kind: 'snapshot', t: T0, view: empty }];
  const tasks = new Map<string, Task>();
  const pending: Array<{ t: number; delta: Delta }> = [];
  for (let i = 0; i < TASKS; i++) {
    const id = `task-${i}`;
    const start = T0 + i * 40;
    const cid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const agentId = `S${i % 3}`;
    const fails = i % 7 === 0;
    const steps: Array<[number, StatusEntry | null]> = [
      [start, null],
      [start + 300, { state: 'TASK_STARTING', at: start + 300, source: 'SOURCE_EXECUTOR', agentId, executorId: id, containerId: cid }],
      [start + 900, { state: 'TASK_RUNNING', at: start + 900, source: 'SOURCE_EXECUTOR', agentId, executorId: id, containerId: cid, ip: '127.0.0.1' }],
      [
        start + 2900,
        fails
          ? { state: 'TASK_FAILED', at: start + 2900, source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137', agentId, executorId: id, containerId: cid }
          : { state: 'TASK_FINISHED', at: start + 2900, source: 'SOURCE_EXECUTOR', message: 'Container exited with status 0', agentId, executorId: id, containerId: cid },
      ],
    ];
    for (const [t, status] of steps) {
      const old = tasks.get(id);
      const task: Task = {
        key: `${FW}/${id}`,
        id,
        frameworkId: FW,
        agentId,
        name: id,
        state: status?.state ?? 'TASK_STAGING',
        resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
        container: { type: 'DOCKER', image: 'mesoscope/task-base:test' },
        statuses: status ? [...(old?.statuses ?? []), status] : [],
        seenAt: start,
        updatedAt: t,
      };
      tasks.set(id, task);
      pending.push({ t, delta: { kind: 'task', task } });
    }
    const docker = (action: string, t: number, extra = {}): RecordingEntry => ({
      kind: 'docker',
      t: t + 5,
      event: { at: t, action, role: 'task', container: `mesos-${cid}`, dockerId: cid.replace(/-/g, ''), mesosContainerId: cid, agentIndex: (i % 3) + 1, ...extra },
    });
    entries.push(docker('start', start + 800), docker('die', start + 2880, { exitCode: fails ? 137 : 0, oomKilled: fails }));
    entries.push({
      kind: 'logs',
      t: start + 2950,
      lines: [
        { at: start + 310, node: { role: 'agent', index: (i % 3) + 1 }, level: 'I', file: 'slave.cpp:2864', text: `Launching task '${id}' for framework ${FW}` },
        { at: start + 2905, node: { role: 'master', index: 1 }, level: 'I', file: 'master.cpp:8187', text: `Status update ${fails ? 'TASK_FAILED' : 'TASK_FINISHED'} for task ${id} of framework ${FW}` },
      ],
    });
  }
  // Batches as the monitor sends them: whatever changed within 30 ms.
  pending.sort((a, b) => a.t - b.t);
  let seq = 0;
  for (let i = 0; i < pending.length; ) {
    const until = pending[i]!.t + 30;
    const batch: Delta[] = [];
    while (i < pending.length && pending[i]!.t < until) batch.push(pending[i++]!.delta);
    entries.push({ kind: 'deltas', t: until, seq: ++seq, deltas: batch });
  }
  return entries.sort((a, b) => a.t - b.t);
}

const ms = (from: number) => performance.now() - from;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-recorder-'));
  try {
    const entries = session();
    const rawBytes = entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0);
    const path = join(dir, 'session.mesorec');

    let t = performance.now();
    const writer = await RecordingWriter.create(path, header);
    for (const e of entries) writer.write(e);
    await writer.close('stopped', entries.at(-1)!.t);
    const writeMs = ms(t);
    const bytes = (await stat(path)).size;

    t = performance.now();
    const back = await readRecording(path);
    const readMs = ms(t);
    t = performance.now();
    const timeline = new RecordingTimeline(back.header, back.entries);
    const indexMs = ms(t);

    // Random moments, the same for both.
    const moments = Array.from({ length: SEEKS }, (_, i) => timeline.start + ((i * 7919) % SEEKS) * ((timeline.end - timeline.start) / SEEKS));
    const viewEntries = back.entries.filter((e) => e.kind === 'snapshot' || e.kind === 'deltas');
    const baseline = (at: number) => {
      let view: ClusterView | null = null;
      for (const e of viewEntries) {
        if (e.t > at) break;
        view = e.kind === 'snapshot' ? e.view : applyDeltas(view, e.deltas);
      }
      return view;
    };
    const seekTimes: number[] = [];
    const baseTimes: number[] = [];
    for (const at of moments) {
      let s = performance.now();
      const view = timeline.stateAt(at).view;
      seekTimes.push(ms(s));
      s = performance.now();
      const base = baseline(at);
      baseTimes.push(ms(s));
      if (Object.keys(view?.tasks ?? {}).length !== Object.keys(base?.tasks ?? {}).length) throw new Error(`stateAt(${at}) differs from the fold`);
    }
    t = performance.now();
    const verdicts = timeline.diagnosesAt(timeline.end);
    const doctorMs = ms(t);

    // The replay as the UI asks for it: a moment at a time, through the contract.
    const service = new RecordingService({ dir, docker: () => ({}) as never, engine: { get: async () => ({}) as never }, monitors: { acquire: async () => ({}) as never } });
    const fake = fakeHandlers();
    const dispatcher = createDispatcher({ calls: { ...fake.calls, ...doctorHandlers({} as DoctorService, service) }, events: fake.events });
    t = performance.now();
    const opened = await dispatcher.call('recordings.open', { path });
    const openMs = ms(t);
    if (!opened.ok) throw new Error(opened.error.message);
    const id = (opened.value as { id: string }).id;
    const callTimes: number[] = [];
    const callBytes: number[] = [];
    for (const at of moments.slice(0, Math.min(SEEKS, 50))) {
      const s = performance.now();
      const answer = await dispatcher.call('recordings.stateAt', { id, t: at });
      callTimes.push(ms(s));
      if (!answer.ok) throw new Error(answer.error.message);
      callBytes.push(Buffer.byteLength(JSON.stringify(answer.value)));
    }
    t = performance.now();
    for (const e of back.entries) RecordingEntrySchema.parse(e);
    const wholeCheckMs = ms(t);

    const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
    console.log(`bench:recorder — ${TASKS} tasks, ${entries.length} entries (${viewEntries.length - 1} delta batches)${smoke ? ' [smoke]' : ''}`);
    console.log(`  size         ${mb(bytes)} MB gzip (${mb(rawBytes)} MB as NDJSON, ratio ${(rawBytes / bytes).toFixed(1)}×), ${(bytes / entries.length).toFixed(0)} B per entry`);
    console.log(`  write        ${writeMs.toFixed(0)} ms, ${((entries.length / writeMs) * 1000).toFixed(0)} entries/s`);
    console.log(`  read+check   ${readMs.toFixed(0)} ms, ${((entries.length / readMs) * 1000).toFixed(0)} entries/s; timeline index ${indexMs.toFixed(0)} ms`);
    console.log(`  stateAt      median ${median(seekTimes).toFixed(2)} ms with checkpoints, ${median(baseTimes).toFixed(2)} ms folding from the start: ${(median(baseTimes) / median(seekTimes)).toFixed(1)}× faster`);
    console.log(`  doctor       ${doctorMs.toFixed(0)} ms for the ${Object.keys(timeline.stateAt(timeline.end).view?.tasks ?? {}).length} tasks at the end (${Object.keys(verdicts).length} diagnosed)`);
    console.log(
      `  replay API   open ${openMs.toFixed(0)} ms; stateAt through the dispatcher: median ${median(callTimes).toFixed(1)} ms, ${(median(callBytes) / 1024).toFixed(0)} KB (max ${(Math.max(...callBytes) / 1024).toFixed(0)} KB) per moment`,
    );
    console.log(
      `  whole file   as one answer instead: ${mb(rawBytes)} MB to send and ${wholeCheckMs.toFixed(0)} ms to validate, ${(rawBytes / median(callBytes)).toFixed(0)}× the bytes of one moment`,
    );
    const expectedFailures = Math.ceil(TASKS / 7);
    if (Object.keys(verdicts).length !== expectedFailures) throw new Error(`expected ${expectedFailures} diagnoses, got ${Object.keys(verdicts).length}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
