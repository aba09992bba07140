import { z } from 'zod';
import { IdSchema, MasterInfoSchema, OfferSchema, TaskStatusSchema } from './v1';

/**
 * Events of the v1 scheduler stream (`POST /api/v1/scheduler` SUBSCRIBE, docs/mesos/api.md §3.5) and the
 * FrameworkInfo the app subscribes with (§3.2). Event types the app does not handle
 * (INVERSE_OFFERS, UPDATE_OPERATION_STATUS…) parse as `OtherEvent`.
 */

export const FRAMEWORK_CAPABILITIES = [
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;
export type FrameworkCapability = (typeof FRAMEWORK_CAPABILITIES)[number];

export const FrameworkInfoSchema = z.looseObject({
  user: z.string(),
  name: z.string(),
  id: IdSchema.optional(),
  /** Seconds; Mesos' default 0 tears the framework down when its stream breaks (docs/mesos/api.md §0.7). */
  failover_timeout: z.number().optional(),
  /** Default false: tasks are lost when their agent disconnects (docs/mesos/api.md §0.7). */
  checkpoint: z.boolean().optional(),
  roles: z.array(z.string()).optional(),
  hostname: z.string().optional(),
  principal: z.string().optional(),
  webui_url: z.string().optional(),
  capabilities: z.array(z.object({ type: z.string() })).optional(),
});
export type FrameworkInfo = z.infer<typeof FrameworkInfoSchema>;

export const SubscribedEventSchema = z.looseObject({
  type: z.literal('SUBSCRIBED'),
  subscribed: z.looseObject({
    framework_id: IdSchema,
    heartbeat_interval_seconds: z.number().optional(),
    master_info: MasterInfoSchema.optional(),
  }),
});

export const OffersEventSchema = z.looseObject({
  type: z.literal('OFFERS'),
  offers: z.looseObject({ offers: z.array(OfferSchema).default([]) }),
});

export const RescindEventSchema = z.looseObject({
  type: z.literal('RESCIND'),
  rescind: z.looseObject({ offer_id: IdSchema }),
});

export const UpdateEventSchema = z.looseObject({
  type: z.literal('UPDATE'),
  update: z.looseObject({ status: TaskStatusSchema }),
});

export const MessageEventSchema = z.looseObject({
  type: z.literal('MESSAGE'),
  message: z.looseObject({ agent_id: IdSchema, executor_id: IdSchema, data: z.string() }),
});

export const FailureEventSchema = z.looseObject({
  type: z.literal('FAILURE'),
  failure: z.looseObject({ agent_id: IdSchema.optional(), executor_id: IdSchema.optional(), status: z.number().optional() }),
});

/** The proto nests the message (`error.message`); the docs' flattened example is wrong (docs/mesos/api.md §3.5). */
export const ErrorEventSchema = z.looseObject({
  type: z.literal('ERROR'),
  error: z.looseObject({ message: z.string() }),
});

export const HeartbeatEventSchema = z.looseObject({ type: z.literal('HEARTBEAT') });

const KNOWN_EVENTS = ['SUBSCRIBED', 'OFFERS', 'RESCIND', 'UPDATE', 'MESSAGE', 'FAILURE', 'ERROR', 'HEARTBEAT'] as const;

export const OtherEventSchema = z.looseObject({
  type: z.string().refine((t) => !(KNOWN_EVENTS as readonly string[]).includes(t), 'a known event type with a bad body'),
});

export const SchedulerEventSchema = z.union([
  z.discriminatedUnion('type', [
    SubscribedEventSchema,
    OffersEventSchema,
    RescindEventSchema,
    UpdateEventSchema,
    MessageEventSchema,
    FailureEventSchema,
    ErrorEventSchema,
    HeartbeatEventSchema,
  ]),
  OtherEventSchema,
]);
export type SchedulerEvent = z.infer<typeof SchedulerEventSchema>;
export type SubscribedEvent = z.infer<typeof SubscribedEventSchema>;
export type OffersEvent = z.infer<typeof OffersEventSchema>;
export type UpdateEvent = z.infer<typeof UpdateEventSchema>;
export type FailureEvent = z.infer<typeof FailureEventSchema>;

/** Filters of ACCEPT and DECLINE: `refuse_seconds` defaults to 5 on the master (docs/mesos/api.md §3.3). */
export interface Filters {
  refuse_seconds?: number;
}

/** A TaskInfo as the app sends it (docs/mesos/api.md §3.4); passed through as given. */
export type TaskInfo = {
  name: string;
  task_id: { value: string };
  agent_id?: { value: string };
  resources: unknown[];
} & Record<string, unknown>;
