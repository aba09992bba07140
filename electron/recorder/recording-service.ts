import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, lstat, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ActiveRecording, OpenedRecording, RecordingFile, RecordingState } from '@shared/contract/doctor';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import { verdictsOf } from '@shared/doctor/verdict';
import { ApiError } from '@shared/errors';
import { RECORDING_EXTENSION } from '@shared/recording/schema';
import { RecordingTimeline } from '@shared/recording/timeline';
import { READ_LIMITS, readRecording, readRecordingHeader } from './reader';
import { type ClusterRecording, type RecordClusterDeps, recordCluster } from './record-cluster';
import type { RecordingSummary } from './recorder';

/**
 * The flight recorder as the app offers it: recordings of clusters under way (one per cluster),
 * the files in the app's `recordings/` folder, files brought in from the browser, and recordings
 * opened for replay — each kept as a RecordingTimeline so the time slider asks for one moment at a
 * time (a whole view and the verdicts at that moment) instead of carrying the file to the UI.
 */

export interface RecordingServiceOptions extends RecordClusterDeps {
  /** The recordings folder (`<data dir>/recordings`). */
  dir: string;
  /** The desktop app's open dialog (electron/shell); absent in the web host. */
  chooseFile?: () => Promise<string | null>;
  /** Opened recordings kept at once; the least recently used is forgotten first (default 4). */
  maxOpen?: number;
  /** How often a recording's file is made readable on disk (default 1000 ms). */
  syncMs?: number;
}

/** Largest file brought in from the browser (the reader's cap: a bigger one could not be opened). */
const MAX_UPLOAD_BYTES = READ_LIMITS.fileBytes;
const UPLOAD_IDLE_MS = 10 * 60_000;
/** Uploads under way at once: each holds a temporary file of up to MAX_UPLOAD_BYTES. */
const MAX_UPLOADS = 4;
const UPLOAD_PREFIX = '.upload-';
/** An upload's file untouched this long when the app starts was left by a run that ended mid-upload. */
const ABANDONED_UPLOAD_MS = 60_000;

interface Opened {
  timeline: RecordingTimeline;
  path: string;
  usedAt: number;
}

export class RecordingService {
  private readonly active = new Map<string, { recording: ClusterRecording; path: string }>();
  /** Starts under way, so two clicks never record one cluster twice. */
  private readonly starting = new Set<string>();
  private readonly opened = new Map<string, Opened>();
  private readonly uploads = new Map<string, { tmp: string; received: number; touchedAt: number }>();

  /** Temporary files of uploads a previous run left behind (it crashed or was killed mid-upload), removed at start. */
  private readonly swept: Promise<void>;

  constructor(private readonly options: RecordingServiceOptions) {
    this.swept = this.sweepAbandonedUploads();
  }

  get dir(): string {
    return this.options.dir;
  }

  async start(cluster: string, path?: string): Promise<ActiveRecording> {
    if (this.active.has(cluster) || this.starting.has(cluster)) throw new ApiError('refused', `Cluster "${cluster}" is being recorded already: stop that recording first.`);
    this.starting.add(cluster);
    try {
      const target = path ?? (await this.defaultPath(cluster));
      if (!isAbsolute(target)) throw new ApiError('invalid-input', `path: ${target} is not an absolute path.`);
      if (!target.endsWith(RECORDING_EXTENSION)) throw new ApiError('invalid-input', `path: a recording's name ends with ${RECORDING_EXTENSION}.`);
      // The app writes only into its recordings folder: a caller must not choose where on this machine it writes.
      if (dirname(resolve(target)) !== resolve(this.dir) || basename(target).startsWith('.')) {
        throw new ApiError('refused', `path: recordings are written only into ${this.dir} (a plain name there, not starting with a dot).`);
      }
      await mkdir(this.dir, { recursive: true });
      if (existsSync(target)) throw new ApiError('refused', `${target} exists already: pick another name.`);
      const recording = await recordCluster(this.options, cluster, { path: target, syncMs: this.options.syncMs });
      this.active.set(cluster, { recording, path: target });
      return this.describeActive(cluster, recording, target);
    } finally {
      this.starting.delete(cluster);
    }
  }

  async stop(cluster: string, reason = 'stopped'): Promise<RecordingSummary> {
    const entry = this.active.get(cluster);
    if (!entry) throw new ApiError('not-found', `Cluster "${cluster}" is not being recorded.`);
    this.active.delete(cluster);
    return entry.recording.stop(reason);
  }

