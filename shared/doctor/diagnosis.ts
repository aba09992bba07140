import { z } from 'zod';
import { ClusterLayoutSchema } from '../cluster/layout';
import { ClusterSpecSchema } from '../cluster/spec';
import { FrameworkSchema, StatusEntrySchema, TaskSchema } from '../dashboard/view';
import { TaskSourceSchema, TaskStateSchema } from '../mesos/v1';
import { AgentEvidenceSchema, DockerEventSchema, LogLineSchema, NodeRefSchema } from './evidence';
import { SpecChangeSchema } from './spec-change';

/** The doctor's input and output shapes (diagnose.ts). */

/** How long a task may stay STAGING before the doctor calls it stuck (docs/mesos/faults.md row 14). */
export const DEFAULT_STAGING_THRESHOLD_MS = 15_000;

export const DiagnoseInputSchema = z.object({
  /** The task as the dashboard has it: its state and whole v1 status history. */
  task: TaskSchema,
  framework: FrameworkSchema.optional(),
  /** The task's agent as the master sees it, with its node when known. */
  agent: AgentEvidenceSchema.optional(),
  /** The leading master's version; unknown: the reference version is assumed. */
  mesosVersion: z.string().optional(),
  /** Docker events of the cluster's containers and task containers (any order; the doctor correlates). */
  dockerEvents: z.array(DockerEventSchema).optional(),
  /** Agent and master log lines (any order). Agent lines are matched to the task's agent by node when it is known. */
  logs: z.array(LogLineSchema).optional(),
  /** The cluster's spec and layout: for set-up changes. */
  spec: ClusterSpecSchema.optional(),
  layout: ClusterLayoutSchema.optional(),
  /** The moment to diagnose at (ms): evidence after it is ignored; STAGING is measured to it. Default: now. */
  now: z.number().optional(),
  stagingThresholdMs: z.number().positive().optional(),
});
/** What diagnose() takes (the spec as parsed: defaults applied). */
export type DiagnoseInput = z.output<typeof DiagnoseInputSchema>;

export const EVIDENCE_KINDS = ['status', 'docker', 'log', 'agent'] as const;

export const EvidenceItemSchema = z.object({
  /** Stable within one diagnosis (React key). */
  id: z.string(),
  at: z.number(),
  kind: z.enum(EVIDENCE_KINDS),
  /** Where it comes from: the task's status history, a container's Docker events, a node's log, the master's view of the agent. */
  source: z.enum(['task-status', 'task-container', 'agent-container', 'agent-log', 'master-log', 'agent-state']),
  title: z.string(),
  detail: z.string().optional(),
  /** The one item that shows the cause. */
  decisive: z.boolean(),
  node: NodeRefSchema.optional(),
  /** The raw record behind the item. */
  status: StatusEntrySchema.optional(),
  docker: DockerEventSchema.optional(),
  log: LogLineSchema.optional(),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const DiagnosisLinksSchema = z.object({
  /** The task's sandbox on its agent (docs/mesos/api.md §5.2: the preferred virtual path). */
  sandbox: z.object({ agentId: z.string(), frameworkId: z.string(), executorId: z.string(), containerId: z.string().optional(), path: z.string() }).optional(),
  /** Nodes whose logs tell more: the task's agent, and the nodes of the log lines shown. */
  nodeLogs: z.array(NodeRefSchema),
});
export type DiagnosisLinks = z.infer<typeof DiagnosisLinksSchema>;

const MesosUsedSchema = z.object({ version: z.string(), assumed: z.boolean() });

const common = {
  taskKey: z.string(),
  /** The moment diagnosed: the status' time, or now for a task stuck in STAGING. */
  at: z.number(),
  /** The status explained; null for a task that never got one. */
  status: StatusEntrySchema.nullable(),
  mesos: MesosUsedSchema,
  timeline: z.array(EvidenceItemSchema),
  links: DiagnosisLinksSchema,
  /** Evidence the doctor could not gather, in words (an attached cluster's Docker endpoint that does not answer). */
  evidenceGaps: z.array(z.string()).optional(),
};

export const DiagnosisSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('diagnosed'),
    ...common,
    ruleId: z.string(),
    title: z.string(),
    cause: z.string(),
    fix: z.string(),
    specChange: SpecChangeSchema.optional(),
  }),
  /** No rule knows this combination: the raw status, never a guess. */
  z.object({
    kind: z.literal('unrecognised'),
    ...common,
    raw: z.object({ state: TaskStateSchema, reason: z.string().optional(), source: TaskSourceSchema.optional(), message: z.string().optional() }),
  }),
  /** Nothing to diagnose: the task is fine, still going, or its terminal status has not arrived yet. */
  z.object({ kind: z.literal('none'), taskKey: z.string(), why: z.enum(['finished', 'active', 'staging', 'awaiting-status']) }),
]);
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
