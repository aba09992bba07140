import { z } from 'zod';
import { ImageReferenceSchema } from '../image-reference';
import { type FieldIssue, fieldIssues } from '../validation';
import { unsafeFlagIssues } from './unsafe-flags';

/**
 * A cluster as the user declares it. Everything but the name has a default, so
 * `{"name":"demo"}` is a whole cluster. Refusals name the field and the rule, e.g.
 * `agents.list[2].resources.mem: must be >= 32`.
 */

export const MAX_AGENTS = 20;

/**
 * Real images by default (see docs/mesos/images.md): avhost/mesos-mini is the only current,
 * multi-arch image with mesos-master, mesos-agent and a docker client new enough for today's daemons;
 * ZooKeeper is the official image, pinned to the 3.8 line because Mesos' own 3.4-era ZooKeeper client
 * is not documented against newer servers.
 */
export const DEFAULT_IMAGES = {
  zookeeper: 'zookeeper:3.8.6',
  master: 'avhost/mesos-mini:v1.11.0-0.8.0',
  agent: 'avhost/mesos-mini:v1.11.0-0.8.0',
} as const;

const MESOS_DURATION = /^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$/;
const duration = (fallback: string) =>
  z.string().regex(MESOS_DURATION, 'must be a Mesos duration such as 10secs, 5mins or 1hrs').default(fallback);

const image = (fallback: string) => ImageReferenceSchema.default(fallback);

/** Extra Mesos flags, as `name: value` without the leading `--` (they become MESOS_<NAME> variables). */
const Flags = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'flag names are lower_snake_case, without the leading --'),
    z.union([z.string(), z.number(), z.boolean()]).transform(String),
  )
  .default({});

/** GLOG_v for the node's Mesos process: 0 is Mesos' default, 1-3 add detail. */
const Verbose = z.number().int('must be a whole number').min(0, 'must be >= 0').max(3, 'must be <= 3').default(0);

/** A fixed host port; left out, the engine picks a free one (the customary one when free). */
const FixedPort = z.number().int('must be a whole number').min(1024, 'must be >= 1024').max(65535, 'must be <= 65535').optional();

const PortRange = z
  .object({
    begin: z.number().int().min(1024, 'must be >= 1024').max(65535, 'must be <= 65535'),
    end: z.number().int().min(1024, 'must be >= 1024').max(65535, 'must be <= 65535'),
  })
  .strict()
  .refine((r) => r.end >= r.begin, { message: 'must be >= begin', path: ['end'] });

export const AgentResourcesSchema = z
  .object({
    cpus: z.number().gt(0, 'must be > 0').max(256, 'must be <= 256').default(1),
    /** MB, as Mesos counts it */
    mem: z.number().int('must be a whole number of MB').min(32, 'must be >= 32').default(1024),
    /** MB */
    disk: z.number().int('must be a whole number of MB').min(0, 'must be >= 0').default(4096),
    /** Task ports this agent offers; the engine allocates a distinct range when left out. */
    ports: PortRange.optional(),
  })
  .strict();

const Attributes = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]+$/, 'attribute names are letters, digits, _ . or -'),
    z.union([z.string().regex(/^[^;:]+$/, 'must not contain ; or :'), z.number()]),
  )
  .default({});

const agentFields = {
  resources: AgentResourcesSchema.prefault({}),
  attributes: Attributes,
  flags: Flags,
  verbose: Verbose,
};

export const AgentSpecSchema = z.object(agentFields).strict();

/** Agents by count (all alike: the fields here apply to each) or as a list of individual agents. */
const Agents = z
  .object({
    /** The first agent's HTTP port; other agents take free ports from 5051 up. */
    port: FixedPort,
    count: z.number().int('must be a whole number').min(1, 'must be >= 1').max(MAX_AGENTS, `must be <= ${MAX_AGENTS}`).optional(),
    list: z.array(AgentSpecSchema).min(1, 'must hold at least one agent').max(MAX_AGENTS, `must hold at most ${MAX_AGENTS} agents`).optional(),
    ...agentFields,
  })
  .strict()
  .superRefine((agents, ctx) => {
    if (agents.count !== undefined && agents.list !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['list'], message: 'give either count or list, not both' });
    }
  });