  /**
   * A short recording of the cluster as it is now, written to `path` (anywhere: a support bundle's
   * working file): its view and the evidence of the last `lookbackMs`, for the doctor's verdicts; and
   * the path of the recording under way, if one runs.
   */
  async snapshot(cluster: string, path: string, lookbackMs = 10 * 60_000, holdMs = 1000): Promise<{ summary: RecordingSummary; current: string | undefined }> {
    const recording = await recordCluster(this.options, cluster, { path, lookbackMs, syncMs: this.options.syncMs });
    // The evidence buffer's backlog is written as it is read: give it a moment.
    await new Promise((r) => setTimeout(r, holdMs));
    return { summary: await recording.stop('support bundle'), current: this.active.get(cluster)?.path };
  }

  /** Notes something in the cluster's recording; false when it is not being recorded. */
  mark(cluster: string, label: string, detail?: string): boolean {
    const entry = this.active.get(cluster);
    entry?.recording.recorder.mark(label, detail);
    return entry !== undefined;
  }

  activeRecordings(): ActiveRecording[] {
    return [...this.active].map(([cluster, { recording, path }]) => this.describeActive(cluster, recording, path));
  }

  /** The recordings folder's files, newest first, each with what its header says (or why it cannot be read). */
  async list(): Promise<RecordingFile[]> {
    await this.swept;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const activePaths = new Set([...this.active.values()].map((a) => a.path));
    const files = await Promise.all(
      names
        .filter((n) => n.endsWith(RECORDING_EXTENSION) && !n.startsWith('.'))
        .map(async (name): Promise<RecordingFile | null> => {
          const path = join(this.dir, name);
          const info = await stat(path).catch(() => null);
          if (!info?.isFile()) return null;
          const base = { path, name, size: info.size, modifiedAt: info.mtimeMs, active: activePaths.has(path) };
          try {
            const header = await readRecordingHeader(path);
            return { ...base, cluster: header.cluster.name, startedAt: header.startedAt, formatVersion: header.formatVersion, appVersion: header.app.version };
          } catch (err) {
            return { ...base, problem: err instanceof Error ? err.message : String(err) };
          }
        }),
    );
    return files.filter((f): f is RecordingFile => f !== null).sort((a, b) => b.modifiedAt - a.modifiedAt);
  }

  /** Reads a recording for replay; one cut short (a crash, or still being written) opens with what it has. */
  async open(path: string): Promise<OpenedRecording> {
    const recording = await readRecording(path, { partial: true });
    const timeline = new RecordingTimeline(recording.header, recording.entries);
    const id = randomBytes(9).toString('base64url');
    this.opened.set(id, { timeline, path, usedAt: Date.now() });
    while (this.opened.size > (this.options.maxOpen ?? 4)) {
      const [oldest] = [...this.opened].sort((a, b) => a[1].usedAt - b[1].usedAt);
      this.opened.delete(oldest![0]);
    }
    const marks = timeline.stateAt(timeline.end).marks;
    return {
      id,
      path,
      header: recording.header,
      complete: recording.complete,
      skipped: recording.skipped,
      entries: recording.entries.length,
      start: timeline.start,
      end: timeline.end,
      moments: timeline.moments(),
      marks: [...marks],
    };
  }

  stateAt(id: string, t: number): RecordingState {
    const { state, diagnoses } = this.timeline(id).momentAt(t);
    return { at: t, view: state.view, verdicts: verdictsOf(diagnoses), evidence: { dockerEvents: state.dockerEvents.length, logLines: state.logs.length } };
  }

  diagnose(id: string, t: number, taskKey: string): Diagnosis {
    const diagnosis = this.timeline(id).diagnosisAt(t, taskKey);
    if (!diagnosis) throw new ApiError('not-found', `At that moment the recording has no task ${taskKey}.`);
    return diagnosis;
  }

  close(id: string): void {
    this.opened.delete(id);
  }

