import { z } from 'zod';

/**
 * Searching every task's output at once (stdout and stderr in the sandboxes the agents keep): what a
 * search asks for, and its live state — progress, and the matches grouped by task, newest first.
 */

const ClusterName = z.string().min(1).max(64);
const Id = z.string().min(1).max(512);

export const DEFAULT_SEARCH_MB = 10;
/** Matches kept in all (the rest counted, not kept): a search for "e" must not fill memory. */
export const MAX_SEARCH_MATCHES = 2000;

export const OutputSearchParamsSchema = z
  .object({
    cluster: ClusterName,
    /** Plain text unless `regex`. */
    pattern: z.string().min(1).max(500),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    /** Read at most the last N MB of each file. */
    maxMbPerFile: z.number().positive().max(1024).default(DEFAULT_SEARCH_MB),
    /** Only the tasks of this framework, on this agent (its id, or its node's name: agent-2), or with these ids (a service's: search/scope.ts). */
    frameworkId: Id.optional(),
    agentId: Id.optional(),
    taskIds: z.array(Id).max(1000).optional(),
    files: z.array(z.enum(['stdout', 'stderr'])).min(1).default(['stdout', 'stderr']),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.regex) return;
    try {
      new RegExp(p.pattern);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a regular expression: ${(err as Error).message}` });
    }
  });
export type OutputSearchParams = z.output<typeof OutputSearchParamsSchema>;
export type OutputSearchParamsInput = z.input<typeof OutputSearchParamsSchema>;

export const OutputMatchSchema = z.object({
  /** Byte offset of the line's start in the file. */
  offset: z.number(),
  /** The line (cut at 1000 characters). */
  line: z.string(),
  /** The line before and after, for context (absent at the file's start or end of what was read). */
  before: z.string().optional(),
  after: z.string().optional(),
});
export type OutputMatch = z.infer<typeof OutputMatchSchema>;

export const OutputGroupSchema = z.object({
  taskId: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  file: z.enum(['stdout', 'stderr']),
  /** The file's last change (ms): groups are newest first. */
  mtime: z.number(),
  size: z.number(),
  /** The search started this far into the file (bounded by maxMbPerFile). */
  readFrom: z.number(),
  running: z.boolean(),
  matches: z.array(OutputMatchSchema),
});
export type OutputGroup = z.infer<typeof OutputGroupSchema>;

export const OutputSearchViewSchema = z.object({
  pattern: z.string(),
  filesTotal: z.number().int(),
  filesDone: z.number().int(),
  bytesRead: z.number(),
  /** Newest file first. */
  groups: z.array(OutputGroupSchema),
  /** Matches found beyond MAX_SEARCH_MATCHES (counted, not kept). */
  dropped: z.number().int(),
  /** Agents or files that could not be read, each with why. */
  problems: z.array(z.string()),
  done: z.boolean(),
});
export type OutputSearchView = z.infer<typeof OutputSearchViewSchema>;
