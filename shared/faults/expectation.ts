import { z } from 'zod';
import { TaskSourceSchema, TaskStateSchema } from '../mesos/v1';

/** One status update as docs/mesos/faults.md writes it: state / reason / source / message. */
export const ExpectedStatusSchema = z.object({
  state: TaskStateSchema,
  /** null: the update carries no reason (docs/mesos/faults.md writes "–"). */
  reason: z.string().nullable(),
  source: TaskSourceSchema,
  message: z.string(),
});
export type ExpectedStatus = z.infer<typeof ExpectedStatusSchema>;

/**
 * What a fault does to its task, for one framework variant (docs/mesos/faults.md): the update the task ends with
 * and when, or, for faults that send no update at all, the state the task keeps.
 */
export const ExpectationSchema = z.object({
  /** The docs/mesos/faults.md rows this comes from (or the docs/mesos/api.md §9 row, for what docs/mesos/faults.md does not record). */
  rows: z.string(),
  /** observed: recorded on a real Mesos; source: read from the Mesos source (docs/mesos/faults.md's two kinds). */
  evidence: z.enum(['observed', 'source']),
  /** The update the task ends with; null when the fault sends none (rows 14 and 18). */
  final: ExpectedStatusSchema.nullable(),
  /** With `final` null: the state the task keeps. */
  stays: TaskStateSchema.optional(),
  /** The final update comes no sooner than this after the fault (ms)… */
  atLeastMs: z.number(),
  /** …and no later (ms); with `final` null, the verdict is given after `holdMs`. */
  withinMs: z.number(),
  holdMs: z.number().optional(),
  /** With `final` null: a standby must have taken over the lead first (row 18). */
  leaderChange: z.boolean().optional(),
  /** The answer to an explicit reconciliation the fault sends (row 14). */
  reconcile: ExpectedStatusSchema.optional(),
  /** What Mesos will do, in one line. */
  summary: z.string(),
  /** What follows when the fault is undone (unpause, start again). */
  then: z.string().optional(),
});
export type Expectation = z.infer<typeof ExpectationSchema>;

export const statusText = (s: ExpectedStatus): string => `${s.state} / ${s.reason ?? '–'} / ${s.source} / ${s.message === '' ? '""' : s.message}`;
