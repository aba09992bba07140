import { z } from 'zod';
import { FAULT_IDS } from '../faults/catalog';
import { ImageReferenceSchema } from '../image-reference';
import { TaskStateSchema } from '../mesos/v1';
import { HealthCheckSpecSchema } from '../services/schemas';

/**
 * A guided tour, as data: a list of scenes, each a narration card, an action the presenter triggers,
 * the outcome to wait for (bounded) and what to point at in the UI when it lands. One file per tour in
 * shared/tours/data, validated with these schemas when it is loaded (docs/tours.md describes each field).
 */

/** A name a scene gives to the task its action starts, so later scenes can point at it. */
const Ref = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or dashes, starting with a letter');
const AgentIndex = z.number().int('must be a whole number').min(1, 'must be >= 1').max(5, 'must be <= 5');
const Variant = z.object({ checkpoint: z.boolean().default(true), partitionAware: z.boolean().default(false) }).strict().prefault({});
const Duration = z.string().regex(/^\d+(secs|ms)$/, 'must be a duration such as 1secs or 500ms');

/** The cluster a tour launches: only its shape and timers (images come from Settings; no flags, nothing unsafe). */
export const TourClusterSchema = z
  .object({
    masters: z.union([z.literal(1), z.literal(3)]).default(1),
    agents: z.number().int().min(1, 'must be >= 1').max(5, 'must be <= 5').default(2),
    timers: z.object({ agentPingTimeout: Duration, maxAgentPingTimeouts: z.number().int().min(1).max(10) }).strict().optional(),
  })
  .strict();
export type TourCluster = z.output<typeof TourClusterSchema>;

/** What the presenter triggers. */
export const TourActionSchema = z.discriminatedUnion('do', [
  /** Launch the tour's cluster (its `cluster` preset); the cluster of an earlier run of the tour is removed first. */
  z.object({ do: z.literal('launch') }).strict(),
  /** Run tasks with the built-in framework, in the framework variant given (each variant is its own framework). */
  z
    .object({
      do: z.literal('run'),
      as: Ref,
      command: z.string().min(1).max(500),
      instances: z.number().int().min(1).max(10).default(1),
      cpus: z.number().gt(0).max(4).default(0.1),
      mem: z.number().min(4).max(1024).default(32),
      framework: Variant,
      /** Resolve once the tasks reach this state (default: launched). */
      until: TaskStateSchema.optional(),
    })
    .strict(),
  /** A fault of the Faults tab (docs/mesos/faults.md), on agent N, in the framework variant given. */
  z
    .object({
      do: z.literal('fault'),
      as: Ref,
      fault: z.enum(FAULT_IDS),
      agent: AgentIndex.optional(),
      framework: Variant,
    })
    .strict(),
  /** Undo a node fault (start or unpause the node, reconnect it). */
  z.object({ do: z.literal('undo'), fault: z.enum(['stop-agent', 'pause-agent', 'cut-agent-network', 'stop-leader']), agent: AgentIndex.optional() }).strict(),
  /** Create a service (services.create): a Docker image kept at `instances`, BRIDGE ports, a health check. `as` is its id. */
  z
    .object({
      do: z.literal('service'),
      as: Ref,
      /** The image the tour suggests; the presenter may run another (tours.start serviceImage). */
      image: ImageReferenceSchema,
      instances: z.number().int().min(1).max(5).default(2),
      cpus: z.number().gt(0).max(4).default(0.1),
      mem: z.number().min(4).max(1024).default(64),
      /** The ports inside the container; each gets a host port from an offer's `ports` range. */
      ports: z.array(z.object({ containerPort: z.number().int().min(1).max(65_535), name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/).optional() }).strict()).min(1).max(3),
      healthCheck: HealthCheckSpecSchema.optional(),
    })
    .strict(),
  /** Kill instance N of a service (runs.kill on its task): the service relaunches it in the same slot. */
  z.object({ do: z.literal('kill-instance'), service: Ref, instance: z.number().int().min(1).max(5) }).strict(),
]);
export type TourAction = z.output<typeof TourActionSchema>;

const Within = z.number().int().min(1, 'must be >= 1').max(300, 'must be <= 300');

/** What the scene waits for after its action, at most `withinSecs`. */
export const TourOutcomeSchema = z.discriminatedUnion('see', [
  /** Every node ready and every agent active in the leader's view. */
  z.object({ see: z.literal('cluster-ready'), withinSecs: Within.default(120) }).strict(),
  /** Every task of `task` in `state`. */
  z.object({ see: z.literal('task-state'), task: Ref, state: TaskStateSchema, withinSecs: Within.default(60) }).strict(),
  /** The fault's task went through what docs/mesos/faults.md says, in time (the Faults tab's judge). */
  z.object({ see: z.literal('fault-outcome'), task: Ref, withinSecs: Within.default(90) }).strict(),
  /** Agent N active (again) in the leader's view. */
  z.object({ see: z.literal('agent-active'), agent: AgentIndex, withinSecs: Within.default(60) }).strict(),
  /** At least `count` frameworks subscribed (a second framework sharing the agents). */
  z.object({ see: z.literal('frameworks'), count: z.number().int().min(1).max(10), withinSecs: Within.default(60) }).strict(),
  /** An offer declined with a refuse filter, in the framework's own offer history. */
  z.object({ see: z.literal('offer-declined'), withinSecs: Within.default(60) }).strict(),
  /** A leader other than the one before the action. */
  z.object({ see: z.literal('leader-changed'), withinSecs: Within.default(60) }).strict(),
  /** The built-in framework subscribed again with the same id (after a master failover). */
  z.object({ see: z.literal('framework-resubscribed'), withinSecs: Within.default(90) }).strict(),
  /** Every instance of the service RUNNING (and healthy, when it has a health check), each with its endpoints. */
  z.object({ see: z.literal('service-running'), service: Ref, withinSecs: Within.default(90) }).strict(),
  /** The instance the last kill-instance killed is RUNNING again in its slot, as a new task, on another endpoint. */
  z.object({ see: z.literal('service-relaunched'), service: Ref, withinSecs: Within.default(60) }).strict(),
]);
export type TourOutcome = z.output<typeof TourOutcomeSchema>;

