import { z } from 'zod';
import { FrameworkInfoSchema } from '../mesos/scheduler';
import { IdSchema, OfferSchema, ResourceSchema, TaskSchema, TaskStatusSchema } from '../mesos/v1';

/**
 * The v1 operator API shapes the dashboard reads (docs/mesos/api.md §2.2, §2.3) and the v0 `/master/state` subset
 * polled for offers (§1.2–1.4). Every object is loose (fields Mesos adds later pass through), and every
 * repeated field defaults to empty: protobuf JSON omits empty lists (a STAGING task has no `statuses`).
 */

/**
 * int64 as Mesos sends it: a bare JSON number (≈1.8e18 ns, above 2^53, so JSON.parse rounds it; fine
 * for display, docs/mesos/api.md §0.19), or a string as the proto3 JSON mapping allows. Read as a JS number.
 */
export const Int64Schema = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

export const TimeInfoSchema = z.looseObject({ nanoseconds: Int64Schema });
export type TimeInfo = z.infer<typeof TimeInfoSchema>;

/** TimeInfo → ms since the epoch; Mesos writes 0 for "never" (`unregistered_time` of a live framework). */
export const timeInfoMs = (t: TimeInfo | undefined): number | undefined => (t && t.nanoseconds > 0 ? t.nanoseconds / 1e6 : undefined);

const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);

export const AttributeSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  scalar: z.object({ value: z.number() }).optional(),
  ranges: z.object({ range: z.array(z.object({ begin: z.number(), end: z.number() })) }).optional(),
  set: z.object({ item: z.array(z.string()) }).optional(),
  text: z.object({ value: z.string() }).optional(),
});

export const AgentInfoSchema = z.looseObject({
  id: IdSchema,
  hostname: z.string(),
  port: z.number().optional(),
  resources: list(ResourceSchema),
  attributes: list(AttributeSchema),
});

/** `GetAgents.Agent` (also the body of AGENT_ADDED). */
export const OperatorAgentSchema = z.looseObject({
  agent_info: AgentInfoSchema,
  active: z.boolean().default(true),
  deactivated: z.boolean().optional(),
  version: z.string().optional(),
  pid: z.string().optional(),
  registered_time: TimeInfoSchema.optional(),
  reregistered_time: TimeInfoSchema.optional(),
  total_resources: list(ResourceSchema),
  allocated_resources: list(ResourceSchema),
  offered_resources: list(ResourceSchema),
  capabilities: list(z.looseObject({ type: z.string() })),
});
export type OperatorAgent = z.infer<typeof OperatorAgentSchema>;

/** `GetFrameworks.Framework` (also the body of FRAMEWORK_ADDED / FRAMEWORK_UPDATED). */
export const OperatorFrameworkSchema = z.looseObject({
  framework_info: FrameworkInfoSchema,
  active: z.boolean().default(true),
  connected: z.boolean().default(true),
  recovered: z.boolean().default(false),
  registered_time: TimeInfoSchema.optional(),
  reregistered_time: TimeInfoSchema.optional(),
  unregistered_time: TimeInfoSchema.optional(),
  offers: list(OfferSchema),
});
export type OperatorFramework = z.infer<typeof OperatorFrameworkSchema>;

/** v1 Task, tolerant of an omitted `resources` as well. */
export const OperatorTaskSchema = TaskSchema.extend({ resources: list(ResourceSchema) });
export type OperatorTask = z.infer<typeof OperatorTaskSchema>;

export const GetStateSchema = z.looseObject({
  get_tasks: z
    .looseObject({ tasks: list(OperatorTaskSchema), unreachable_tasks: list(OperatorTaskSchema), completed_tasks: list(OperatorTaskSchema) })
    .default({ tasks: [], unreachable_tasks: [], completed_tasks: [] }),
  get_frameworks: z
    .looseObject({ frameworks: list(OperatorFrameworkSchema), completed_frameworks: list(OperatorFrameworkSchema) })
    .default({ frameworks: [], completed_frameworks: [] }),
  get_agents: z.looseObject({ agents: list(OperatorAgentSchema), recovered_agents: list(z.unknown()) }).default({ agents: [], recovered_agents: [] }),
});
export type GetState = z.infer<typeof GetStateSchema>;

/** The answer to `{"type":"GET_STATE"}`. */
export const GetStateResponseSchema = z.looseObject({ type: z.literal('GET_STATE'), get_state: GetStateSchema });

