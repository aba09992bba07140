// The master's data model. Everything the endpoints show is derived from these records
// by the renderers (render-v0.ts, render-v1.ts); handlers never build JSON by hand.
// Frameworks, tasks and offers have their records here already; the scheduler API
// (a later issue) fills them.
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

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR'
  | 'TASK_UNKNOWN';

export interface TaskStatusRecord {
  state: TaskState;
  timestamp: number;
  message?: string;
  source?: 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';
  reason?: string;
  uuid?: string;
  containerStatus?: JsonObject;
  healthy?: boolean;
}

export interface TaskRecord {
  id: string;
  name: string;
  frameworkId: string;
  /** "" for command tasks (API.md §0.11). */
  executorId: string;
  agentId: string;
  state: TaskState;
  resources: Resource[];
  role: string;
  statuses: TaskStatusRecord[];
  /** Raw TaskInfo parts kept as protobuf JSON (container, labels, discovery, health_check…). */
  extra?: JsonObject;
}

export interface OfferRecord {
  id: string;
  frameworkId: string;
  agentId: string;
  hostname: string;
  resources: Resource[];
  role: string;
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
}

export { AGENT_CAPABILITIES, MASTER_CAPABILITIES } from '../common/capabilities';

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
