import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterLayout } from '@shared/cluster/layout';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import type { DeltaBatch } from '@shared/dashboard/deltas';
import type { ClusterView } from '@shared/dashboard/view';
import type { DockerEvent } from '@shared/doctor/evidence';
import { CONTAINER_ID, dockerEvent, started, taskWith } from '@shared/doctor/doctor-builders.test-support';
import type { ClusterMonitor } from '../dashboard/cluster-monitor';
import { RecordingService } from './recording-service';

/**
 * The flight recorder as the app offers it: start and stop per cluster, marks, the folder's files
 * listed with what their headers say, a file opened and asked for single moments (view, verdicts,
 * one task's diagnosis), files brought in from the browser in pieces, and deletion kept to the folder.
 */

const NAME = 'dr-recsvc';
const LAYOUT: ClusterLayout = {
  network: 'host',
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [{ index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: `/w/${NAME}/agent-1` }],
};
const SUMMARY: ClusterSummary = {
  name: NAME,
  spec: ClusterSpecSchema.parse({ name: NAME }),
  layout: LAYOUT,
  nodes: [],
  completeness: 'complete',
  mesos: { version: '1.12.0', emulator: true },
};
const EMPTY: ClusterView = {
  connection: { state: 'live', since: 0 },
  masters: [{ url: 'http://127.0.0.1:5050', leader: true }],
  agents: {},
  frameworks: {},
  tasks: {},
  offers: {},
  offerHistory: [],
  metrics: [],
};
const oom = taskWith([...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137', containerId: CONTAINER_ID }], { id: 'oom' });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-recsvc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setUp() {
  let listener: ((batch: DeltaBatch) => void) | undefined;
  let toDocker: ((e: DockerEvent) => void) | undefined;
  let held = 0;
  const monitor = {
    attach: (l: (batch: DeltaBatch) => void) => {
      listener = l;
      return { view: EMPTY, detach: () => (listener = undefined) };
    },
    onOperatorEvent: () => () => undefined,
  } as unknown as ClusterMonitor;
  const service = new RecordingService({
    dir: join(dir, 'recordings'),
    docker: () => ({}) as never,
    engine: { get: async () => SUMMARY },
    monitors: {
      acquire: async () => {
        held += 1;
        return { monitor, release: () => (held -= 1) };
      },
    },
    evidence: () => ({
      follow: (l: { docker?: (e: DockerEvent) => void }, signal: AbortSignal) => {
        if (l.docker) toDocker = l.docker;
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      },
    }),
    syncMs: 20,
  });
  return { service, batch: (b: DeltaBatch) => listener?.(b), docker: (e: DockerEvent) => toDocker?.(e), held: () => held };
}

/** The file the first test records, read by the others. */
let recorded: string;

describe('RecordingService', () => {

  it('records a cluster into the folder: once at a time, with marks, until stopped', async () => {
    const { service, batch, docker, held } = setUp();
    const active = await service.start(NAME);
    recorded = active.path;
    expect(active.path).toMatch(new RegExp(`/recordings/${NAME}-\\d{8}-\\d{6}\\.mesorec$`));
    expect(held()).toBe(1);
    await expect(service.start(NAME)).rejects.toMatchObject({ code: 'refused' });

    docker(dockerEvent('task', 'die', oom.updatedAt - 200, { exitCode: 137, oomKilled: true }));
    await new Promise((r) => setTimeout(r, 5));
    batch({ clusterId: NAME, seq: 1, deltas: [{ kind: 'task', task: oom }] });
    expect(service.mark(NAME, 'Fault: OOM task')).toBe(true);
    expect(service.mark('dr-other', 'nothing')).toBe(false);
    expect(service.activeRecordings()).toEqual([{ cluster: NAME, path: recorded, startedAt: active.startedAt, entries: expect.any(Number) }]);

    // While it grows, the file lists as active and opens with what is on disk so far.
    await new Promise((r) => setTimeout(r, 60));
    expect((await service.list())[0]).toMatchObject({ path: recorded, active: true, cluster: NAME });
    expect((await service.open(recorded)).complete).toBe(false);

    const summary = await service.stop(NAME);
    expect(summary).toMatchObject({ cluster: NAME, path: recorded, counts: { snapshot: 1, deltas: 1, docker: 1, mark: 1 } });
    expect(held()).toBe(0);
    await expect(service.stop(NAME)).rejects.toMatchObject({ code: 'not-found' });
    // A path of one's own: absolute, with the extension, never over an existing file.
    await expect(service.start(NAME, 'relative.mesorec')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(service.start(NAME, join(dir, 'x.json'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(service.start(NAME, recorded)).rejects.toMatchObject({ code: 'refused' });
  });

  it('opens a recording: moments and marks, then any moment’s view and verdicts, and one task’s diagnosis', async () => {
    const { service } = setUp();
    const opened = await service.open(recorded);
    expect(opened).toMatchObject({ path: recorded, complete: true, skipped: 0, header: { cluster: { name: NAME } }, marks: [{ label: 'Fault: OOM task' }] });
    expect(opened.moments.length).toBeGreaterThanOrEqual(2);
    expect(service.stateAt(opened.id, opened.start - 1).view).toBeNull();
    const first = service.stateAt(opened.id, opened.moments[0]!);
    expect(first.view?.tasks).toEqual({});
    const last = service.stateAt(opened.id, opened.end);
    expect(last.view?.tasks[oom.key]?.state).toBe('TASK_FAILED');
    expect(last.verdicts[oom.key]).toMatchObject({ kind: 'diagnosed', ruleId: 'oom-killed' });
    expect(last.evidence).toEqual({ dockerEvents: 1, logLines: 0 });
    const diagnosis = service.diagnose(opened.id, opened.end, oom.key);
    expect(diagnosis.kind === 'diagnosed' && diagnosis.timeline.find((i) => i.decisive)?.source).toBe('task-container');
    expect(() => service.diagnose(opened.id, opened.moments[0]!, oom.key)).toThrow(/no task/);
    service.close(opened.id);
    expect(() => service.stateAt(opened.id, opened.end)).toThrow(/not open/);
  });

  it('keeps a few recordings open, forgetting the least recently used', async () => {
    const { service } = setUp();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await service.open(recorded)).id);
    expect(() => service.stateAt(ids[0]!, 0)).toThrow(/not open/);
    expect(service.stateAt(ids[4]!, 0).view).toBeNull();
  });

  it('brings a file in from the browser in pieces, under a safe name of its own', async () => {
    const { service } = setUp();
    const bytes = await readFile(recorded);
    const third = Math.ceil(bytes.length / 3);
    const pieces = [bytes.subarray(0, third), bytes.subarray(third, 2 * third), bytes.subarray(2 * third)];
    let offset = 0;
    let path: string | null = null;
    for (const [i, piece] of pieces.entries()) {
      const answer = await service.upload({ uploadId: 'upload-0001', name: '../../etc/My Session', offset, data: piece.toString('base64'), last: i === 2 });
      offset += piece.length;
      expect(answer.received).toBe(offset);
      path = answer.path;
    }
    expect(path).toBe(join(dir, 'recordings', 'My-Session.mesorec'));
    expect(await readFile(path!)).toEqual(bytes);
    expect((await service.open(path!)).header.cluster.name).toBe(NAME);
    // Pieces out of order, or of an upload that is not under way, are refused.
    await service.upload({ uploadId: 'upload-0002', name: 'x', offset: 0, data: 'AAAA', last: false });
    await expect(service.upload({ uploadId: 'upload-0002', name: 'x', offset: 99, data: 'AAAA', last: true })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(service.upload({ uploadId: 'upload-0003', name: 'x', offset: 5, data: 'AAAA', last: true })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('lists a newer version’s file with the reason it cannot be opened; deletes only in its folder', async () => {
    const { service } = setUp();
    const newer = join(dir, 'recordings', 'from-the-future.mesorec');
    const header = { kind: 'header', format: 'mesoscope-recording', formatVersion: '2.0', app: { name: 'Mesoscope', version: '9.0.0' } };
    await writeFile(newer, gzipSync(`${JSON.stringify(header)}\n`));
    const listed = (await service.list()).find((f) => f.path === newer);
    expect(listed?.problem).toMatch(/recording format 2\.0.*Mesoscope 9\.0\.0/);
    await expect(service.open(newer)).rejects.toMatchObject({ code: 'refused' });

    await expect(service.remove(join(dir, 'elsewhere.mesorec'))).rejects.toMatchObject({ code: 'refused' });
    await expect(service.remove(join(dir, 'recordings', '..', 'x.mesorec'))).rejects.toMatchObject({ code: 'refused' });
    await service.remove(newer);
    expect((await service.list()).some((f) => f.path === newer)).toBe(false);
    await expect(service.remove(newer)).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.choose()).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('what may be handed out as a download', () => {
  it('a recording of the folder, or one this app opened; never any other file', async () => {
    const { service } = setUp();
    const inFolder = join(dir, 'recordings', 'x.mesorec');
    expect(service.isKnownFile(inFolder)).toBe(true);
    expect(service.isKnownFile(join(dir, 'recordings', 'settings.json'))).toBe(false);
    expect(service.isKnownFile(join(dir, 'recordings', '..', 'elsewhere.mesorec'))).toBe(false);
    const outside = join(dir, 'sent-by-a-colleague.mesorec');
    await writeFile(outside, await readFile(recorded));
    expect(service.isKnownFile(outside)).toBe(false);
    await service.open(outside);
    expect(service.isKnownFile(outside)).toBe(true);
  });
});

describe('hostile paths and uploads (issue 15 #7)', () => {
  it('writes a recording only into its folder: any other absolute path is refused by name', async () => {
    const { service } = setUp();
    for (const path of [join(dir, 'elsewhere.mesorec'), '/etc/cron.d/x.mesorec', join(dir, 'recordings', '..', 'up.mesorec'), join(dir, 'recordings', 'sub', 'x.mesorec'), join(dir, 'recordings', '.hidden.mesorec')]) {
      await expect(service.start(NAME, path), path).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('recordings are written only into') });
    }
    expect(service.activeRecordings()).toEqual([]);
  });

  it('abandoned .upload-* files of an earlier run are removed at start; one another app is writing stays', async () => {
    const folder = join(dir, 'recordings');
    await mkdir(folder, { recursive: true });
    const old = join(folder, '.upload-abandoned1');
    const fresh = join(folder, '.upload-underway1');
    await writeFile(old, 'half a file');
    await writeFile(fresh, 'being written');
    const longAgo = (Date.now() - 3_600_000) / 1000;
    await utimes(old, longAgo, longAgo);
    const { service } = setUp();
    await service.list();
    const left = await readdir(folder);
    expect(left).not.toContain('.upload-abandoned1');
    expect(left).toContain('.upload-underway1');
    await rm(fresh);
  });

  it('at most 4 uploads at once; the 5th is refused, and goes once one is done', async () => {
    const { service } = setUp();
    for (const n of [1, 2, 3, 4]) await service.upload({ uploadId: `many-000${n}`, name: 'x', offset: 0, data: 'AAAA', last: false });
    await expect(service.upload({ uploadId: 'many-0005', name: 'x', offset: 0, data: 'AAAA', last: false })).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringContaining('4 uploads are under way already'),
    });
    const done = await service.upload({ uploadId: 'many-0001', name: 'many', offset: 3, data: 'AAAA', last: true });
    expect(done.path).toMatch(/many\.mesorec$/);
    await expect(service.upload({ uploadId: 'many-0005', name: 'x', offset: 0, data: 'AAAA', last: false })).resolves.toMatchObject({ received: 3 });
  });
});
