import { z } from 'zod';
import { ImageReferenceSchema } from '../image-reference';
import { TaskSourceSchema, TaskStateSchema } from '../mesos/v1';

/**
 * The built-in framework ("mesoscope") as the UI drives it: what a run asks for, and the live view of
 * the framework's subscriptions, its offer decisions and the updates it received.
 */

export const ClusterNameSchema = z.string().min(1).max(64);

/**
 * A framework's FrameworkInfo options. `checkpoint` cannot change after SUBSCRIBE (docs/mesos/api.md §3.3), so
 * each combination is its own framework (all named "mesoscope"), subscribed on first use.
 */
export const FrameworkVariantSchema = z
  .object({
    /** On (the default): tasks survive an agent restart; off: they are LOST the moment their agent disconnects (docs/mesos/api.md §0.7). */
    checkpoint: z.boolean().default(true),
    /** Off (the default): the classic TASK_LOST; on: UNREACHABLE / DROPPED / GONE (docs/mesos/api.md §4.4). */
    partitionAware: z.boolean().default(false),
  })
  .strict();
export type FrameworkVariant = z.output<typeof FrameworkVariantSchema>;

export const variantKey = (v: FrameworkVariant): string => `${v.checkpoint ? 'ckpt' : 'nockpt'}${v.partitionAware ? '+pa' : ''}`;
export const variantLabel = (v: FrameworkVariant): string =>
  `${v.checkpoint ? 'checkpoint on' : 'checkpoint off'}, ${v.partitionAware ? 'partition-aware' : 'legacy (TASK_LOST)'}`;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const Env = z.record(z.string(), z.string().max(4096)).superRefine((env, ctx) => {
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'environment names are letters, digits and _, not starting with a digit' });
  }
});

export const FetchUriSchema = z
  .object({
    value: z.string().regex(/^(https?|file):\/\/\S+$/, 'must be an http://, https:// or file:// URI'),
    /** chmod +x after fetching (an executor or a script). */
    executable: z.boolean().default(false),
    /** Unpack archives (.tar.gz, .tgz, .zip…) into the sandbox. */
    extract: z.boolean().default(true),
  })
  .strict();

export const RunRequestSchema = z
  .object({
    cluster: ClusterNameSchema,
    /** The task's name; task ids are `<name>-<run>-<n>`. */
    name: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/, 'must be 1-48 letters, digits, dots, dashes or underscores, starting with a letter or digit'),
    /** A Docker image: the docker containerizer runs it. Left out: a plain command (the Mesos containerizer). */
    image: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(ImageReferenceSchema.optional()),
    /** shell: `/bin/sh -c <command>` replaces the entrypoint (docs/mesos/api.md §0.15); image: the image's entrypoint with the arguments. */
    entrypoint: z.enum(['shell', 'image']).default('shell'),
    /** shell: the command line; image: the arguments, one per line. */
    command: z.string().max(10_000).default(''),
    cpus: z.number().gt(0, 'must be > 0').max(64, 'must be <= 64').default(0.1),
    /** MB */
    mem: z.number().min(4, 'must be >= 4 MB').max(1_048_576).default(32),
    instances: z.number().int('must be a whole number').min(1, 'must be >= 1').max(50, 'must be <= 50').default(1),
    env: Env.default({}),
    /** Launch only on this agent (its Mesos id). */
    agentId: z.string().min(1).optional(),
    /** Kill each task this long after it reaches RUNNING (as mesos-execute --kill_after). */
    killAfterSecs: z.number().positive('must be > 0').max(86_400).optional(),
    /** Fetched into the sandbox before the task starts (CommandInfo.uris). */
    uris: z.array(FetchUriSchema).max(20).default([]),
    framework: FrameworkVariantSchema.prefault({}),
    /** Give up when no offer can hold a task within this long. */
    offerTimeoutSecs: z.number().min(1).max(600).default(30),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.entrypoint === 'shell' && r.command.trim() === '') ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command is needed with the shell entrypoint' });
    if (r.entrypoint === 'image' && !r.image) ctx.addIssue({ code: 'custom', path: ['entrypoint'], message: "the image's entrypoint needs a Docker image" });
  });
export type RunRequestInput = z.input<typeof RunRequestSchema>;
export type RunRequest = z.output<typeof RunRequestSchema>;

export const LaunchedSchema = z.object({
  frameworkId: z.string(),
  tasks: z.array(z.object({ taskId: z.string(), agentId: z.string(), offerId: z.string() })),
});
export type Launched = z.infer<typeof LaunchedSchema>;

export const FrameworkStateSchema = z.enum(['subscribing', 'subscribed', 'reconnecting', 'failed', 'closed']);

export const FrameworkStatusSchema = z.object({
  key: z.string(),
  variant: FrameworkVariantSchema,
  name: z.string(),
  /** Known after the first SUBSCRIBED; kept (and resubscribed with) across stream breaks and app restarts. */
  id: z.string().optional(),
  state: FrameworkStateSchema,
  error: z.string().optional(),
  subscribedAt: z.number().optional(),
  /** SUBSCRIBED again with the same id after a broken stream (a master failover, an app restart). */
  resubscriptions: z.number().int(),
  /** The scheduler endpoint of the leader it is subscribed to. */
  endpoint: z.string().optional(),
  failoverTimeoutSecs: z.number(),
  /** It told the master to stop sending offers (SUPPRESS) and has not revived since. */
  suppressed: z.boolean().optional(),
});
export type FrameworkStatus = z.infer<typeof FrameworkStatusSchema>;

/** What the framework did with an offer (it knows what a poll of the master cannot). */
export const OfferDecisionSchema = z.object({
  offerId: z.string(),
  frameworkId: z.string(),
  agentId: z.string(),
  hostname: z.string(),
  cpus: z.number(),
  mem: z.number(),
  at: z.number(),
  outcome: z.enum(['accepted', 'declined', 'rescinded']),
  taskIds: z.array(z.string()).optional(),
  /** The DECLINE's (or ACCEPT's) filter: the master offers this agent's resources again after this long, or on REVIVE. */
  refuseSeconds: z.number().optional(),
  why: z.string(),
});
export type OfferDecision = z.infer<typeof OfferDecisionSchema>;

/** An UPDATE the framework received (reconciliation answers included, which the operator stream never shows). */
export const ReceivedUpdateSchema = z.object({
  frameworkId: z.string(),
  taskId: z.string(),
  state: TaskStateSchema,
  reason: z.string().optional(),
  source: TaskSourceSchema.optional(),
  message: z.string().optional(),
  agentId: z.string().optional(),
  at: z.number(),
});
export type ReceivedUpdate = z.infer<typeof ReceivedUpdateSchema>;

export const PendingRunSchema = z.object({
  runId: z.string(),
  name: z.string(),
  frameworkKey: z.string(),
  waiting: z.number().int(),
  agentId: z.string().optional(),
  since: z.number(),
  /** What each waiting task needs (the funnel checks agents and offers against it). */
  cpus: z.number(),
  mem: z.number(),
});

export const RunsViewSchema = z.object({
  cluster: z.string(),
  frameworks: z.array(FrameworkStatusSchema),
  /** Newest last, bounded. */
  offers: z.array(OfferDecisionSchema),
  /** Newest last, bounded. */
  updates: z.array(ReceivedUpdateSchema),
  pending: z.array(PendingRunSchema),
});
export type RunsView = z.infer<typeof RunsViewSchema>;

export const emptyRunsView = (cluster: string): RunsView => ({ cluster, frameworks: [], offers: [], updates: [], pending: [] });
