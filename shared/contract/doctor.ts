import { z } from 'zod';
import { ClusterSummarySchema } from '../cluster/status';
import { ClusterViewSchema } from '../dashboard/view';
import { DiagnosisSchema } from '../doctor/diagnosis';
import { ChangeablePathSchema } from '../doctor/spec-change';
import { VerdictsSchema } from '../doctor/verdict';
import { MarkEntrySchema, RecordingHeaderSchema } from '../recording/schema';
import { DownloadOutcomeSchema } from '../logs/schema';
import { defineCall } from './define';

/** The task doctor and the flight recorder. */

const ClusterName = z.string().min(1).max(64);
const TaskKey = z.string().min(3).max(1100);
const FilePath = z.string().min(1).max(4096);
const RecordingId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a recording id from recordings.open');


/**
 * How a spec change is applied. The engine cannot change a running agent's flags, so a change to an
 * agent's set-up replaces that agent (a new agent with the change, then the old one removed); the
 * alternative is the whole cluster re-created from the changed spec (its tasks and sandboxes go).
 */
export const FixActionSchema = z.enum(['replace-agent', 'recreate-cluster']);
export type FixAction = z.infer<typeof FixActionSchema>;

export const ApplyFixInputSchema = z
  .object({
    cluster: ClusterName,
    change: z.object({ path: ChangeablePathSchema, suggested: z.string().max(10_000).nullable() }).strict(),
    action: FixActionSchema,
    /** replace-agent: the agent's node index (the task's agent). */
    agent: z.number().int().min(1).optional(),
  })
  .strict();

export const ApplyFixResultSchema = z.object({
  action: FixActionSchema,
  /** What was done, in a sentence. */
  message: z.string(),
  cluster: ClusterSummarySchema,
});
export type ApplyFixResult = z.infer<typeof ApplyFixResultSchema>;

export const ActiveRecordingSchema = z.object({
  cluster: z.string(),
  path: z.string(),
  startedAt: z.number(),
  entries: z.number().int(),
});
export type ActiveRecording = z.infer<typeof ActiveRecordingSchema>;

export const RecordingFileSchema = z.object({
  path: z.string(),
  name: z.string(),
  size: z.number(),
  modifiedAt: z.number(),
  /** From its header; absent when the file cannot be read as a recording (then `problem` says why). */
  cluster: z.string().optional(),
  startedAt: z.number().optional(),
  formatVersion: z.string().optional(),
  appVersion: z.string().optional(),
  problem: z.string().optional(),
  /** Being written now. */
  active: z.boolean(),
});
export type RecordingFile = z.infer<typeof RecordingFileSchema>;

export const RecordingsListSchema = z.object({
  /** Where recordings are kept: `recordings/` in the app's data folder. */
  dir: z.string(),
  files: z.array(RecordingFileSchema),
  active: z.array(ActiveRecordingSchema),
});

export const RecordingSummarySchema = z.object({
  cluster: z.string(),
  path: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  entries: z.number().int(),
  bytes: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});
export type SavedRecording = z.infer<typeof RecordingSummarySchema>;

export const OpenedRecordingSchema = z.object({
  id: RecordingId,
  path: z.string(),
  header: RecordingHeaderSchema,
  /** The file ended with its `end` line; false: cut short (what was written is shown). */
  complete: z.boolean(),
  /** Entries of kinds this version does not know (a newer minor version wrote them). */
  skipped: z.number().int(),
  entries: z.number().int(),
  start: z.number(),
  end: z.number(),
  /** Every time the view changed, and every mark: where the slider stops. */
  moments: z.array(z.number()),
  marks: z.array(MarkEntrySchema),
});
export type OpenedRecording = z.infer<typeof OpenedRecordingSchema>;

export const RecordingStateSchema = z.object({
  at: z.number(),
  /** null before the recording's first view. */
  view: ClusterViewSchema.nullable(),
  /** What the doctor said about each task at that moment. */
  verdicts: VerdictsSchema,
  /** Evidence recorded up to that moment. */
  evidence: z.object({ dockerEvents: z.number().int(), logLines: z.number().int() }),
});
export type RecordingState = z.infer<typeof RecordingStateSchema>;

/** One piece of a file uploaded from the browser (the web host's socket takes messages up to 1 MiB). */
export const UPLOAD_CHUNK_BYTES = 512 * 1024;

