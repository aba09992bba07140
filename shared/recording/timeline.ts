import type { ClusterLayout } from '../cluster/layout';
import { type ClusterSpec, ClusterSpecSchema } from '../cluster/spec';
import { applyDeltas } from '../dashboard/apply';
import type { ClusterView } from '../dashboard/view';
import type { Diagnosis } from '../doctor/diagnosis';
import type { DockerEvent, LogLine } from '../doctor/evidence';
import { diagnoseTask, diagnoseView } from '../doctor/input';
import type { MarkEntry, RecordingEntry, RecordingHeader } from './schema';

/**
 * A recording opened for replay: the cluster's state at any moment, for the time slider. The view at
 * time T is the last snapshot at or before T with every delta batch after it, up to T, folded in with
 * applyDeltas, exactly as the live renderer folded them; the evidence is every Docker event and log
 * line recorded by T. Views are kept at checkpoints, so moving the slider folds a few batches, not the
 * whole file.
 */

export interface RecordingState {
  /** The moment shown. */
  at: number;
  /** null before the first snapshot. */
  view: ClusterView | null;
  dockerEvents: readonly DockerEvent[];
  logs: readonly LogLine[];
  marks: readonly MarkEntry[];
}

/** Fold this many view entries between stored views. */
const CHECKPOINT_EVERY = 64;

type ViewEntry = Extract<RecordingEntry, { kind: 'snapshot' | 'deltas' }>;

export class RecordingTimeline {
  readonly start: number;
  readonly end: number;
  /** The spec as this app reads it; null when this version cannot (the doctor then offers no spec changes). */
  readonly spec: ClusterSpec | null;
  readonly layout: ClusterLayout;
  private readonly viewEntries: ViewEntry[];
  /** The view after viewEntries[i], every CHECKPOINT_EVERY entries. */
  private readonly checkpoints = new Map<number, ClusterView | null>();
  private readonly docker: Array<{ t: number; event: DockerEvent }>;
  private readonly logLines: Array<{ t: number; line: LogLine }>;
  private readonly markEntries: MarkEntry[];

  constructor(
    readonly header: RecordingHeader,
    entries: readonly RecordingEntry[],
  ) {
    const sorted = [...entries].sort((a, b) => a.t - b.t); // stable: same-time entries keep their order
    this.viewEntries = sorted.filter((e): e is ViewEntry => e.kind === 'snapshot' || e.kind === 'deltas');
    this.docker = sorted.flatMap((e) => (e.kind === 'docker' ? [{ t: e.t, event: e.event }] : []));
    this.logLines = sorted.flatMap((e) => (e.kind === 'logs' ? e.lines.map((line) => ({ t: e.t, line })) : []));
    this.markEntries = sorted.filter((e): e is MarkEntry => e.kind === 'mark');
    this.start = header.startedAt;
    this.end = Math.max(header.startedAt, sorted.at(-1)?.t ?? header.startedAt);
    const spec = ClusterSpecSchema.safeParse(header.cluster.spec);
    this.spec = spec.success ? spec.data : null;
    this.layout = header.cluster.layout;

    let view: ClusterView | null = null;
    for (let i = 0; i < this.viewEntries.length; i += CHECKPOINT_EVERY) {
      const last = Math.min(i + CHECKPOINT_EVERY, this.viewEntries.length) - 1;
      view = fold(view, this.viewEntries.slice(i, last + 1));
      this.checkpoints.set(last, view);
    }
  }

  /** Times the slider can stop at: every recorded change of the view, and every mark. */
  moments(): number[] {
    return [...new Set([...this.viewEntries.map((e) => e.t), ...this.markEntries.map((m) => m.t)])].sort((a, b) => a - b);
  }

  stateAt(at: number): RecordingState {
    const last = lastAtOrBefore(this.viewEntries, at);
    let view: ClusterView | null = null;
    if (last >= 0) {
      let from = last;
      while (from >= 0 && !this.checkpoints.has(from)) from -= 1;
      view = fold(from >= 0 ? this.checkpoints.get(from)! : null, this.viewEntries.slice(from + 1, last + 1));
    }
    return {
      at,
      view,
      dockerEvents: this.docker.slice(0, lastAtOrBefore(this.docker, at) + 1).map((d) => d.event),
      logs: this.logLines.slice(0, lastAtOrBefore(this.logLines, at) + 1).map((l) => l.line),
      marks: this.markEntries.slice(0, lastAtOrBefore(this.markEntries, at) + 1),
    };
  }

  /** What the doctor says about every task at that moment, as it did live. */
  diagnosesAt(at: number, options: { stagingThresholdMs?: number } = {}): Record<string, Exclude<Diagnosis, { kind: 'none' }>> {
    return this.momentAt(at, options).diagnoses;
  }

  /** The state at that moment and the doctor's verdicts on it, folded once. */
  momentAt(at: number, options: { stagingThresholdMs?: number } = {}): { state: RecordingState; diagnoses: Record<string, Exclude<Diagnosis, { kind: 'none' }>> } {
    const state = this.stateAt(at);
    return { state, diagnoses: state.view ? diagnoseView(state.view, this.doctorContext(state, options)) : {} };
  }

  diagnosisAt(at: number, taskKey: string, options: { stagingThresholdMs?: number } = {}): Diagnosis | undefined {
    const state = this.stateAt(at);
    return state.view ? diagnoseTask(state.view, taskKey, this.doctorContext(state, options)) : undefined;
  }

  private doctorContext(state: RecordingState, options: { stagingThresholdMs?: number }) {
    return {
      summary: { spec: this.spec ?? undefined, layout: this.layout, mesos: this.header.cluster.mesos },
      dockerEvents: state.dockerEvents,
      logs: state.logs,
      now: state.at,
      stagingThresholdMs: options.stagingThresholdMs,
    };
  }
}

/** The entries folded in order with one applyDeltas call: the same as one call per entry, with one copy per collection. */
function fold(view: ClusterView | null, entries: readonly ViewEntry[]): ClusterView | null {
  return applyDeltas(
    view,
    entries.flatMap((e) => (e.kind === 'snapshot' ? [{ kind: 'snapshot' as const, view: e.view }] : e.deltas)),
  );
}

/** Index of the last item with t <= at in a list sorted by t; -1 if none. */
function lastAtOrBefore(list: readonly { t: number }[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.t <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
