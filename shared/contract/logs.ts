import { z } from 'zod';
import {
  DownloadOutcomeSchema,
  FollowParamsSchema,
  LogEventSchema,
  LogNodeSchema,
  ReadRangeParamsSchema,
  ReadRangeSchema,
  SandboxEntrySchema,
  SandboxPathSchema,
  SandboxSchema,
  SearchParamsSchema,
  SearchResultSchema,
} from '../logs/schema';
import { defineCall, defineEvent } from './define';

const ClusterName = z.string().min(1).max(64);
const Id = z.string().min(1).max(512);

/** Logs and sandboxes: node logs through Docker and /files, task output, sandbox files. */
export const logCalls = {
  'logs.nodes': defineCall({
    description: "The cluster's nodes whose logs can be shown: every container, and the Mesos log file of masters and agents started with --log_dir.",
    input: z.object({ cluster: ClusterName }).strict(),
    output: z.array(LogNodeSchema),
  }),
  'logs.sandbox': defineCall({
    description: "Where a task's sandbox is: its agent, the executor's directory (from the agent's /state, completed executors included) and whether it still runs.",
    input: z.object({ cluster: ClusterName, taskId: Id, frameworkId: Id.optional(), agentId: Id.optional() }).strict(),
    output: SandboxSchema,
  }),
  'logs.browse': defineCall({
    description: 'The entries of a sandbox directory on an agent (/files/browse): name, size, time, mode.',
    input: z.object({ cluster: ClusterName, agentId: Id, path: SandboxPathSchema }).strict(),
    output: z.array(SandboxEntrySchema),
  }),
  'logs.read': defineCall({
    description: 'Whole lines of a file source around a byte offset (from / before), read in 64 KiB ranges: how the viewer pages through a file it never loads whole.',
    input: ReadRangeParamsSchema,
    output: ReadRangeSchema,
  }),
  'logs.search': defineCall({
    description: 'Find the next (or previous) line of a file source that contains the text, reading it in ranges from a byte offset: search beyond what the viewer holds.',
    input: SearchParamsSchema,
    output: SearchResultSchema,
  }),
  'logs.ack': defineCall({
    description: 'The viewer has taken this many bytes of a followed stream (cumulative): the stream reads on only so far ahead of it.',
    input: z.object({ streamId: z.string().min(1).max(100), bytes: z.number().int().nonnegative() }).strict(),
    output: z.object({}),
  }),
  'logs.download': defineCall({
    description: 'Download a sandbox file: a one-time URL in the web host, a save dialog in the desktop app.',
    input: z.object({ cluster: ClusterName, agentId: Id, path: SandboxPathSchema }).strict(),
    output: DownloadOutcomeSchema,
  }),
};

export const logEvents = {
  'logs.follow': defineEvent({
    description:
      "A log, then its growth: an `open` message (with the stream id to acknowledge), batches of whole lines every ~30 ms, and an `end` when the task ends, the container stops or a file not followed is read. Closing the subscription stops the reading.",
    params: FollowParamsSchema,
    payload: LogEventSchema,
  }),
};
