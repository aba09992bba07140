import { z } from 'zod';
import { AttachedClusterSchema, ConnectionNameSchema, DockerEndpointStatusSchema } from '../attach/connection';
import { defineCall, defineEvent } from './define';

/**
 * Clusters Mesoscope did not start (shared/attach/connection.ts). `attach.add` takes the connection's
 * input unparsed: the host validates it, so a bad field comes back as `invalid-input` naming it, and a
 * refused connection as `refused` with `detail.reason` (unauthorized, unreachable, not-mesos, tls,
 * name-taken, no-leader), a TLS refusal with the fingerprint presented.
 */
/** Whether this machine reaches an agent of an attached cluster (its sandboxes and task output are read from it). */
export const AgentReachSchema = z.object({
  agentId: z.string(),
  /** host:port as the agent registered with its master. */
  address: z.string(),
  reachable: z.boolean(),
  problem: z.string().optional(),
});
export type AgentReach = z.infer<typeof AgentReachSchema>;

export const attachCalls = {
  'attach.list': defineCall({
    description: 'Every attached cluster (its masters, credentials kind and user name, TLS, writes on or off; never a secret).',
    input: z.object({}).strict(),
    output: z.array(AttachedClusterSchema),
  }),
  'attach.add': defineCall({
    description:
      'Attach a Mesos cluster by master URLs or a zk:// URL, with optional basic credentials or a bearer token and TLS (CA file or pinned fingerprint). It is checked first (Mesos answers, a leader, the credentials work); nothing is saved unless it passes.',
    input: z.object({ connection: z.unknown() }).strict(),
    output: AttachedClusterSchema,
  }),
  'attach.remove': defineCall({
    description: 'Forget an attached cluster and its secret (the cluster itself is untouched).',
    input: z.object({ name: ConnectionNameSchema }).strict(),
    output: z.object({}),
  }),
  'attach.setWrites': defineCall({
    description: 'Turn writes (Run, Kill) on or off for an attached cluster. Off, the host refuses them.',
    input: z.object({ name: ConnectionNameSchema, writes: z.boolean() }).strict(),
    output: AttachedClusterSchema,
  }),
  'attach.agents': defineCall({
    description:
      "Whether this machine reaches each agent of an attached cluster (any HTTP answer from its /files counts); an unreachable one comes with its address and why, so its sandboxes are not taken for empty.",
    input: z.object({ name: ConnectionNameSchema }).strict(),
    output: z.array(AgentReachSchema),
  }),
  'attach.docker': defineCall({
    description:
      "The Docker endpoints named for an attached cluster's agents, while its dashboard or doctor runs: which agents each serves, and whether its daemon answers (in words when it does not).",
    input: z.object({ name: ConnectionNameSchema }).strict(),
    output: z.array(DockerEndpointStatusSchema),
  }),
} as const;

export const attachEvents = {
  'attach.changed': defineEvent({
    description: 'Every attached cluster at once, then again after each change (added, removed, writes turned on or off).',
    params: z.object({}).strict(),
    payload: z.array(AttachedClusterSchema),
  }),
} as const;
