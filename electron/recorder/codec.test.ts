import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@shared/errors';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterView } from '@shared/dashboard/view';
import { RECORDING_FORMAT_VERSION, type RecordingEntry, type RecordingHeader } from '@shared/recording/schema';
import { RecordingTimeline } from '@shared/recording/timeline';
import { APP_VERSION } from '../app-version';
import { readRecording, readRecordingHeader } from './reader';
import { RecordingWriter } from './writer';

/** The file format: what is written is read back; what is not a whole, known recording is refused by name. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-recording-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T = 1_795_272_900_000;
const layout = {
  network: 'host' as const,
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [{ index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: '/w/dr-rec/agent-1' }],
};
const header = (over: Partial<RecordingHeader> = {}): RecordingHeader => ({
  kind: 'header',
  format: 'mesoscope-recording',
  formatVersion: RECORDING_FORMAT_VERSION,
  app: { name: 'Mesoscope', version: APP_VERSION },
  cluster: { name: 'dr-rec', spec: ClusterSpecSchema.parse({ name: 'dr-rec' }), layout, mesos: { version: '1.12.0', emulator: true } },
  startedAt: T,
  logs: 'evidence',
  ...over,
});
const emptyView = (t: number): ClusterView => ({
  connection: { state: 'connecting', since: t },
  masters: [],
  agents: {},
  frameworks: {},
  tasks: {},
  offers: {},
  offerHistory: [],
  metrics: [],
});
const task = {
  key: 'fw/t1',
  id: 't1',
  frameworkId: 'fw',
  agentId: 'S0',
  name: 't1',
  state: 'TASK_FAILED' as const,
  resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
  statuses: [{ state: 'TASK_FAILED' as const, at: T + 3000, source: 'SOURCE_EXECUTOR' as const, message: 'Container exited with status 1' }],
  seenAt: T + 1000,
  updatedAt: T + 3000,
};
const entries: RecordingEntry[] = [
  { kind: 'snapshot', t: T, view: emptyView(T) },
  { kind: 'deltas', t: T + 1000, seq: 1, deltas: [{ kind: 'connection', connection: { state: 'live', since: T + 1000 } }] },
  { kind: 'operator', t: T + 2999, event: { type: 'TASK_UPDATED', task_updated: { state: 'TASK_FAILED' } } },
  { kind: 'deltas', t: T + 3000, seq: 2, deltas: [{ kind: 'task', task }] },
  { kind: 'docker', t: T + 3001, event: { at: T + 2990, action: 'die', role: 'task', container: 'mesos-x', dockerId: 'abc', mesosContainerId: 'x', exitCode: 1 } },
  { kind: 'logs', t: T + 3002, lines: [{ at: T + 2995, node: { role: 'agent', index: 1 }, level: 'I', file: 'slave.cpp:6060', text: 'Handling status update TASK_FAILED for task t1 of framework fw' }] },
  { kind: 'mark', t: T + 4000, label: 'Fault: exit 1', detail: 'from the fault buttons' },
];

async function write(name: string, list: RecordingEntry[] = entries, head = header()): Promise<string> {
  const path = join(dir, name);
  const writer = await RecordingWriter.create(path, head);
  for (const e of list) writer.write(e);
  await writer.close('stopped', T + 5000);
  return path;
}

/** A gzip file of these lines, as another program (or another version) would write it. */
async function raw(name: string, lines: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzipSync(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'));
  return path;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('round trip', () => {
  it('reads back the header and every entry, in order, complete', async () => {
    const path = await write('round-trip.mesorec');
    const back = await readRecording(path);
    expect(back).toEqual({ header: header(), entries, complete: true, skipped: 0 });
    expect(await readRecordingHeader(path)).toEqual(header());
  });

  it('the file is gzip of one JSON object per line, ending with the end line', async () => {
    const path = await write('plain.mesorec');
    const { gunzipSync } = await import('node:zlib');
    const lines = gunzipSync(await readFile(path)).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(['header', 'snapshot', 'deltas', 'operator', 'deltas', 'docker', 'logs', 'mark', 'end']);
    expect(lines.at(-1)).toEqual({ kind: 'end', t: T + 5000, reason: 'stopped', entries: entries.length });
  });

  it('times never go backwards within a file', async () => {
    const path = await write('clock-step.mesorec', [entries[0]!, { kind: 'mark', t: T - 60_000, label: 'clock stepped back' }]);
    expect((await readRecording(path)).entries.map((e) => e.t)).toEqual([T, T]);
  });

  it('the state at a moment is the snapshot with the batches up to it; the evidence is what was recorded by then', async () => {
    const { header: h, entries: list } = await readRecording(await write('state.mesorec'));
    const timeline = new RecordingTimeline(h, list);
    expect(timeline.stateAt(T - 1).view).toBeNull();
    expect(timeline.stateAt(T + 999).view).toEqual(emptyView(T));
    expect(timeline.stateAt(T + 1000).view?.connection.state).toBe('live');
    expect(timeline.stateAt(T + 2999).view?.tasks).toEqual({});
    const at3000 = timeline.stateAt(T + 3000);
    expect(at3000.view?.tasks['fw/t1']).toEqual(task);
    expect(at3000.dockerEvents).toEqual([]);
    const later = timeline.stateAt(T + 4000);
    expect([later.dockerEvents.length, later.logs.length, later.marks.map((m) => m.label)]).toEqual([1, 1, ['Fault: exit 1']]);
    expect(timeline.moments()).toEqual([T, T + 1000, T + 3000, T + 4000]);
    expect(timeline.diagnosisAt(T + 4000, 'fw/t1')).toMatchObject({ kind: 'diagnosed', ruleId: 'nonzero-exit' });
    expect(timeline.spec?.name).toBe('dr-rec');
  });
});

describe('versions', () => {
  it('a newer major format is refused, naming both versions', async () => {
    const path = await raw('newer.mesorec', [{ ...header(), formatVersion: '2.0', app: { name: 'Mesoscope', version: '3.1.0' }, somethingNew: true }, { kind: 'hologram', t: T }]);
    const err = await refusal(readRecording(path));
    expect(err.code).toBe('refused');
    expect(err.message).toBe(
      `This recording was made by Mesoscope 3.1.0 in recording format 2.0; this Mesoscope (${APP_VERSION}) reads format 1.x only. Open it with Mesoscope 3.1.0 or newer.`,
    );
    expect(err.detail).toMatchObject({ problem: 'newer-version', path });
    expect((await refusal(readRecordingHeader(path))).code).toBe('refused');
  });

  it('an older major format is refused too, saying so', async () => {
    const err = await refusal(readRecording(await raw('older.mesorec', [{ ...header(), formatVersion: '0.9', app: { name: 'Mesoscope', version: '0.0.1' } }])));
    expect(err.message).toMatch(/^This recording is in the old recording format 0\.9 \(Mesoscope 0\.0\.1\); this Mesoscope \(.+\) reads format 1\.x only\.$/);
  });

  it('a newer minor version opens: its unknown entry kinds are skipped and counted, unknown fields dropped', async () => {
    const path = await raw('newer-minor.mesorec', [
      { ...header(), formatVersion: '1.7', app: { name: 'Mesoscope', version: '1.9.0' } },
      { ...entries[0]!, extraField: 1 },
      { kind: 'screenshot', t: T + 1, png: 'iVBOR…' },
      { kind: 'end', t: T + 2, reason: 'stopped', entries: 2 },
    ]);
    const back = await readRecording(path);
    expect([back.complete, back.skipped, back.entries]).toEqual([true, 1, [entries[0]]]);
    expect(back.header.formatVersion).toBe('1.7');
  });
});

describe('damaged files: a clear error naming the cause', () => {
  it('no such file', async () => {
    const err = await refusal(readRecording(join(dir, 'absent.mesorec')));
    expect([err.code, err.message]).toEqual(['invalid-input', `No recording at ${join(dir, 'absent.mesorec')}.`]);
  });

  it('not gzip', async () => {
    const path = join(dir, 'text.mesorec');
    await writeFile(path, '{"kind":"header"}\n');
    expect((await refusal(readRecording(path))).message).toMatch(/is not a Mesoscope recording: it is not gzip-compressed/);
  });

  it('gzip, but not a recording', async () => {
    expect((await refusal(readRecording(await raw('other.json.gz', ['{"hello":"world"}'])))).message).toMatch(/is not a Mesoscope recording: its first line is not a recording header\.$/);
    expect((await refusal(readRecording(await raw('csv.gz', ['a,b,c'])))).message).toMatch(/its first line is not JSON\.$/);
    const empty = join(dir, 'empty.mesorec');
    await writeFile(empty, gzipSync(''));
    expect((await refusal(readRecording(empty))).message).toMatch(/it is empty\.$/);
  });

  it('a line that is not JSON, or not a valid entry, is named with its number', async () => {
    const notJson = await raw('not-json.mesorec', [header(), entries[0], '{"kind":"deltas","t":', { kind: 'end', t: T, reason: 'stopped', entries: 2 }]);
    const err = await refusal(readRecording(notJson));
    expect([err.code, err.message, err.detail]).toEqual(['invalid-input', `Recording ${notJson} is damaged: line 3 is not JSON.`, { path: notJson, problem: 'corrupt', line: 3 }]);
    const badEntry = await raw('bad-entry.mesorec', [header(), { kind: 'docker', t: T, event: { at: 'yesterday' } }]);
    expect((await refusal(readRecording(badEntry))).message).toMatch(/^Recording .* is damaged: line 2: event\.at: .*expected number/i);
    const badHeader = await raw('bad-header.mesorec', [{ ...header(), cluster: { name: 'x' } }]);
    expect((await refusal(readRecording(badHeader))).message).toMatch(/is damaged: its header: .*cluster\.layout: Invalid input: expected object/);
  });

  it('cut short inside the compressed data: refused, then opened partially on request', async () => {
    const whole = await readFile(await write('whole.mesorec'));
    const cut = join(dir, 'cut.mesorec');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const err = await refusal(readRecording(cut));
    expect(err.message).toMatch(/^Recording .* was cut short .* It can be opened partially\.$/);
    expect(err.detail).toMatchObject({ problem: 'truncated' });
    const partial = await readRecording(cut, { partial: true });
    expect(partial.complete).toBe(false);
    expect(partial.entries.length).toBeGreaterThan(0);
    expect(partial.entries).toEqual(entries.slice(0, partial.entries.length));
  });

  it('a recording still being written (or whose app crashed) is readable up to its last sync', async () => {
    const path = join(dir, 'growing.mesorec');
    const writer = await RecordingWriter.create(path, header(), { syncMs: 20 });
    for (const e of entries.slice(0, 4)) writer.write(e);
    await new Promise((r) => setTimeout(r, 80));
    const crashed = join(dir, 'crashed.mesorec');
    await copyFile(path, crashed);
    expect((await refusal(readRecording(crashed))).message).toMatch(/was cut short after line 5, without its end line/);
    const partial = await readRecording(crashed, { partial: true });
    expect([partial.complete, partial.entries]).toEqual([false, entries.slice(0, 4)]);
    await writer.close('stopped', T + 5000);
    expect((await readRecording(path)).complete).toBe(true);
  });

  it('a line after the end line is damage, not data', async () => {
    const path = await raw('after-end.mesorec', [header(), { kind: 'end', t: T, reason: 'stopped', entries: 0 }, entries[0]]);
    expect((await refusal(readRecording(path))).message).toMatch(/line 3 comes after the end line/);
  });
});
