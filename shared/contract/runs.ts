import { z } from 'zod';
import { ExpectationSchema } from '../faults/expectation';
import { FAULT_IDS } from '../faults/catalog';
import { ImageReferenceSchema, parseImageReference } from '../image-reference';
import { ClusterNameSchema, FrameworkVariantSchema, LaunchedSchema, RunRequestSchema, RunsViewSchema } from '../runs/schemas';
import { defineCall, defineEvent } from './define';

/** Running tasks with the built-in framework, breaking things on purpose, and serving files to agents. */

export const FaultRequestSchema = z
  .object({
    cluster: ClusterNameSchema,
    fault: z.enum(FAULT_IDS),
    framework: FrameworkVariantSchema.prefault({}),
    /** The fault's parameters (catalog: agent, image, timeout); left out, their defaults. */
    params: z.record(z.string(), z.string().max(500)).default({}),
    /** The image of the task the fault hits, where it starts one (agent and master faults, the OOM task). */
    taskImage: ImageReferenceSchema.default('busybox:1.36'),
  })
  .strict()
  .superRefine((r, ctx) => {
    // The catalog's `image` parameter names the image a fault pulls or runs.
    const image = r.params.image;
    if (image === undefined) return;
    const parsed = parseImageReference(image.trim());
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['params', 'image'], message: parsed.message });
  });
export type FaultRequestInput = z.input<typeof FaultRequestSchema>;

export const InjectionSchema = z.object({
  fault: z.enum(FAULT_IDS),
  cluster: z.string(),
  /** ms since the epoch: when the fault was applied (or the task launched, for task faults). */
  injectedAt: z.number(),
  frameworkId: z.string(),
  taskId: z.string(),
  agentId: z.string().optional(),
  /** The node the fault acted on (container name), if any. */
  node: z.string().optional(),
  /** The leading master before the fault (row 18). */
  leaderBefore: z.string().optional(),
  expectation: ExpectationSchema,
  /** What was done, step by step (the agent added, the image checked…). */
  steps: z.array(z.string()),
});
export type Injection = z.infer<typeof InjectionSchema>;

export const ArtifactSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  size: z.number(),
  url: z.string(),
});

export const ArtifactServerSchema = z.object({
  cluster: z.string(),
  /** The address the server binds, one the agents reach (the --address of the Mesos framework tutorial). */
  address: z.string(),
  /** The host part of URLs as agents use them (differs from `address` on Docker Desktop). */
  urlHost: z.string(),
  port: z.number().nullable(),
  files: z.array(ArtifactSchema),
  /** Why this address, for this cluster's network. */
  note: z.string(),
});
export type ArtifactServerView = z.infer<typeof ArtifactServerSchema>;

const ClusterOnly = z.object({ cluster: ClusterNameSchema }).strict();

export const runCalls = {
  'runs.launch': defineCall({
    description:
      "Run tasks with the built-in framework (subscribed on first use, per checkpoint / partition-aware variant): resolves once every instance is launched on a matching offer; refused when none comes within the run's offer timeout.",
    input: RunRequestSchema,
    output: LaunchedSchema,
  }),
  'runs.kill': defineCall({
    description: 'Kill one task of the built-in framework.',
    input: z.object({ cluster: ClusterNameSchema, frameworkId: z.string().min(1), taskId: z.string().min(1) }).strict(),
    output: z.object({}),
  }),
  'runs.killAll': defineCall({
    description: "Kill every task of the built-in framework on the cluster that is not over yet; resolves with how many were asked to die.",
    input: ClusterOnly,
    output: z.object({ killed: z.number().int() }),
  }),
  'faults.inject': defineCall({
    description:
      'Break something on purpose (docs/mesos/faults.md): start the task the fault hits where it needs one, apply the fault, and resolve with what Mesos will do to the task (the expectation for this framework variant).',
    input: FaultRequestSchema,
    output: InjectionSchema,
  }),
  'faults.undo': defineCall({
    description: "Undo a node fault: unpause or start the node, reconnect the agent's network.",
    input: z.object({ cluster: ClusterNameSchema, node: z.string().min(1), action: z.enum(['unpause', 'start', 'reconnect']) }).strict(),
    output: z.object({}),
  }),
  'artifacts.get': defineCall({
    description: "The cluster's artifact server: where it listens for the agents and the files it serves.",
    input: ClusterOnly,
    output: ArtifactServerSchema,
  }),
  'artifacts.add': defineCall({
    description: 'Serve a file of this machine to the agents over HTTP (for executor and fetcher URIs); starts the server on first use.',
    input: z.object({ cluster: ClusterNameSchema, path: z.string().min(1).max(4096) }).strict(),
    output: ArtifactServerSchema,
  }),
  'artifacts.remove': defineCall({
    description: 'Stop serving a file.',
    input: z.object({ cluster: ClusterNameSchema, id: z.string().min(1) }).strict(),
    output: ArtifactServerSchema,
  }),
};

export const runEvents = {
  'runs.view': defineEvent({
    description:
      "The built-in framework on a cluster: its subscriptions, what it did with each offer, the updates it received and the runs waiting for offers; the whole view at once, then on every change. Subscribing resubscribes frameworks the app ran before (same framework id).",
    params: ClusterOnly,
    payload: RunsViewSchema,
  }),
};
