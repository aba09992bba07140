import { z } from 'zod';
import { TaskSourceSchema, TaskStateSchema } from '../mesos/v1';

/**
 * The normalized live view of one cluster, as the main process folds it from the operator stream,
 * the offer polls and the metric samples (ARCHITECTURE.md §2). Plain data, cloneable over IPC.
 * Every time is ms since the epoch (`…At`); resources are Mesos units (cpus, mem and disk in MB).
 */

export const ScalarsSchema = z.object({ cpus: z.number(), mem: z.number(), disk: z.number(), gpus: z.number() });
export type Scalars = z.infer<typeof ScalarsSchema>;
export const ZERO_SCALARS: Scalars = Object.freeze({ cpus: 0, mem: 0, disk: 0, gpus: 0 });

/** Scalars plus the port ranges as Mesos prints them (`[31000-31099]`). */
export const ResourcesSchema = ScalarsSchema.extend({ ports: z.string().optional() });
export type Resources = z.infer<typeof ResourcesSchema>;

/**
 * `disconnected`: its tasks were lost with REASON_AGENT_DISCONNECTED (or /master/state says inactive);
 * `unreachable`: marked so after missed pings (no event says so, docs/mesos/api.md §0.13: inferred from the
 * master's TASK_LOST/UNREACHABLE "health check timed out", or from its absence in /master/state);
 * AGENT_ADDED brings it back to `active`. `deactivated`: drained or deactivated by an operator.
 */
export const AgentStateSchema = z.enum(['active', 'disconnected', 'unreachable', 'deactivated']);
export type AgentState = z.infer<typeof AgentStateSchema>;

export const AgentSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  port: z.number().optional(),
  pid: z.string().optional(),
  version: z.string().optional(),
  state: AgentStateSchema,
  registeredAt: z.number().optional(),
  reregisteredAt: z.number().optional(),
  total: ResourcesSchema,
  /** Sum of the resources of its tasks that still hold them (non-terminal, not unreachable). */
  allocated: ScalarsSchema,
  /** Sum of its outstanding offers (from the offer polls; zero while nobody watches offers). */
  offered: ScalarsSchema,
  /** Text, scalar, ranges and set attributes, all rendered as text. */
  attributes: z.record(z.string(), z.string()),
  capabilities: z.array(z.string()),
});
export type Agent = z.infer<typeof AgentSchema>;

export const FrameworkStateSchema = z.enum(['active', 'inactive', 'disconnected', 'removed']);
export type FrameworkState = z.infer<typeof FrameworkStateSchema>;

export const FrameworkSchema = z.object({
  id: z.string(),
  name: z.string(),
  user: z.string().optional(),
  principal: z.string().optional(),
  hostname: z.string().optional(),
  webuiUrl: z.string().optional(),
  state: FrameworkStateSchema,
  roles: z.array(z.string()),
  capabilities: z.array(z.string()),
  checkpoint: z.boolean(),
  failoverTimeoutSecs: z.number(),
  registeredAt: z.number().optional(),
  reregisteredAt: z.number().optional(),
  unregisteredAt: z.number().optional(),
  allocated: ScalarsSchema,
  offered: ScalarsSchema,
  /** How many of its known tasks are in each state. */
  taskCounts: z.partialRecord(TaskStateSchema, z.number()),
});
export type Framework = z.infer<typeof FrameworkSchema>;

/** One entry of a task's status history: the full v1 TaskStatus minus `data` and `uuid`. */
export const StatusEntrySchema = z.object({
  state: TaskStateSchema,
  /** The status' own timestamp (`TaskStatus.timestamp`, seconds in Mesos), in ms. */
  at: z.number().optional(),
  source: TaskSourceSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  agentId: z.string().optional(),
  executorId: z.string().optional(),
  containerId: z.string().optional(),
  ip: z.string().optional(),
  healthy: z.boolean().optional(),
  unreachableAt: z.number().optional(),
  /**
   * An attached cluster's status known before Mesoscope attached (from the master's record: the
   * SUBSCRIBED snapshot's GET_TASKS), not seen live; its reason and message are what the master kept.
   */
  beforeAttach: z.literal(true).optional(),
});
export type StatusEntry = z.infer<typeof StatusEntrySchema>;

