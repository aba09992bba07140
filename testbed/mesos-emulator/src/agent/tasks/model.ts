// The agent's records of frameworks, executors and tasks (src/slave/slave.hpp's Framework,
// Executor; the Task protobuf). Command and docker tasks get an executor named after the task
// (docs/mesos/api.md §0.11); a TaskInfo with an ExecutorInfo names its own.
import type { StatusJson } from '../../internal/messages';

import type { TaskState } from '../../common/task-state';

export type { TaskState } from '../../common/task-state';
export { isTerminal } from '../../common/task-state';

/** Which containerizer runs the executor: docker, mesos (a process on the agent), or none (--synthetic_tasks). */
export type ExecutorKind = 'docker' | 'command' | 'custom' | 'synthetic';

export interface AgentFramework {
  id: string;
  /** FrameworkInfo JSON, id included. */
  info: Record<string, unknown>;
  checkpoint: boolean;
  capabilities: string[];
  executors: Map<string, AgentExecutor>;
  completedExecutors: AgentExecutor[];
}

export interface AgentTask {
  id: string;
  name: string;
  frameworkId: string;
  /** "" for command and docker tasks, as the master renders them. */
  executorId: string;
  /** TaskInfo as the master sent it. */
  info: Record<string, unknown>;
  state: TaskState;
  statuses: StatusJson[];
  statusUpdateState?: string;
  statusUpdateUuid?: string;
}

export interface AgentExecutor {
  id: string;
  frameworkId: string;
  containerId: string;
  /** The sandbox (real path of the run directory). */
  directory: string;
  kind: ExecutorKind;
  task: AgentTask;
  /** When the executor registered with the agent (it then gets the task). */
  registered: boolean;
  /** Terminated: the executor is gone, its task is terminal. */
  completed: boolean;
}

export const frameworkCaps = (info: Record<string, unknown>) =>
  Array.isArray(info.capabilities) ? (info.capabilities as Array<{ type?: unknown }>).map((c) => String(c.type)) : [];
