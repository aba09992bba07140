import { z } from 'zod';

/**
 * What can be shown in the log viewer, and how it reaches the UI. A node is addressed by its short
 * name (`zookeeper`, `master-1`, `agent-2`) or its container name; a task by framework and task id
 * (ids are unique per framework only); a sandbox file by the agent and its absolute path (the
 * executor's `directory` from the agent's /state, or a file below it).
 */

const ClusterName = z.string().min(1).max(64);
const Id = z.string().min(1).max(512);

/** An absolute path without `..` segments: /files refuses them anyway, but say so clearly here. */
export const SandboxPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/'), 'must be an absolute path')
  .refine((p) => !p.split('/').includes('..'), "must not contain '..'");

export const LogSourceSchema = z.discriminatedUnion('kind', [
  /** The node container's output through Docker (stdout and stderr, demultiplexed). */
  z.object({ kind: z.literal('node'), cluster: ClusterName, node: z.string().min(1).max(128) }).strict(),
  /** The Mesos log file of a master or agent (`/master/log`, `/slave/log`), when --log_dir is set. */
  z.object({ kind: z.literal('node-file'), cluster: ClusterName, node: z.string().min(1).max(128) }).strict(),
  /** A task's stdout or stderr, in its sandbox on its agent. */
  z
    .object({
      kind: z.literal('task'),
      cluster: ClusterName,
      taskId: Id,
      /** Needed only when several frameworks ran a task of that id. */
      frameworkId: Id.optional(),
      /** Saves asking every agent. */
      agentId: Id.optional(),
      file: z.enum(['stdout', 'stderr']).default('stdout'),
    })
    .strict(),
  /** Any file in a sandbox. */
  z.object({ kind: z.literal('sandbox'), cluster: ClusterName, agentId: Id, path: SandboxPathSchema }).strict(),
]);
export type LogSource = z.infer<typeof LogSourceSchema>;
export type LogSourceInput = z.input<typeof LogSourceSchema>;

export const FollowParamsSchema = z
  .object({
    source: LogSourceSchema,
    /** Keep reading as the source grows (until the task ends or the container stops). */
    follow: z.boolean().default(true),
    /** Docker logs: the last N lines to start with (0: none; absent: all). */
    tailLines: z.number().int().min(0).max(1_000_000).optional(),
    /** Files: start this many bytes before the end, at a line start (absent: 256 KiB; 0: at the end). */
    tailBytes: z.number().int().min(0).optional(),
    /** Files: start at this byte offset instead (0: the whole file). */
    fromOffset: z.number().int().min(0).optional(),
  })
  .strict();
export type FollowParams = z.infer<typeof FollowParamsSchema>;

/**
 * One message of a followed log. A batch is one string of whole lines (each ending in `\n`), so a
 * 200 MB stream crosses the transport as few large strings, not millions of objects.
 */
export const LogEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('open'),
    /** For `logs.ack`: the stream reads ahead only so far past what the viewer has taken. */
    streamId: z.string(),
    /** What is shown, in words (`agent-1 (Docker)`, `stdout of task t1 on agent …`). */
    title: z.string(),
    /** Docker logs: each line starts with an RFC 3339 time and a space. */
    timestamps: z.boolean(),
    /** Files: byte offset where the first batch starts; the file's size when opened. */
    offset: z.number().optional(),
    size: z.number().optional(),
    /** Files: the agent and absolute path read (download, sandbox browser). */
    file: z.object({ agentId: z.string().optional(), node: z.string().optional(), path: z.string() }).optional(),
  }),
  z.object({
    kind: z.literal('data'),
    seq: z.number().int(),
    /** Whole lines, UTF-8 decoded; a multi-byte character split between reads is joined first. */
    text: z.string(),
    /** How many bytes of the source `text` stands for. */
    bytes: z.number().int().nonnegative(),
    /** Files: the byte offset of the first character of `text`. */
    offset: z.number().optional(),
    /** Docker logs: the lines (indexes in this batch) that came from stderr, as [from, to) pairs. */
    stderr: z.array(z.number().int()).optional(),
  }),
  /** A passing problem (the agent did not answer): the stream keeps trying. */
  z.object({ kind: z.literal('problem'), message: z.string() }),
  /** The stream is over: the task ended, the container stopped, or the end of a file not followed. */
  z.object({ kind: z.literal('end'), reason: z.string() }),
]);
export type LogEvent = z.infer<typeof LogEventSchema>;

