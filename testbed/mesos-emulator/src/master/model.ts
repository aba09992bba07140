// The master's data model. Everything the endpoints show is derived from these records
// by the renderers (render-v0.ts, render-v1.ts); handlers never build JSON by hand.
// The scheduler API (frameworks.ts, tasks.ts, allocator.ts) fills frameworks, tasks and offers.
import type { Attribute } from '../common/attributes';
import type { JsonObject } from '../common/json';
import type { Resource } from '../common/resources';

export interface MasterInfo {
  id: string;
  /** Advertised IP (what goes into the pid and `address.ip`). */
  ip: string;
  port: number;
  pid: string;
  hostname: string;
  version: string;
  capabilities: string[];
  domain?: JsonObject;
}

export interface AgentInfo {
  id: string;
  hostname: string;
  port: number;
  resources: Resource[];
  attributes: Attribute[];
  checkpoint: boolean;
  domain?: JsonObject;
}

export interface AgentRecord {
  info: AgentInfo;
  pid: string;
  version: string;
  capabilities: string[];
  registeredTime: bigint;
  reregisteredTime?: bigint;
  /** The link to the agent is up (libprocess `exited` not seen). */
  connected: boolean;
  /** Connected and not deactivated: offers may be made. */
  active: boolean;
  /** Deactivated by an operator (DEACTIVATE_AGENT / draining), since 1.9. */
  deactivated: boolean;
}

export interface UnreachableAgent {
  info: AgentInfo;
  pid: string;
  unreachableTime: bigint;
}

import type { TaskState } from '../common/task-state';
export type { TaskState } from '../common/task-state';
export { isTerminal, TERMINAL_STATES } from '../common/task-state';

export type TaskSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

export interface TaskStatusRecord {
  state: TaskState;
  timestamp: number;
  message?: string;
  source?: TaskSource;
  reason?: string;
  /** base64, as sent (the docker executor's `docker inspect` output on TASK_RUNNING). */
  data?: string;
  executorId?: string;
  /** base64 of 16 bytes; set on updates that must be acknowledged. */
  uuid?: string;
  containerStatus?: JsonObject;
  healthy?: boolean;
  unreachableTime?: bigint;
}

export interface TaskRecord {
  id: string;
  name: string;
  frameworkId: string;
  /** "" for command tasks (docs/mesos/api.md §0.11). */
  executorId: string;
  agentId: string;
  state: TaskState;
  resources: Resource[];
  role: string;
  statuses: TaskStatusRecord[];
  /** State and uuid of the update last forwarded to the framework (v1 status_update_state/uuid). */
  statusUpdateState?: TaskState;
  statusUpdateUuid?: string;
  /** Raw TaskInfo parts kept as protobuf JSON (container, labels, discovery, health_check…). */
  extra?: JsonObject;
}

export interface OfferRecord {
  id: string;
  frameworkId: string;
  agentId: string;
  hostname: string;
  /** The agent's pid, for the offer's `url`. */
  agentPid: string;
  resources: Resource[];
  role: string;
  createdMs: number;
}

export interface FrameworkRecord {
  id: string;
  /** FrameworkInfo as the scheduler sent it (v1 JSON). */
  info: JsonObject;
  name: string;
  user: string;
  roles: string[];
  capabilities: string[];
  checkpoint: boolean;
  failoverTimeout: number;
  hostname: string;
  webuiUrl: string;
  principal?: string;
  active: boolean;
  connected: boolean;
  recovered: boolean;
  registeredTime: bigint;
  reregisteredTime?: bigint;
  unregisteredTime?: bigint;
  tasks: Map<string, TaskRecord>;
  unreachableTasks: Map<string, TaskRecord>;
  completedTasks: TaskRecord[];
  offers: Map<string, OfferRecord>;
  /** Offer filters (DECLINE / ACCEPT refuse_seconds): agent id → no offers before this time (ms). */
  filters: Map<string, number>;
  suppressed: boolean;
}

export { AGENT_CAPABILITIES, MASTER_CAPABILITIES } from '../common/capabilities';



export const hasCapability = (f: FrameworkRecord, c: string) => f.capabilities.includes(c);

export const TASK_STATES: TaskState[] = [
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
];
