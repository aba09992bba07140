import { z } from 'zod';

/**
 * The evidence the task doctor correlates with a task's status history: Docker events of the task's
 * container and of the cluster's node containers, log lines of the agents and masters, and what the
 * master thinks of the agent. The flight recorder stores the same shapes, so a recording can be
 * diagnosed exactly as the live cluster was. Every time is ms since the epoch.
 */

export const NodeRoleSchema = z.enum(['zookeeper', 'master', 'agent']);
export type NodeRole = z.infer<typeof NodeRoleSchema>;

/** A node of the cluster by role and index (`mesoscope-<cluster>-agent-2` is `{ role: 'agent', index: 2 }`). */
export const NodeRefSchema = z.object({ role: NodeRoleSchema, index: z.number().int().min(1) });
export type NodeRef = z.infer<typeof NodeRefSchema>;

/**
 * One Docker event of a container that belongs to the cluster: a node container, or a task container
 * (`mesos-<ContainerID>`) that one of its agents started. `action` is Docker's (`create`, `start`,
 * `die`, `oom`, `kill`, `stop`, `pause`, `unpause`, `restart`, `destroy`, …); unknown actions are kept.
 */
export const DockerEventSchema = z.object({
  at: z.number(),
  action: z.string().min(1),
  /** The container's name, without Docker's leading `/`. */
  container: z.string(),
  /** Docker's container id. */
  dockerId: z.string(),
  /** `task` for the `mesos-<ContainerID>` containers agents start. */
  role: z.enum(['zookeeper', 'master', 'agent', 'task']),
  /** For node containers: which node. */
  node: NodeRefSchema.optional(),
  /** For task containers: the Mesos ContainerID in the name, and the agent whose work dir holds its sandbox. */
  mesosContainerId: z.string().optional(),
  agentIndex: z.number().int().min(1).optional(),
  /** `die`: the exit code; with `oomKilled` from the container's state when Docker says so. */
  exitCode: z.number().int().optional(),
  oomKilled: z.boolean().optional(),
  /** `kill`: the signal sent. */
  signal: z.string().optional(),
  image: z.string().optional(),
});
export type DockerEvent = z.infer<typeof DockerEventSchema>;

export const LogLevelSchema = z.enum(['I', 'W', 'E', 'F']);

/** One line of a master's or agent's log (glog), its time and which node wrote it. */
export const LogLineSchema = z.object({
  at: z.number(),
  node: NodeRefSchema,
  /** glog severity; absent for lines that are not glog (stack traces, banners). */
  level: LogLevelSchema.optional(),
  /** `file.cpp:123` of a glog line. */
  file: z.string().optional(),
  /** The message, without the glog prefix. */
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/**
 * The agent as the master sees it: `registered` (active or re-registered), `disconnected` (its socket
 * closed), `unreachable` (missed pings; no event says so, docs/mesos/api.md §0.13), `removed` (gone from the master).
 */
export const DoctorAgentStateSchema = z.enum(['registered', 'disconnected', 'unreachable', 'removed']);
export type DoctorAgentState = z.infer<typeof DoctorAgentStateSchema>;

export const AgentEvidenceSchema = z.object({
  id: z.string(),
  state: DoctorAgentStateSchema,
  /** Since when, if known. */
  since: z.number().optional(),
  hostname: z.string().optional(),
  /** Its container, when the cluster's layout tells which one it is. */
  node: NodeRefSchema.optional(),
});
export type AgentEvidence = z.infer<typeof AgentEvidenceSchema>;