export const LogNodeSchema = z.object({
  /** Short name: `zookeeper`, `master-1`, `agent-2`. */
  node: z.string(),
  container: z.string(),
  role: z.enum(['zookeeper', 'master', 'agent']),
  state: z.string(),
  /** The virtual path of its Mesos log file (`/master/log`, `/slave/log`), when it writes one. */
  logFile: z.string().nullable(),
  /** Why there is no log file, in words (it runs without --log_dir; it does not answer from here). */
  noLogFile: z.string().optional(),
});
export type LogNode = z.infer<typeof LogNodeSchema>;

export const SandboxSchema = z.object({
  agentId: z.string(),
  frameworkId: z.string(),
  taskId: z.string(),
  executorId: z.string(),
  containerId: z.string().optional(),
  /** Absolute path of the sandbox on the agent (the executor's `directory`). */
  directory: z.string(),
  /** The executor still runs (its output may grow). */
  running: z.boolean(),
});
export type Sandbox = z.infer<typeof SandboxSchema>;

export const SandboxEntrySchema = z.object({
  path: z.string(),
  name: z.string(),
  directory: z.boolean(),
  size: z.number(),
  /** ms since the epoch */
  mtime: z.number(),
  mode: z.string(),
});
export type SandboxEntry = z.infer<typeof SandboxEntrySchema>;

export const ReadRangeParamsSchema = z
  .object({
    source: LogSourceSchema,
    /** Whole lines starting at the first line start at or after this offset. */
    from: z.number().int().min(0).optional(),
    /** Whole lines ending at or before this offset (-1: the end of the file). */
    before: z.number().int().min(-1).optional(),
    maxBytes: z.number().int().min(1).max(8 * 1024 * 1024).default(1024 * 1024),
  })
  .strict()
  .refine((p) => (p.from === undefined) !== (p.before === undefined), 'give exactly one of from and before');

export const ReadRangeSchema = z.object({
  /** Byte offsets of the text: [start, end). */
  start: z.number(),
  end: z.number(),
  size: z.number(),
  text: z.string(),
  /** What the source is, in words, and the file read (as a followed log's `open` says): for a viewer opened at an offset. */
  title: z.string().optional(),
  file: z.object({ agentId: z.string().optional(), node: z.string().optional(), path: z.string() }).optional(),
});
export type ReadRange = z.infer<typeof ReadRangeSchema>;

/** What a download became: a URL to fetch (web host), a file saved (Electron), or nothing (cancelled). */
export const DownloadOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string(), name: z.string() }),
  z.object({ kind: z.literal('saved'), path: z.string() }),
  z.object({ kind: z.literal('cancelled') }),
]);
export type DownloadOutcome = z.infer<typeof DownloadOutcomeSchema>;

export const SearchParamsSchema = z
  .object({
    source: LogSourceSchema,
    query: z.string().min(1).max(500),
    caseSensitive: z.boolean().default(false),
    /** Forward: from this offset (a line start) on; backward: the lines ending at or before it. */
    from: z.number().int().min(0),
    direction: z.enum(['forward', 'backward']),
    /** How much of the file one call reads at most (the caller asks again from `scannedTo`). */
    maxBytes: z.number().int().min(64 * 1024).max(64 * 1024 * 1024).default(16 * 1024 * 1024),
  })
  .strict();

export const SearchResultSchema = z.object({
  /** The first (forward) or last (backward) line that matches: its byte range and text. */
  found: z.object({ start: z.number(), end: z.number(), line: z.string() }).nullable(),
  /** Where the scan stopped: the next call goes on from here. */
  scannedTo: z.number(),
  /** The scan reached the end (forward) or the start (backward) of the file. */
  done: z.boolean(),
  size: z.number(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;