export const doctorCalls = {
  'doctor.diagnose': defineCall({
    description:
      "Why a task failed, was lost, killed, dropped, is unreachable or is stuck in STAGING: the rule's cause and fix in plain words, the spec change it offers, and the evidence timeline (status history, Docker events of its container and its agent's, the nodes' log lines, the agent's state) with the decisive item marked; `unrecognised` with the raw status when no rule knows it; `none` when there is nothing to explain.",
    input: z.object({ cluster: ClusterName, taskKey: TaskKey }).strict(),
    output: DiagnosisSchema,
  }),
  'doctor.verdicts': defineCall({
    description: 'For every task of the cluster the doctor has something to say about: its verdict in a few words (for the task table).',
    input: z.object({ cluster: ClusterName }).strict(),
    output: VerdictsSchema,
  }),
  'doctor.applyFix': defineCall({
    description:
      "Apply the doctor's spec change: replace the task's agent with one that has the change (the engine cannot change a running agent's flags), or re-create the whole cluster from the changed spec.",
    input: ApplyFixInputSchema,
    output: ApplyFixResultSchema,
  }),
  'recordings.start': defineCall({
    description:
      "Record a cluster's session (its view and every change, Docker events, the nodes' log lines the doctor uses, operator events, marks) into one .mesorec file; by default in the app's recordings folder.",
    input: z.object({ cluster: ClusterName, path: FilePath.optional() }).strict(),
    output: ActiveRecordingSchema,
  }),
  'recordings.stop': defineCall({
    description: "Stop recording a cluster: the file is complete (its end line written).",
    input: z.object({ cluster: ClusterName }).strict(),
    output: RecordingSummarySchema,
  }),
  'recordings.mark': defineCall({
    description: 'Note something in the recording of a cluster (a fault injected, a comment); shown on the time slider.',
    input: z.object({ cluster: ClusterName, label: z.string().trim().min(1).max(200), detail: z.string().max(2000).optional() }).strict(),
    output: z.object({}),
  }),
  'recordings.list': defineCall({
    description: "The recordings in the app's recordings folder (newest first) and the recordings under way.",
    input: z.object({}).strict(),
    output: RecordingsListSchema,
  }),
  'recordings.open': defineCall({
    description:
      'Open a recording for replay: its header, whether it is complete, and the moments the slider stops at. A file from a newer Mesoscope is refused, naming both versions; a damaged one says what is wrong.',
    input: z.object({ path: FilePath }).strict(),
    output: OpenedRecordingSchema,
  }),
  'recordings.stateAt': defineCall({
    description: "An opened recording at one moment: the cluster's view as it was then, the doctor's verdicts then, and how much evidence was recorded by then.",
    input: z.object({ id: RecordingId, t: z.number() }).strict(),
    output: RecordingStateSchema,
  }),
  'recordings.diagnose': defineCall({
    description: "What the doctor said about one task at one moment of an opened recording, from the evidence recorded by then.",
    input: z.object({ id: RecordingId, t: z.number(), taskKey: TaskKey }).strict(),
    output: DiagnosisSchema,
  }),
  'recordings.close': defineCall({
    description: 'Forget an opened recording.',
    input: z.object({ id: RecordingId }).strict(),
    output: z.object({}),
  }),
  'recordings.upload': defineCall({
    description: `Bring a recording file from the browser into the recordings folder, in pieces of at most ${UPLOAD_CHUNK_BYTES / 1024} KiB (base64); the last piece returns its path.`,
    input: z
      .object({
        uploadId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
        name: z.string().min(1).max(255),
        offset: z.number().int().nonnegative(),
        data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4),
        last: z.boolean(),
      })
      .strict(),
    output: z.object({ path: z.string().nullable(), received: z.number().int() }),
  }),
  'recordings.choose': defineCall({
    description: 'The desktop app: pick a recording file with the system open dialog (null when cancelled). The web host has no dialog: upload the file instead.',
    input: z.object({}).strict(),
    output: z.object({ path: z.string().nullable() }),
  }),
  'recordings.download': defineCall({
    description: 'Download a recording (to send it to a colleague): a one-time URL in the web host, a save dialog in the desktop app.',
    input: z.object({ path: FilePath }).strict(),
    output: DownloadOutcomeSchema,
  }),
  'recordings.remove': defineCall({
    description: 'Delete a recording from the recordings folder.',
    input: z.object({ path: FilePath }).strict(),
    output: z.object({}),
  }),
} as const;