  /** One piece of a file sent from the browser; the last one gives the file its place in the folder. */
  async upload(input: { uploadId: string; name: string; offset: number; data: string; last: boolean }): Promise<{ path: string | null; received: number }> {
    await this.swept;
    const now = Date.now();
    for (const [id, u] of this.uploads) {
      if (now - u.touchedAt < UPLOAD_IDLE_MS) continue;
      this.uploads.delete(id);
      await rm(u.tmp, { force: true });
    }
    await mkdir(this.dir, { recursive: true });
    let upload = this.uploads.get(input.uploadId);
    if (input.offset === 0 && !upload) {
      if (this.uploads.size >= MAX_UPLOADS) {
        throw new ApiError('refused', `${MAX_UPLOADS} uploads are under way already: wait for one to finish (an abandoned one is dropped after ${UPLOAD_IDLE_MS / 60_000} minutes).`);
      }
      upload = { tmp: join(this.dir, `${UPLOAD_PREFIX}${input.uploadId}`), received: 0, touchedAt: now };
      await writeFile(upload.tmp, '');
      this.uploads.set(input.uploadId, upload);
    }
    if (!upload) throw new ApiError('not-found', 'No such upload under way (it may have been idle too long): send the file again.');
    if (input.offset !== upload.received) throw new ApiError('invalid-input', `offset: expected ${upload.received}, got ${input.offset}.`);
    const bytes = Buffer.from(input.data, 'base64');
    if (upload.received + bytes.length > MAX_UPLOAD_BYTES) {
      this.uploads.delete(input.uploadId);
      await rm(upload.tmp, { force: true });
      throw new ApiError('refused', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB.`);
    }
    await appendFile(upload.tmp, bytes);
    upload.received += bytes.length;
    upload.touchedAt = now;
    if (!input.last) return { path: null, received: upload.received };
    this.uploads.delete(input.uploadId);
    const path = await this.freeName(safeName(input.name));
    await rename(upload.tmp, path);
    return { path, received: upload.received };
  }

  async choose(): Promise<string | null> {
    if (!this.options.chooseFile) throw new ApiError('unavailable', 'There is no file dialog in the browser: upload the file instead.');
    return this.options.chooseFile();
  }

  /** Deletes a file of the recordings folder (never one elsewhere, never one being written). */
  async remove(path: string): Promise<void> {
    const full = resolve(path);
    if (!full.startsWith(resolve(this.dir) + sep) || !full.endsWith(RECORDING_EXTENSION)) throw new ApiError('refused', `Only recordings in ${this.dir} can be deleted from the app.`);
    if ([...this.active.values()].some((a) => a.path === full)) throw new ApiError('refused', 'That recording is being written: stop it first.');
    await rm(full).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new ApiError('not-found', `${full} does not exist (any more).`);
      throw err;
    });
  }

  /** Whether a path may be handed out as a download: a recording of the folder, or one this app writes or opened. */
  isKnownFile(path: string): boolean {
    const full = resolve(path);
    if (!full.endsWith(RECORDING_EXTENSION)) return false;
    if (full.startsWith(resolve(this.dir) + sep)) return true;
    return [...this.active.values()].some((a) => a.path === full) || [...this.opened.values()].some((o) => resolve(o.path) === full);
  }

  /** Stops every recording under way (the app is quitting): their files end properly. */
  async dispose(): Promise<void> {
    await Promise.allSettled([...this.active.keys()].map((cluster) => this.stop(cluster, 'app closed')));
  }

  /** Another Mesoscope on the same folder writes its upload's file with every piece: only files idle a while are abandoned. */
  private async sweepAbandonedUploads(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const idleSince = Date.now() - ABANDONED_UPLOAD_MS;
    await Promise.all(
      names
        .filter((n) => n.startsWith(UPLOAD_PREFIX))
        .map(async (n) => {
          const path = join(this.dir, n);
          const info = await lstat(path).catch(() => null);
          if (info?.isFile() && info.mtimeMs < idleSince) await rm(path, { force: true }).catch(() => undefined);
        }),
    );
  }

  private timeline(id: string): RecordingTimeline {
    const opened = this.opened.get(id);
    if (!opened) throw new ApiError('not-found', 'That recording is not open (any more): open the file again.');
    opened.usedAt = Date.now();
    return opened.timeline;
  }

  private describeActive(cluster: string, recording: ClusterRecording, path: string): ActiveRecording {
    return { cluster, path, startedAt: recording.recorder.startedAt, entries: recording.recorder.entries };
  }

  private async defaultPath(cluster: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return this.freeName(`${cluster}-${stamp}${RECORDING_EXTENSION}`);
  }

  /** The folder's path for that name, with -2, -3… added when it is taken. */
  private async freeName(name: string): Promise<string> {
    const stem = name.slice(0, -RECORDING_EXTENSION.length);
    for (let i = 1; ; i++) {
      const path = join(this.dir, i === 1 ? name : `${stem}-${i}${RECORDING_EXTENSION}`);
      if (!existsSync(path)) return path;
    }
  }
}

/** A file name from the browser as a plain name in the folder, ending in .mesorec. */
function safeName(name: string): string {
  const plain = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'recording';
  return plain.endsWith(RECORDING_EXTENSION) ? plain : `${plain}${RECORDING_EXTENSION}`;
}
