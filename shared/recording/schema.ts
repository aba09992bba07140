import { z } from 'zod';
import { ClusterLayoutSchema } from '../cluster/layout';
import { DeltaSchema } from '../dashboard/deltas';
import { ClusterViewSchema } from '../dashboard/view';
import { DockerEventSchema, LogLineSchema } from '../doctor/evidence';

/**
 * The flight recorder's file (docs/recording-format.md): gzip-compressed NDJSON, one JSON object per
 * line. Line 1 is the header; every other line is a time-stamped entry. Times are ms since the epoch
 * on the recording machine's clock.
 *
 * Versioning: `formatVersion` is `MAJOR.MINOR`. A minor version only adds (optional fields, new entry
 * kinds that older readers skip); anything else is a new major, which older readers refuse by name.
 */

export const RECORDING_FORMAT = 'mesoscope-recording';
export const RECORDING_FORMAT_VERSION = '1.0';
/** The file name extension the app offers. */
export const RECORDING_EXTENSION = '.mesorec';

const VersionText = z.string().regex(/^\d+\.\d+$/, 'must be MAJOR.MINOR');

/** Enough of line 1 to tell what the file is and which reader it needs, before anything else is read. */
export const HeaderProbeSchema = z.looseObject({
  kind: z.literal('header'),
  format: z.literal(RECORDING_FORMAT),
  formatVersion: VersionText,
  app: z.looseObject({ name: z.string(), version: z.string() }),
});

export const RecordingHeaderSchema = z.object({
  kind: z.literal('header'),
  format: z.literal(RECORDING_FORMAT),
  formatVersion: VersionText,
  /** The app that wrote the file. */
  app: z.object({ name: z.string(), version: z.string() }),
  cluster: z.object({
    name: z.string(),
    /**
     * The cluster spec as the engine had it. Kept as written (a later app may refuse an older spec's
     * fields); readers validate it with the ClusterSpecSchema of their own version.
     */
    spec: z.unknown(),
    layout: ClusterLayoutSchema,
    /** The leading master's version, and whether it is the Mesoscope emulator. */
    mesos: z.object({ version: z.string(), emulator: z.boolean() }).nullable(),
  }),
  /** When recording began. */
  startedAt: z.number(),
  /** Which log lines were kept: the doctor's evidence, all of them, or none. */
  logs: z.enum(['evidence', 'all', 'none']),
});
export type RecordingHeader = z.infer<typeof RecordingHeaderSchema>;

const at = { t: z.number() };

/** The whole dashboard view: the first entry, and again whenever the live view was replaced (a resync). */
export const SnapshotEntrySchema = z.object({ kind: z.literal('snapshot'), ...at, view: ClusterViewSchema });
/** A batch of the dashboard's deltas (shared/dashboard/deltas), as the monitor sent it. */
export const DeltasEntrySchema = z.object({ kind: z.literal('deltas'), ...at, seq: z.number(), deltas: z.array(DeltaSchema) });
/** A Docker event of a node container or a task container of the cluster. */
export const DockerEntrySchema = z.object({ kind: z.literal('docker'), ...at, event: DockerEventSchema });
/** Master and agent log lines (the excerpts chosen by `header.logs`). */
export const LogsEntrySchema = z.object({ kind: z.literal('logs'), ...at, lines: z.array(LogLineSchema).min(1) });
/**
 * A raw event of the master's operator stream (docs/mesos/api.md §2.3), for inspection: TASK_* with the whole
 * TaskStatus (its base64 `data` dropped), AGENT_*, FRAMEWORK_*. SUBSCRIBED and HEARTBEAT are not kept
 * (the snapshot stands for SUBSCRIBED). The view is rebuilt from snapshots and deltas, never from these.
 */
export const OperatorEntrySchema = z.object({ kind: z.literal('operator'), ...at, event: z.looseObject({ type: z.string() }) });
/** Something the user did or noted: a fault injected, a node stopped from the app, a comment. */
export const MarkEntrySchema = z.object({ kind: z.literal('mark'), ...at, label: z.string().min(1), detail: z.string().optional() });
/** The last line of a file whose recording ended normally; a file without it was cut short. */
export const EndEntrySchema = z.object({ kind: z.literal('end'), ...at, reason: z.string(), entries: z.number().int().nonnegative() });

export const RecordingEntrySchema = z.discriminatedUnion('kind', [
  SnapshotEntrySchema,
  DeltasEntrySchema,
  DockerEntrySchema,
  LogsEntrySchema,
  OperatorEntrySchema,
  MarkEntrySchema,
  EndEntrySchema,
]);
export type RecordingEntry = z.infer<typeof RecordingEntrySchema>;
export type RecordingEntryKind = RecordingEntry['kind'];
export const ENTRY_KINDS: ReadonlySet<string> = new Set(RecordingEntrySchema.options.map((o) => o.shape.kind.value));

export type MarkEntry = z.infer<typeof MarkEntrySchema>;

/** Whether this app reads a file of that format version; the refusal names both versions. */
export function checkFormatVersion(
  fileVersion: string,
  writtenBy: { name: string; version: string },
  reader: { appVersion: string; formatVersion?: string },
): { ok: true } | { ok: false; message: string } {
  const own = reader.formatVersion ?? RECORDING_FORMAT_VERSION;
  const [fileMajor] = fileVersion.split('.').map(Number);
  const [ownMajor] = own.split('.').map(Number);
  if (fileMajor === ownMajor) return { ok: true };
  const newer = fileMajor! > ownMajor!;
  return {
    ok: false,
    message: newer
      ? `This recording was made by ${writtenBy.name} ${writtenBy.version} in recording format ${fileVersion}; this Mesoscope (${reader.appVersion}) reads format ${ownMajor}.x only. Open it with Mesoscope ${writtenBy.version} or newer.`
      : `This recording is in the old recording format ${fileVersion} (${writtenBy.name} ${writtenBy.version}); this Mesoscope (${reader.appVersion}) reads format ${ownMajor}.x only.`,
  };
}
