import { z } from 'zod';
import { BundleExportParamsSchema, BundleManifestSchema, BundleProgressSchema } from '../bundle/schema';
import { OutputSearchParamsSchema, OutputSearchViewSchema } from '../search/schema';
import { DownloadOutcomeSchema } from '../logs/schema';
import { defineCall, defineEvent } from './define';
import { OpenedRecordingSchema } from './doctor';

/** The questions users ask: where in all these logs (search every task's output), and "send me everything" (support bundles). */

const FilePath = z.string().min(1).max(4096);

export const questionCalls = {
  'bundles.open': defineCall({
    description:
      'Open a support bundle read-only, as a recording: its manifest (every part, and what is missing with why) and its recording opened for replay (the view and the doctor verdicts of the moment it was made).',
    input: z.object({ path: FilePath }).strict(),
    output: z.object({ manifest: BundleManifestSchema, recording: OpenedRecordingSchema }),
  }),
  'bundles.download': defineCall({
    description: 'Download a support bundle the app wrote (its bundles folder): a one-time URL in the web host, a save dialog in the desktop app.',
    input: z.object({ path: FilePath }).strict(),
    output: DownloadOutcomeSchema,
  }),
};

export const questionEvents = {
  'logs.searchAll': defineEvent({
    description:
      "Search every task's stdout and stderr on the cluster's agents (live and finished, while the agents keep the sandboxes), the last N MB of each file: the search's state as it grows (progress, matches grouped by task, newest first), until done. Unsubscribing cancels it.",
    params: OutputSearchParamsSchema,
    payload: OutputSearchViewSchema,
  }),
  'bundles.export': defineEvent({
    description:
      "Write a support bundle of the cluster (.tar.gz, docs/support-bundle-format.md) into the app's bundles folder: progress part by part, then `done` with its path and what was missing. Unsubscribing cancels it.",
    params: BundleExportParamsSchema,
    payload: BundleProgressSchema,
  }),
};
