import { z } from 'zod';
import { AgentSchema, ClusterViewSchema, ConnectionSchema, FrameworkSchema, MasterSchema, MetricSampleSchema, OfferOutcomeSchema, OfferSchema, StatusEntrySchema, TaskSchema } from './view';

/**
 * What the main process sends the renderer about one cluster: small typed deltas, batched. An upsert
 * carries the whole entity, so applying one is a plain replace and applying it twice changes nothing;
 * except a task a subscriber already has, which comes as a `taskUpdate`: the task without its history
 * and only the statuses new since the version that subscriber was sent (a busy task's whole history,
 * again with every health check, was most of what went over the wire at 1,000 updates a second).
 * `snapshot` replaces everything: it is sent first on (re)subscribe and after every resync (a
 * reconnected stream); deltas after it build on it.
 */

export const DeltaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), view: ClusterViewSchema }),
  z.object({ kind: z.literal('agent'), agent: AgentSchema }),
  z.object({ kind: z.literal('agentRemoved'), id: z.string() }),
  z.object({ kind: z.literal('framework'), framework: FrameworkSchema }),
  z.object({ kind: z.literal('task'), task: TaskSchema }),
  /** A task the subscriber has, changed: its fields, and its new statuses to append (bounded: shared/dashboard/history.ts). */
  z.object({ kind: z.literal('taskUpdate'), task: TaskSchema.omit({ statuses: true }), statuses: z.array(StatusEntrySchema) }),
  /** A terminal task dropped from the bounded history. */
  z.object({ kind: z.literal('taskRemoved'), key: z.string() }),
  z.object({ kind: z.literal('offer'), offer: OfferSchema }),
  /** The offer is no longer outstanding; `outcome` is what became of it (also appended to offerHistory). */
  z.object({ kind: z.literal('offerRemoved'), id: z.string(), outcome: OfferOutcomeSchema }),
  /** An entry appended to offerHistory (`made` when first seen). */
  z.object({ kind: z.literal('offerOutcome'), outcome: OfferOutcomeSchema }),
  z.object({ kind: z.literal('masters'), masters: z.array(MasterSchema) }),
  z.object({ kind: z.literal('connection'), connection: ConnectionSchema }),
  z.object({ kind: z.literal('metrics'), sample: MetricSampleSchema }),
]);
export type Delta = z.infer<typeof DeltaSchema>;
export type DeltaKind = Delta['kind'];

export const DeltaBatchSchema = z.object({
  clusterId: z.string(),
  /** Increases by one per batch of a monitor; a gap means a batch was missed: ask for a snapshot. */
  seq: z.number(),
  deltas: z.array(DeltaSchema),
});
export type DeltaBatch = z.infer<typeof DeltaBatchSchema>;
