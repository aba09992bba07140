import { z } from 'zod';
import type { Diagnosis } from './diagnosis';

/** A diagnosis in a few words: what the task table shows beside a task the doctor has something to say about. */
export const VerdictSchema = z.object({
  kind: z.enum(['diagnosed', 'unrecognised']),
  ruleId: z.string().optional(),
  /** The rule's title, or the raw state and reason of an unrecognised status. */
  title: z.string(),
  at: z.number(),
});
export type Verdict = z.infer<typeof VerdictSchema>;
export const VerdictsSchema = z.record(z.string(), VerdictSchema);
export type Verdicts = z.infer<typeof VerdictsSchema>;

export function verdictOf(d: Exclude<Diagnosis, { kind: 'none' }>): Verdict {
  if (d.kind === 'diagnosed') return { kind: 'diagnosed', ruleId: d.ruleId, title: d.title, at: d.at };
  const raw = [d.raw.state.replace(/^TASK_/, ''), d.raw.reason?.replace(/^REASON_/, '')].filter(Boolean).join(' / ');
  return { kind: 'unrecognised', title: `Unrecognised: ${raw}`, at: d.at };
}

export function verdictsOf(diagnoses: Record<string, Exclude<Diagnosis, { kind: 'none' }>>): Verdicts {
  return Object.fromEntries(Object.entries(diagnoses).map(([key, d]) => [key, verdictOf(d)]));
}
