import { z } from 'zod';
import { TaskSourceSchema, TaskStateSchema } from '../mesos/v1';
import { DoctorAgentStateSchema } from './evidence';

/**
 * The shape of one row of the doctor's rule table (rules.ts). A rule is data: which status it
 * explains (state, reason, source, message pattern, Mesos versions, an earlier status, evidence
 * that must be present), the cause and fix in plain words (templates filled from the message's named
 * groups and the task), the set-up change it can offer, and which evidence to show and call decisive.
 */

const Regex = z.instanceof(RegExp);

/** Matches one status. Reasons are v1 names (REASON_AGENT_*); `null` matches a status without one. */
export const StatusMatchSchema = z
  .object({
    states: z.array(TaskStateSchema).min(1),
    reasons: z.array(z.string().regex(/^REASON_[A-Z_]+$/).nullable()).min(1).optional(),
    sources: z.array(TaskSourceSchema.nullable()).min(1).optional(),
    /** Tested against the whole message ('' when there is none); named groups become template values. */
    message: Regex.optional(),
  })
  .strict();
export type StatusMatch = z.infer<typeof StatusMatchSchema>;

/** Evidence of one kind: a Docker event of the task's or the agent's container, a log line, the agent's state. */
export const EvidenceMatchSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('docker'),
      role: z.enum(['task', 'agent']),
      actions: z.array(z.string()).min(1),
      oomKilled: z.boolean().optional(),
      exitCode: z.number().int().optional(),
      /** Only if it is the latest event of that container before the status (the agent is still paused). */
      latest: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('log'), node: z.enum(['agent', 'master']), pattern: Regex }).strict(),
  z.object({ kind: z.literal('agent'), states: z.array(DoctorAgentStateSchema).min(1) }).strict(),
]);
export type EvidenceMatch = z.infer<typeof EvidenceMatchSchema>;

/** The cluster set-up change a rule can offer; resolved against the real spec (spec-change.ts). */
export const SpecSettingSchema = z.discriminatedUnion('setting', [
  /** Offered when the agent's executor registration timeout is shorter than `atLeast`. */
  z.object({ setting: z.literal('registration-timeout'), atLeast: z.string() }).strict(),
  /** An agent flag set in the spec whose value matches `causeIf`: `suggested` instead (null: remove it). */
  z.object({ setting: z.literal('agent-flag'), flag: z.string(), causeIf: Regex, suggested: z.string().nullable() }).strict(),
  /** LIBPROCESS_* in executor_environment_variables, or advertise_ip / ip flags: the executor's address. */
  z.object({ setting: z.literal('executor-address') }).strict(),
]);
export type SpecSetting = z.infer<typeof SpecSettingSchema>;

export const EVIDENCE_SOURCES = ['task-container', 'agent-container', 'agent-log', 'master-log', 'agent-state'] as const;
export const EvidenceSourceSchema = z.enum(EVIDENCE_SOURCES);

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** Rows of docs/mesos/api.md §9 and docs/mesos/faults.md this rule answers (faults rows as strings: '6b'). */
    refs: z.object({ api: z.array(z.number().int()).default([]), faults: z.array(z.string()).default([]) }).strict(),
    when: StatusMatchSchema.extend({
      /** Mesos versions where the rule holds: `min` inclusive, `below` exclusive. */
      mesos: z.object({ min: z.string().optional(), below: z.string().optional() }).strict().optional(),
      /** An earlier status in the history must match (the story before the end). */
      after: StatusMatchSchema.optional(),
      /** For TASK_STAGING: only once the task has been staging longer than the threshold. */
      stuck: z.boolean().optional(),
      /** Evidence that must all be present. */
      requires: z.array(EvidenceMatchSchema).default([]),
    }).strict(),
    title: z.string().min(1),
    /** Plain words; `{name}` is a named group of the message or a task value, `{name|fallback}` has a default. */
    cause: z.string().min(1),
    fix: z.string().min(1),
    specChange: SpecSettingSchema.optional(),
    evidence: z
      .object({
        /** Which evidence to put on the timeline (the status history is always there). */
        show: z.array(EvidenceSourceSchema).default([...EVIDENCE_SOURCES]),
        /** Tried in order: the first that finds an item marks it decisive; else the status itself is. */
        decisive: z.array(EvidenceMatchSchema).default([]),
        /** Log lines worth showing besides those naming the task, its container or its agent. */
        logPatterns: z.array(Regex).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;
