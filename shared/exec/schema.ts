import { z } from 'zod';

/**
 * A terminal into a container: a `docker exec` session whose bytes travel as base64 (a TTY's output
 * is bytes, not always whole UTF-8 characters, and a command's output may be binary). The session is
 * a subscription; input, resize and acknowledgements are calls naming its id.
 */

const ClusterName = z.string().min(1).max(64);
const Id = z.string().min(1).max(512);

export const ExecTargetSchema = z.discriminatedUnion('kind', [
  /** A node's own container (`zookeeper`, `master-1`, `agent-2`, or its container name). */
  z.object({ kind: z.literal('node'), cluster: ClusterName, node: z.string().min(1).max(128) }).strict(),
  /** The Docker container the Docker containerizer started for a task (`mesos-<ContainerID>`). */
  z
    .object({
      kind: z.literal('task'),
      cluster: ClusterName,
      taskId: Id,
      /** Needed only when several frameworks ran a task of that id. */
      frameworkId: Id.optional(),
      /** Saves asking every agent. */
      agentId: Id.optional(),
    })
    .strict(),
]);
export type ExecTarget = z.infer<typeof ExecTargetSchema>;

/** Largest input per `exec.input` call, in bytes before base64: a paste is sent in pieces of this size. */
export const MAX_INPUT_BYTES = 64 * 1024;
const MAX_INPUT_BASE64 = Math.ceil(MAX_INPUT_BYTES / 3) * 4;

export const TerminalSizeSchema = z.object({ cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }).strict();
export type TerminalSize = z.infer<typeof TerminalSizeSchema>;

export const ExecParamsSchema = z
  .object({
    target: ExecTargetSchema,
    /** The command; none: a login-less interactive shell (bash where there is one, else sh). */
    command: z.array(z.string().max(4096)).min(1).max(256).optional(),
    /** A TTY (one stream, raw bytes, resizable) or not (stdout and stderr apart). */
    tty: z.boolean().default(true),
    /** The first size of the TTY. */
    size: TerminalSizeSchema.optional(),
  })
  .strict();
export type ExecParams = z.output<typeof ExecParamsSchema>;
export type ExecParamsInput = z.input<typeof ExecParamsSchema>;

export const ExecEventSchema = z.discriminatedUnion('kind', [
  /** The exec runs: its id for input, resize and acknowledgements, and the container it runs in. */
  z.object({ kind: z.literal('open'), sessionId: z.string(), container: z.string(), title: z.string(), command: z.array(z.string()) }),
  /** Output bytes (base64); `bytes` is what acknowledgements count. */
  z.object({ kind: z.literal('output'), data: z.base64(), bytes: z.number().int().nonnegative(), stream: z.enum(['stdout', 'stderr']) }),
  /** The session is over: the command's exit code when it ran to its end, and why in words. */
  z.object({ kind: z.literal('end'), exitCode: z.number().int().nullable(), reason: z.string() }),
]);
export type ExecEvent = z.infer<typeof ExecEventSchema>;

const SessionId = z.string().min(1).max(100);

export const ExecInputSchema = z
  .object({
    sessionId: SessionId,
    data: z.base64().max(MAX_INPUT_BASE64, `at most 64 KiB (${MAX_INPUT_BYTES} bytes) per call: send a long input in pieces`).default(''),
    /** Close the command's stdin after this data (end of input, as a pipe does). */
    eof: z.boolean().default(false),
  })
  .strict();
