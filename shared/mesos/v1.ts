import { z } from 'zod';

/**
 * The v1 (protobuf-JSON) shapes of Mesos the app reads: IDs, resources, task states and statuses,
 * offers, tasks (docs/mesos/api.md §2.2, §3.5, §4). Objects are loose: Mesos adds fields across versions,
 * and what the app does not read passes through untouched.
 */

export const IdSchema = z.object({ value: z.string() });
export type Id = z.infer<typeof IdSchema>;

export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
export const TaskStateSchema = z.enum(TASK_STATES);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** `protobuf::isTerminalState` (docs/mesos/api.md §4.1). */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export const TaskSourceSchema = z.enum(['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR']);
export type TaskSource = z.infer<typeof TaskSourceSchema>;

/** Reasons are strings: the enum grows between versions (docs/mesos/api.md §4.3), and an unknown one must still parse. */
export const TaskReasonSchema = z.string().regex(/^REASON_[A-Z_]+$/);

export const TimeInfoSchema = z.object({ nanoseconds: z.number() });

export const ResourceSchema = z.looseObject({
  name: z.string(),
  type: z.enum(['SCALAR', 'RANGES', 'SET', 'TEXT']),
  scalar: z.object({ value: z.number() }).optional(),
  ranges: z.object({ range: z.array(z.object({ begin: z.number(), end: z.number() })) }).optional(),
  set: z.object({ item: z.array(z.string()) }).optional(),
  role: z.string().optional(),
  allocation_info: z.object({ role: z.string() }).optional(),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const ContainerStatusSchema = z.looseObject({
  container_id: IdSchema.optional(),
  network_infos: z
    .array(
      z.looseObject({
        ip_addresses: z.array(z.looseObject({ protocol: z.string().optional(), ip_address: z.string().optional() })).optional(),
        name: z.string().optional(),
      }),
    )
    .optional(),
  executor_pid: z.number().optional(),
});

export const TaskStatusSchema = z.looseObject({
  task_id: IdSchema,
  state: TaskStateSchema,
  message: z.string().optional(),
  source: TaskSourceSchema.optional(),
  reason: TaskReasonSchema.optional(),
  /** base64 (for docker tasks: the `docker inspect` output of TASK_RUNNING). */
  data: z.string().optional(),
  agent_id: IdSchema.optional(),
  executor_id: IdSchema.optional(),
  timestamp: z.number().optional(),
  /** base64; present when the update must be acknowledged (docs/mesos/api.md §0.8). */
  uuid: z.string().optional(),
  healthy: z.boolean().optional(),
  container_status: ContainerStatusSchema.optional(),
  unreachable_time: TimeInfoSchema.optional(),
});
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const MasterInfoSchema = z.looseObject({
  id: z.string(),
  ip: z.number().optional(),
  port: z.number(),
  pid: z.string().optional(),
  hostname: z.string().optional(),
  version: z.string().optional(),
  address: z.looseObject({ hostname: z.string().optional(), ip: z.string().optional(), port: z.number() }).optional(),
});
export type MasterInfo = z.infer<typeof MasterInfoSchema>;

export const OfferSchema = z.looseObject({
  id: IdSchema,
  framework_id: IdSchema,
  agent_id: IdSchema,
  hostname: z.string(),
  url: z
    .looseObject({
      scheme: z.string(),
      address: z.looseObject({ hostname: z.string().optional(), ip: z.string().optional(), port: z.number() }),
      path: z.string().optional(),
    })
    .optional(),
  resources: z.array(ResourceSchema),
  allocation_info: z.object({ role: z.string() }).optional(),
});
export type Offer = z.infer<typeof OfferSchema>;

/** v1 `Task`, as GET_TASKS / GET_STATE / operator events carry it (full statuses, docs/mesos/api.md §2.2). */
export const TaskSchema = z.looseObject({
  name: z.string(),
  task_id: IdSchema,
  framework_id: IdSchema,
  executor_id: IdSchema.optional(),
  agent_id: IdSchema,
  state: TaskStateSchema,
  resources: z.array(ResourceSchema),
  statuses: z.array(TaskStatusSchema).default([]),
  status_update_state: TaskStateSchema.optional(),
  status_update_uuid: z.string().optional(),
});
export type Task = z.infer<typeof TaskSchema>;

export const GetTasksSchema = z.looseObject({
  tasks: z.array(TaskSchema).default([]),
  unreachable_tasks: z.array(TaskSchema).default([]),
  completed_tasks: z.array(TaskSchema).default([]),
});
export type GetTasks = z.infer<typeof GetTasksSchema>;

/** The answer to `{"type":"GET_TASKS"}` on a master's /api/v1. */
export const GetTasksResponseSchema = z.looseObject({ type: z.literal('GET_TASKS'), get_tasks: GetTasksSchema });
