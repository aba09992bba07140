import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterSpec } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import type { DeltaBatch } from '@shared/dashboard/deltas';
import type { OperatorEvent } from '@shared/dashboard/operator';
import type { DockerEvent, LogLine } from '@shared/doctor/evidence';
import { RECORDING_FORMAT, RECORDING_FORMAT_VERSION, type RecordingEntry, type RecordingHeader } from '@shared/recording/schema';
import { APP_NAME, APP_VERSION } from '../app-version';
import type { ClusterMonitor } from '../dashboard/cluster-monitor';
import { RecordingWriter, type WriterResult } from './writer';

/**
 * The flight recorder: records one cluster's session into one file (docs/recording-format.md). It
 * attaches to the cluster's ClusterMonitor — the whole view first, then every delta batch it sends, and
 * the raw operator events — and to the sources of evidence it is given (the cluster's Docker events,
 * its nodes' log lines), and writes each as it comes, time-stamped. The file is readable while it grows
 * (see RecordingWriter) and complete once stop() resolves.
 */

export type LogChoice = RecordingHeader['logs'];

export interface RecorderOptions {
  path: string;
  /** spec: null for a cluster Mesoscope did not start (it has none). */
  cluster: { name: string; spec: ClusterSpec | null; layout: ClusterLayout; mesos: ClusterSummary['mesos'] };
  monitor: Pick<ClusterMonitor, 'attach' | 'onOperatorEvent'>;
  /** Follows the cluster's Docker events until the signal aborts (electron/recorder/docker-events.ts). */
  dockerEvents?: (onEvent: (e: DockerEvent) => void, signal: AbortSignal) => Promise<void>;
  /** Follows the nodes' log lines, already chosen, until the signal aborts (node-logs.ts). */
  logs?: (onLines: (lines: LogLine[]) => void, signal: AbortSignal) => Promise<void>;
  /** Which log lines the `logs` source keeps; written into the header. */
  logChoice?: LogChoice;
  now?: () => number;
  /** See RecordingWriter. */
  syncMs?: number;
}

export interface RecordingSummary extends WriterResult {
  cluster: string;
  startedAt: number;
  endedAt: number;
  /** Entries by kind. */
  counts: Partial<Record<RecordingEntry['kind'], number>>;
}

export class Recorder {
  readonly startedAt: number;
  private readonly controller = new AbortController();
  private readonly detach: Array<() => void> = [];
  private readonly sources: Promise<unknown>[] = [];
  private readonly counts: RecordingSummary['counts'] = {};
  private stopping: Promise<RecordingSummary> | null = null;

  private constructor(
    private readonly options: RecorderOptions,
    private readonly writer: RecordingWriter,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  static async start(options: RecorderOptions): Promise<Recorder> {
    const now = options.now ?? Date.now;
    const { name, spec, layout, mesos } = options.cluster;
    const header: RecordingHeader = {
      kind: 'header',
      format: RECORDING_FORMAT,
      formatVersion: RECORDING_FORMAT_VERSION,
      app: { name: APP_NAME, version: APP_VERSION },
      cluster: { name, spec, layout, mesos },
      startedAt: now(),
      logs: options.logs ? (options.logChoice ?? 'evidence') : 'none',
    };
    const writer = await RecordingWriter.create(options.path, header, { syncMs: options.syncMs });
    const recorder = new Recorder(options, writer, now);
    recorder.attach();
    return recorder;
  }

  get path(): string {
    return this.writer.path;
  }

  get entries(): number {
    return this.writer.count;
  }

  /** Notes something the user did (a fault injected, a node stopped from the app) or said. */
  mark(label: string, detail?: string): void {
    this.write({ kind: 'mark', t: this.now(), label, ...(detail ? { detail } : {}) });
  }

  /** Log lines chosen elsewhere (a log view, the doctor) to keep with the recording. */
  addLogs(lines: readonly LogLine[]): void {
    if (lines.length > 0) this.write({ kind: 'logs', t: this.now(), lines: [...lines] });
  }

  /** Detaches from everything, waits for the sources to end, writes the end line and closes the file. */
  stop(reason = 'stopped'): Promise<RecordingSummary> {
    this.stopping ??= (async () => {
      for (const off of this.detach) off();
      this.controller.abort();
      await Promise.allSettled(this.sources);
      const endedAt = this.now();
      const result = await this.writer.close(reason, endedAt);
      return { ...result, cluster: this.options.cluster.name, startedAt: this.startedAt, endedAt, counts: { ...this.counts } };
    })();
    return this.stopping;
  }

  private attach(): void {
    const { monitor } = this.options;
    // The view now, then every batch after it: what a renderer subscribing now would get.
    const { view, detach } = monitor.attach((batch) => this.onBatch(batch));
    this.write({ kind: 'snapshot', t: this.now(), view });
    this.detach.push(detach);
    this.detach.push(monitor.onOperatorEvent((event, at) => this.onOperatorEvent(event, at)));
    const signal = this.controller.signal;
    if (this.options.dockerEvents) {
      this.sources.push(this.options.dockerEvents((event) => this.write({ kind: 'docker', t: this.now(), event }), signal));
    }
    if (this.options.logs) {
      this.sources.push(this.options.logs((lines) => this.addLogs(lines), signal));
    }
  }

  private onBatch(batch: DeltaBatch): void {
    if (batch.deltas.length > 0) this.write({ kind: 'deltas', t: this.now(), seq: batch.seq, deltas: batch.deltas });
  }

  private onOperatorEvent(event: OperatorEvent, at: number): void {
    // SUBSCRIBED is the snapshot the deltas carry; heartbeats and unknown types say nothing.
    if ('unknown' in event || event.type === 'SUBSCRIBED' || event.type === 'HEARTBEAT') return;
    this.write({ kind: 'operator', t: at, event: withoutData(event) });
  }

  private write(entry: RecordingEntry): void {
    if (this.stopping) return;
    try {
      this.writer.write(entry);
      this.counts[entry.kind] = (this.counts[entry.kind] ?? 0) + 1;
    } catch {
      // The file cannot be written (disk full, removed): stop() reports the writer's error.
      void this.stop('write failed').catch(() => undefined);
    }
  }
}

/** The event without the statuses' base64 `data` (the docker inspect of every RUNNING: large, never shown). */
function withoutData(event: OperatorEvent): { type: string } & Record<string, unknown> {
  const copy = structuredClone(event) as unknown as { type: string } & Record<string, unknown>;
  const updated = copy.task_updated as { status?: { data?: unknown } } | undefined;
  if (updated?.status) delete updated.status.data;
  const added = copy.task_added as { task?: { statuses?: Array<{ data?: unknown }> } } | undefined;
  for (const s of added?.task?.statuses ?? []) delete s.data;
  return copy;
}
