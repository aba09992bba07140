import { z } from 'zod';
import { ClusterLayoutSchema } from './layout';
import { ClusterSpecSchema } from './spec';

export const NodeRoleSchema = z.enum(['zookeeper', 'master', 'agent']);

/** A node's container as Docker sees it, kept live from Docker's event stream. */
export const ContainerStateSchema = z.enum(['created', 'running', 'paused', 'restarting', 'exited', 'dead', 'removing', 'missing']);

export const NodeStatusSchema = z.object({
  role: NodeRoleSchema,
  index: z.number().int().min(1),
  name: z.string(),
  containerId: z.string().nullable(),
  state: ContainerStateSchema,
  /** Set when the container exited. */
  exitCode: z.number().int().nullable(),
  oomKilled: z.boolean(),
  /** ISO time the container last started; null when it never did. */
  startedAt: z.string().nullable(),
  image: z.string(),
  /** The node's HTTP (or ZooKeeper client) address, from the host. */
  address: z.string(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const ClusterSummarySchema = z.object({
  name: z.string(),
  spec: ClusterSpecSchema,
  layout: ClusterLayoutSchema,
  nodes: z.array(NodeStatusSchema),
  /**
   * complete: every node of the spec has a container; partial: some are missing (the app stopped
   * during launch, or a node was removed by hand) and Resume creates them.
   */
  completeness: z.enum(['complete', 'partial']),
  /** The Mesos version the leading master reports, and whether it is the Mesoscope emulator. */
  mesos: z.object({ version: z.string(), emulator: z.boolean() }).nullable(),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

/** One step of one node during a launch. */
export const LaunchStepSchema = z.enum(['pulling', 'creating', 'starting', 'waiting', 'ready', 'failed']);

export const LaunchProgressSchema = z.object({
  cluster: z.string(),
  /** null for cluster-wide steps (preflight, network). */
  node: z.string().nullable(),
  step: LaunchStepSchema,
  /** What is happening, or the cause of a failure. */
  detail: z.string(),
  /** Pull progress in bytes, when step is 'pulling'. */
  pull: z
    .object({
      image: z.string(),
      current: z.number().nonnegative(),
      total: z.number().nonnegative(),
      layers: z.record(z.string(), z.object({ status: z.string(), current: z.number(), total: z.number() })),
    })
    .optional(),
  /** ms since the launch began */
  elapsedMs: z.number().nonnegative(),
});
export type LaunchProgress = z.infer<typeof LaunchProgressSchema>;
