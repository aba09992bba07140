import { z } from 'zod';
import { ExecEventSchema, ExecInputSchema, ExecParamsSchema, TerminalSizeSchema } from '../exec/schema';
import { defineCall, defineEvent } from './define';

const SessionId = z.string().min(1).max(100);

/** A terminal into a node's or a task's container (`docker exec`). */
export const execCalls = {
  'exec.input': defineCall({
    description: "Bytes typed or pasted into an exec session (base64, at most 64 KiB a call); eof closes the command's stdin.",
    input: ExecInputSchema,
    output: z.object({}),
  }),
  'exec.resize': defineCall({
    description: "Resize an exec session's TTY (columns and rows).",
    input: z.object({ sessionId: SessionId }).extend(TerminalSizeSchema.shape).strict(),
    output: z.object({}),
  }),
  'exec.ack': defineCall({
    description: 'The terminal has taken this many output bytes of the session (cumulative): the output is read on only so far ahead of it.',
    input: z.object({ sessionId: SessionId, bytes: z.number().int().nonnegative() }).strict(),
    output: z.object({}),
  }),
};

export const execEvents = {
  'exec.session': defineEvent({
    description:
      "A command (default: a shell) run in a node's or a task's container with docker exec: an `open` message with the session id, its output as it comes, and an `end` with the exit code when the command ends or the container stops. Closing the subscription ends the command.",
    params: ExecParamsSchema,
    payload: ExecEventSchema,
  }),
};
