import { z } from 'zod';

/**
 * A support bundle: everything about one cluster in one `.tar.gz` (docs/support-bundle-format.md), and
 * the progress of writing one.
 */

export const BUNDLE_FORMAT = 'mesoscope-support-bundle';
export const BUNDLE_FORMAT_VERSION = '1.0';
export const BUNDLE_EXTENSION = '.tar.gz';
/** The part the app opens read-only: the cluster's view and evidence as a recording (docs/recording-format.md). */
export const BUNDLE_RECORDING = 'recording.mesorec';
export const DEFAULT_BUNDLE_TASK_OUTPUT_MB = 1;

export const BundlePartSchema = z.object({ path: z.string(), bytes: z.number().int() });
export const MissingPartSchema = z.object({ path: z.string(), why: z.string() });

export const BundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.string(),
  cluster: z.string(),
  createdAt: z.number(),
  app: z.object({ name: z.string(), version: z.string() }),
  /** Each task's stdout / stderr: at most its last this many MB. */
  taskOutputMb: z.number(),
  parts: z.array(BundlePartSchema),
  missing: z.array(MissingPartSchema),
});
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

export const BundleExportParamsSchema = z
  .object({
    cluster: z.string().min(1).max(64),
    taskOutputMb: z.number().positive().max(100).default(DEFAULT_BUNDLE_TASK_OUTPUT_MB),
  })
  .strict();

export const BundleProgressSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), part: z.string(), written: z.number().int(), missing: z.number().int() }),
  z.object({ kind: z.literal('done'), path: z.string(), bytes: z.number(), parts: z.number().int(), missing: z.array(MissingPartSchema) }),
]);
export type BundleProgress = z.infer<typeof BundleProgressSchema>;