export const TaskSchema = z.object({
  /** `<framework id>/<task id>`: task ids are unique per framework only. */
  key: z.string(),
  id: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  executorId: z.string().optional(),
  name: z.string(),
  /** The latest state the master knows (the agent's, docs/mesos/api.md §2.3). */
  state: TaskStateSchema,
  /** The state of the update awaiting the scheduler's acknowledgement, when it differs. */
  pendingState: TaskStateSchema.optional(),
  resources: ResourcesSchema,
  /** e.g. `DOCKER local/debian:bookworm`, or absent for a command task. */
  container: z.object({ type: z.string(), image: z.string().optional() }).optional(),
  /** Every status seen, in arrival order (STAGING has none, docs/mesos/api.md §0.9), never twice. */
  statuses: z.array(StatusEntrySchema),
  /** When the model first saw the task (its STAGING has no timestamp). */
  seenAt: z.number(),
  /** The latest status' timestamp, else seenAt. */
  updatedAt: z.number(),
});
export type Task = z.infer<typeof TaskSchema>;

export const OfferSchema = z.object({
  id: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  resources: ResourcesSchema,
  /** The first poll that saw it. */
  firstSeenAt: z.number(),
});
export type Offer = z.infer<typeof OfferSchema>;

/**
 * What became of an offer. `accepted` is inferred (a task of its framework appeared on its agent while
 * it was outstanding) unless our own scheduler says so; `declined` / `rescinded` only when whoever knows
 * says so (our own scheduler, which then adds a `note`); otherwise `gone` (declined, rescinded or
 * expired: the poll cannot tell).
 */
export const OfferOutcomeKindSchema = z.enum(['made', 'accepted', 'declined', 'rescinded', 'gone']);
export const OfferOutcomeSchema = OfferSchema.extend({
  outcome: OfferOutcomeKindSchema,
  at: z.number(),
  /** Keys of the tasks launched on it (accepted). */
  taskKeys: z.array(z.string()).optional(),
  /** What the scheduler that decided says (Mesoscope's built-in framework): for which tasks, or why declined and for how long. */
  note: z.string().optional(),
});
export type OfferOutcome = z.infer<typeof OfferOutcomeSchema>;

export const MasterSchema = z.object({
  /** Base URL, `http://127.0.0.1:5050`. */
  url: z.string(),
  id: z.string().optional(),
  hostname: z.string().optional(),
  version: z.string().optional(),
  leader: z.boolean(),
});
export type Master = z.infer<typeof MasterSchema>;

/**
 * `connecting` before the first SUBSCRIBED; `live` while the stream flows; `reconnecting` once it broke
 * (the view is the last known state); `stale` when reconnecting has failed for a while; `stopped`.
 */
export const ConnectionStateSchema = z.enum(['connecting', 'live', 'reconnecting', 'stale', 'stopped']);
export const ConnectionSchema = z.object({
  state: ConnectionStateSchema,
  since: z.number(),
  /** The last event or heartbeat received. */
  lastEventAt: z.number().optional(),
  leader: z.string().optional(),
  error: z.string().optional(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** The few metrics the dashboard charts (docs/mesos/api.md §1.8). */
export const KEY_METRICS = [
  'master/elected',
  'master/uptime_secs',
  'master/slaves_active',
  'master/slaves_unreachable',
  'master/frameworks_active',
  'master/outstanding_offers',
  'master/tasks_staging',
  'master/tasks_running',
  'master/tasks_finished',
  'master/tasks_failed',
  'master/tasks_lost',
  'master/cpus_percent',
  'master/mem_percent',
] as const;

export const MetricSampleSchema = z.object({ at: z.number(), values: z.record(z.string(), z.number()) });
export type MetricSample = z.infer<typeof MetricSampleSchema>;

export const ClusterViewSchema = z.object({
  connection: ConnectionSchema,
  masters: z.array(MasterSchema),
  agents: z.record(z.string(), AgentSchema),
  frameworks: z.record(z.string(), FrameworkSchema),
  tasks: z.record(z.string(), TaskSchema),
  offers: z.record(z.string(), OfferSchema),
  /** Bounded, oldest first. */
  offerHistory: z.array(OfferOutcomeSchema),
  /** Bounded, oldest first. */
  metrics: z.array(MetricSampleSchema),
});
export type ClusterView = z.infer<typeof ClusterViewSchema>;

export const taskKey = (frameworkId: string, taskId: string) => `${frameworkId}/${taskId}`;