/** The events of the operator SUBSCRIBE stream (docs/mesos/api.md §2.3), one schema per type. */
export const OPERATOR_EVENT_SCHEMAS = {
  SUBSCRIBED: z.looseObject({
    type: z.literal('SUBSCRIBED'),
    subscribed: z.looseObject({ get_state: GetStateSchema, heartbeat_interval_seconds: z.number().optional() }),
  }),
  HEARTBEAT: z.looseObject({ type: z.literal('HEARTBEAT') }),
  TASK_ADDED: z.looseObject({ type: z.literal('TASK_ADDED'), task_added: z.looseObject({ task: OperatorTaskSchema }) }),
  TASK_UPDATED: z.looseObject({
    type: z.literal('TASK_UPDATED'),
    // `status` is the update in flight to the scheduler, `state` the agent's latest: they differ while
    // the scheduler is slow to acknowledge (docs/mesos/api.md §2.3).
    task_updated: z.looseObject({ framework_id: IdSchema, status: TaskStatusSchema, state: TaskStatusSchema.shape.state.optional() }),
  }),
  AGENT_ADDED: z.looseObject({ type: z.literal('AGENT_ADDED'), agent_added: z.looseObject({ agent: OperatorAgentSchema }) }),
  AGENT_REMOVED: z.looseObject({ type: z.literal('AGENT_REMOVED'), agent_removed: z.looseObject({ agent_id: IdSchema }) }),
  FRAMEWORK_ADDED: z.looseObject({ type: z.literal('FRAMEWORK_ADDED'), framework_added: z.looseObject({ framework: OperatorFrameworkSchema }) }),
  FRAMEWORK_UPDATED: z.looseObject({ type: z.literal('FRAMEWORK_UPDATED'), framework_updated: z.looseObject({ framework: OperatorFrameworkSchema }) }),
  FRAMEWORK_REMOVED: z.looseObject({ type: z.literal('FRAMEWORK_REMOVED'), framework_removed: z.looseObject({ framework_info: FrameworkInfoSchema }) }),
} as const;

type Known = { [K in keyof typeof OPERATOR_EVENT_SCHEMAS]: z.infer<(typeof OPERATOR_EVENT_SCHEMAS)[K]> };
/** An event type this version does not know (a newer Mesos): passed on, ignored by the model. */
export interface UnknownOperatorEvent {
  type: string;
  unknown: true;
}
export type OperatorEvent = Known[keyof Known] | UnknownOperatorEvent;
export type OperatorEventOf<K extends keyof Known> = Known[K];

export type ParsedEvent = { ok: true; event: OperatorEvent } | { ok: false; error: string };

/** Validates one decoded record; never throws. */
export function parseOperatorEvent(json: unknown): ParsedEvent {
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return { ok: false, error: 'operator event without a string "type"' };
  const schema = (OPERATOR_EVENT_SCHEMAS as Record<string, z.ZodType>)[type];
  if (!schema) return { ok: true, event: { type, unknown: true } };
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `malformed ${type} event: ${z.prettifyError(parsed.error)}` };
  return { ok: true, event: parsed.data as OperatorEvent };
}

/** v0 resources (`{"cpus":0.1,"mem":32,"ports":"[31000-31000]"}`, docs/mesos/api.md §1.6). */
const V0ResourcesSchema = z.record(z.string(), z.union([z.number(), z.string()]));

/** The subset of `/master/state` the dashboard polls: offers (never in the stream, §0.13), agents, leader. */
export const MasterStateSchema = z.looseObject({
  id: z.string().optional(),
  hostname: z.string().optional(),
  pid: z.string().optional(),
  leader_info: z.looseObject({ hostname: z.string().optional(), port: z.number().optional(), id: z.string().optional() }).optional(),
  unreachable_slaves: z.number().optional(),
  slaves: list(
    z.looseObject({
      id: z.string(),
      hostname: z.string().optional(),
      active: z.boolean().optional(),
      deactivated: z.boolean().optional(),
      offered_resources: V0ResourcesSchema.optional(),
    }),
  ),
  frameworks: list(
    z.looseObject({
      id: z.string(),
      offers: list(z.looseObject({ id: z.string(), framework_id: z.string(), slave_id: z.string(), resources: V0ResourcesSchema.default({}) })),
    }),
  ),
});
export type MasterState = z.infer<typeof MasterStateSchema>;

/** `/metrics/snapshot`: a flat map of numbers (§1.7); anything else in it is dropped. */
export const MetricsSnapshotSchema = z.record(z.string(), z.unknown()).transform((m) => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
});