export const TOUR_TABS = ['nodes', 'overview', 'tasks', 'frameworks', 'offers', 'services', 'endpoints', 'faults'] as const;
export type TourTab = (typeof TOUR_TABS)[number];

/** What to point at when the outcome lands: a tab, and in it a task's row (with its doctor verdict) or a node. */
export const TourHighlightSchema = z
  .object({
    tab: z.enum(TOUR_TABS),
    task: Ref.optional(),
    /** Show the doctor's verdict on `task` beside the narration. */
    verdict: z.boolean().default(false),
    /** agent-N, master-N or zookeeper. */
    node: z.string().regex(/^(agent-\d|master-\d|zookeeper)$/).optional(),
  })
  .strict()
  .refine((h) => !h.verdict || h.task, { message: 'a verdict needs the task it is about', path: ['verdict'] });
export type TourHighlight = z.output<typeof TourHighlightSchema>;

export const TourSceneSchema = z
  .object({
    title: z.string().min(1).max(80),
    /** Two or three sentences: what to look at, what Mesos is doing. */
    narration: z.string().min(1).max(700),
    action: TourActionSchema.optional(),
    expect: TourOutcomeSchema.optional(),
    highlight: TourHighlightSchema.optional(),
  })
  .strict()
  .refine((s) => !s.expect || s.action, { message: 'an outcome needs an action to wait after', path: ['expect'] });
export type TourScene = z.output<typeof TourSceneSchema>;

export const TourSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits or dashes'),
    title: z.string().min(1).max(60),
    summary: z.string().min(1).max(300),
    cluster: TourClusterSchema,
    scenes: z.array(TourSceneSchema).min(1).max(30),
  })
  .strict()
  .superRefine((tour, ctx) => {
    // A scene may point only at tasks an earlier (or its own) action named, and act only on agents the cluster has.
    const named = new Set<string>();
    const services = new Map<string, number>();
    const killed = new Set<string>();
    tour.scenes.forEach((scene, i) => {
      const a = scene.action;
      if (a && (a.do === 'run' || a.do === 'fault')) named.add(a.as);
      if (a?.do === 'service') {
        if (services.has(a.as)) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'action', 'as'], message: `an earlier scene creates the service "${a.as}" already` });
        services.set(a.as, a.instances);
      }
      if (a?.do === 'kill-instance') {
        const instances = services.get(a.service);
        if (instances === undefined) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'action', 'service'], message: `no earlier scene creates a service named "${a.service}"` });
        else if (a.instance > instances) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'action', 'instance'], message: `the service "${a.service}" has ${instances} instances` });
        killed.add(a.service);
      }
      const e = scene.expect;
      if ((e?.see === 'service-running' || e?.see === 'service-relaunched') && !services.has(e.service)) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'expect', 'service'], message: `no earlier scene creates a service named "${e.service}"` });
      } else if (e?.see === 'service-relaunched' && !killed.has(e.service)) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'expect', 'service'], message: `no earlier scene kills an instance of "${e.service}"` });
      }
      if (a && 'agent' in a && a.agent !== undefined && a.agent > tour.cluster.agents) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'action', 'agent'], message: `the tour's cluster has ${tour.cluster.agents} agents` });
      }
      if (scene.expect?.see === 'agent-active' && scene.expect.agent > tour.cluster.agents) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'expect', 'agent'], message: `the tour's cluster has ${tour.cluster.agents} agents` });
      }
      const refs: Array<[string | undefined, PropertyKey[]]> = [
        [scene.expect && 'task' in scene.expect ? scene.expect.task : undefined, ['expect', 'task']],
        [scene.highlight?.task, ['highlight', 'task']],
      ];
      for (const [ref, path] of refs) {
        if (ref !== undefined && !named.has(ref)) ctx.addIssue({ code: 'custom', path: ['scenes', i, ...path], message: `no earlier scene starts a task named "${ref}"` });
      }
      if (a?.do === 'fault' && a.fault === 'stop-leader' && tour.cluster.masters !== 3) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'action', 'fault'], message: 'stop-leader needs 3 masters' });
      }
    });
    if (tour.scenes[0]?.action?.do !== 'launch') ctx.addIssue({ code: 'custom', path: ['scenes', 0, 'action'], message: 'the first scene launches the cluster (do: launch)' });
  });
export type Tour = z.output<typeof TourSchema>;
export type TourInput = z.input<typeof TourSchema>;
