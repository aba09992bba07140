// The agent's frameworks, executors and tasks as its endpoints show them: /state (v0,
// transcripts/files/agent-5051-state.json), /containers (docs/mesos/api.md §5.1) and the v1 GET_* answers.
import { dbl, type JsonObject, type JsonValue } from '../common/json';
import { resourcesFromV1 } from '../common/resource-math';
import { resourcesV0, resourcesV1, type Resource } from '../common/resources';
import type { AgentContext } from './context';
import { isTerminal, type AgentExecutor, type AgentFramework, type AgentTask } from './tasks/model';
import { taskJson } from './tasks/task-manager';

const resourcesOf = (t: AgentTask): Resource[] => {
  const r = resourcesFromV1(t.info.resources ?? []);
  return r instanceof Error ? [] : r;
};

/** "Command Executor (Task: t) (Command: sh -c 'for i in 1 2...')" (Slave::getExecutorInfo). */
function executorName(e: AgentExecutor): string {
  const custom = e.task.info.executor as { name?: string } | undefined;
  if (custom) return custom.name ?? '';
  const value = String((e.task.info.command as { value?: unknown } | undefined)?.value ?? '');
  const shown = value.length > 15 ? `${value.slice(0, 12)}...` : value;
  return `Command Executor (Task: ${e.task.id}) (Command: sh -c '${shown}')`;
}

function taskV0(agentId: string, t: AgentTask): JsonObject {
  return {
    id: t.id,
    name: t.name,
    framework_id: t.frameworkId,
    executor_id: t.executorId,
    slave_id: agentId,
    state: t.state,
    resources: resourcesV0(resourcesOf(t)),
    role: '*',
    statuses: t.statuses.map((s) => ({ state: s.state, timestamp: dbl(s.timestamp), container_status: s.container_status as JsonObject | undefined })),
    container: t.info.container as JsonObject | undefined,
  };
}

function executorV0(agentId: string, e: AgentExecutor): JsonObject {
  const done = e.completed || isTerminal(e.task.state);
  const task = taskV0(agentId, e.task);
  return {
    id: e.id,
    name: executorName(e),
    source: e.id,
    container: e.containerId,
    directory: e.directory,
    resources: resourcesV0(resourcesOf(e.task)),
    role: '*',
    tasks: done || e.task.state === 'TASK_STAGING' ? [] : [task],
    queued_tasks: e.task.state === 'TASK_STAGING' && !done ? [task] : [],
    completed_tasks: done ? [task] : [],
  };
}

function frameworkV0(agentId: string, f: AgentFramework): JsonObject {
  const info = f.info;
  return {
    id: f.id,
    name: String(info.name ?? ''),
    user: String(info.user ?? ''),
    failover_timeout: dbl(Number(info.failover_timeout ?? 0)),
    checkpoint: f.checkpoint,
    hostname: String(info.hostname ?? ''),
    roles: (info.roles as JsonValue[] | undefined) ?? ['*'],
    executors: [...f.executors.values()].map((e) => executorV0(agentId, e)),
    completed_executors: f.completedExecutors.map((e) => executorV0(agentId, e)),
  };
}

export function frameworksV0(ctx: AgentContext): { frameworks: JsonObject[]; completed_frameworks: JsonObject[] } {
  const id = ctx.agentId() ?? '';
  const tasks = ctx.tasks;
  return {
    frameworks: tasks ? [...tasks.frameworks.values()].map((f) => frameworkV0(id, f)) : [],
    completed_frameworks: tasks ? tasks.completedFrameworks.map((f) => frameworkV0(id, f)) : [],
  };
}

function liveExecutors(ctx: AgentContext): AgentExecutor[] {
  return ctx.tasks ? [...ctx.tasks.frameworks.values()].flatMap((f) => [...f.executors.values()]).filter((e) => !e.completed) : [];
}

/** /containers: the containers of live executors (the app's destroy reads `container_id`). */
export function containersV0(ctx: AgentContext): JsonObject[] {
  return liveExecutors(ctx).map((e) => ({
    framework_id: e.frameworkId,
    executor_id: e.id,
    executor_name: executorName(e),
    source: e.id,
    container_id: e.containerId,
    status: { container_id: { value: e.containerId } },
  }));
}

export function getContainersV1(ctx: AgentContext): JsonObject | undefined {
  const list = liveExecutors(ctx).map((e) => ({
    framework_id: { value: e.frameworkId },
    executor_id: { value: e.id },
    executor_name: executorName(e),
    container_id: { value: e.containerId },
  }));
  return list.length > 0 ? { containers: list } : undefined;
}

export function getTasksV1(ctx: AgentContext): JsonObject {
  const id = ctx.agentId() ?? '';
  const all = ctx.tasks ? [...ctx.tasks.frameworks.values(), ...ctx.tasks.completedFrameworks] : [];
  const render = (t: AgentTask) => taskJson(id, t) as unknown as JsonObject;
  const executors = all.flatMap((f) => [...f.executors.values(), ...f.completedExecutors]);
  return {
    pending_tasks: [],
    queued_tasks: executors.filter((e) => !e.completed && e.task.state === 'TASK_STAGING').map((e) => render(e.task)),
    launched_tasks: executors.filter((e) => !e.completed && !isTerminal(e.task.state) && e.task.state !== 'TASK_STAGING').map((e) => render(e.task)),
    terminated_tasks: executors.filter((e) => isTerminal(e.task.state) && !e.completed).map((e) => render(e.task)),
    completed_tasks: executors.filter((e) => e.completed && isTerminal(e.task.state)).map((e) => render(e.task)),
  };
}

function executorInfoV1(e: AgentExecutor): JsonObject {
  return {
    executor_id: { value: e.id },
    framework_id: { value: e.frameworkId },
    name: executorName(e),
    source: e.id,
    resources: resourcesV1(resourcesOf(e.task)),
  };
}

export function getExecutorsV1(ctx: AgentContext): JsonObject {
  const fs = ctx.tasks ? [...ctx.tasks.frameworks.values()] : [];
  return {
    executors: fs.flatMap((f) => [...f.executors.values()].map((e) => ({ executor_info: executorInfoV1(e) }))),
    completed_executors: fs.flatMap((f) => f.completedExecutors.map((e) => ({ executor_info: executorInfoV1(e) }))),
  };
}

export function getFrameworksV1(ctx: AgentContext): JsonObject {
  return {
    frameworks: ctx.tasks ? [...ctx.tasks.frameworks.values()].map((f) => ({ framework_info: f.info as JsonObject })) : [],
    completed_frameworks: ctx.tasks ? ctx.tasks.completedFrameworks.map((f) => ({ framework_info: f.info as JsonObject })) : [],
  };
}