const Masters = z
  .object({
    /** The first master's HTTP port; other masters take free ports from 5050 up. */
    port: FixedPort,
    count: z
      .number()
      .refine((n) => n === 1 || n === 3, 'must be 1 or 3')
      .default(1),
    flags: Flags,
    verbose: Verbose,
  })
  .strict();

export const ClusterSpecSchema = z
  .object({
    name: z
      .string({ error: 'must be a string' })
      .regex(
        /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/,
        'must be 1-32 lowercase letters, digits or dashes, starting and ending with a letter or digit',
      ),
    zookeeper: z.object({ port: FixedPort }).strict().prefault({}),
    masters: Masters.prefault({}),
    agents: Agents.prefault({}),
    images: z
      .object({
        zookeeper: image(DEFAULT_IMAGES.zookeeper),
        master: image(DEFAULT_IMAGES.master),
        agent: image(DEFAULT_IMAGES.agent),
      })
      .strict()
      .prefault({}),
    /** auto: host networking on Linux, a bridge network per cluster on Docker Desktop. */
    network: z.enum(['auto', 'host', 'bridge']).default('auto'),
    pullPolicy: z.enum(['always', 'if-missing', 'never']).default('if-missing'),
    timers: z
      .object({
        /** Includes the image pull (docs/mesos/api.md §0.16): generous by default. */
        executorRegistrationTimeout: duration('5mins'),
        agentPingTimeout: duration('15secs'),
        maxAgentPingTimeouts: z.number().int().min(1, 'must be >= 1').max(100, 'must be <= 100').default(5),
      })
      .strict()
      .prefault({}),
    /** Run agents privileged: only for the linux launcher or cgroups isolation; many hosts refuse it. */
    privilegedAgents: z.boolean().default(false),
    /**
     * Flags that decide where nodes listen, whom they talk to, what they load or mount (unsafe-flags.ts)
     * are refused unless named here. Shown in red before such a spec runs.
     */
    allowUnsafeFlags: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'flag names are lower_snake_case, without the leading --'))
      .max(64, 'must list at most 64 flags')
      .default([]),
  })
  .strict();

export type ClusterSpecInput = z.input<typeof ClusterSpecSchema>;
export type ClusterSpec = z.output<typeof ClusterSpecSchema>;
export type AgentSpec = z.output<typeof AgentSpecSchema>;
export type AgentSpecInput = z.input<typeof AgentSpecSchema>;

export type SpecValidation = { ok: true; spec: ClusterSpec } | { ok: false; issues: FieldIssue[] };

/**
 * The spec as the engine will run it, or every problem with its field. Beyond the schema, flags that
 * would hand the host to whoever wrote the spec are refused unless the spec opts in (unsafe-flags.ts).
 */
export function validateSpec(input: unknown): SpecValidation {
  const result = ClusterSpecSchema.safeParse(input);
  if (!result.success) return { ok: false, issues: fieldIssues(result.error) };
  const unsafe = unsafeFlagIssues(result.data);
  return unsafe.length > 0 ? { ok: false, issues: unsafe } : { ok: true, spec: result.data };
}

/** The quorum of the replicated log: a majority of the masters. */
export function quorumOf(spec: ClusterSpec): number {
  return Math.floor(spec.masters.count / 2) + 1;
}

/** One entry per agent, whether the spec gives a count or a list. */
export function agentsOf(spec: ClusterSpec): AgentSpec[] {
  const { list, count, resources, attributes, flags, verbose } = spec.agents;
  if (list) return list;
  return Array.from({ length: count ?? 1 }, () => ({ resources, attributes, flags, verbose }));
}
