// TaskInfo validation at ACCEPT (src/master/validation.cpp), in Mesos' order; the first error
// becomes a TASK_ERROR / REASON_TASK_INVALID with this message (docs/mesos/api.md §9 row 26).
import { add, allocatedToString, contains, resourcesFromV1 } from '../common/resource-math';
import type { Resource } from '../common/resources';
import type { FrameworkRecord } from './model';

export interface ValidTask {
  resources: Resource[];
  executorResources: Resource[];
}

type Info = Record<string, unknown>;

export function validateTask(f: FrameworkRecord, task: Info, agentId: string, available: Resource[]): ValidTask | string {
  const id = String((task.task_id as { value?: unknown } | undefined)?.value ?? '');
  if (id === '') return 'Task ID must not be empty';
  if (/[/\\]|^\.{1,2}$/.test(id) || /\s/.test(id)) return `TaskID '${id}' contains invalid characters`;
  if (f.tasks.has(id)) return `Task has duplicate ID: ${id}`;
  if (f.unreachableTasks.has(id)) return `Task reuses the ID of an unreachable task: ${id}`;

  const taskAgent = (task.agent_id as { value?: unknown } | undefined)?.value;
  if (taskAgent !== agentId) return `Task uses invalid agent ${String(taskAgent ?? '')} while agent ${agentId} is expected`;

  if (!Array.isArray(task.resources) || task.resources.length === 0) return 'Task uses no resources';
  const resources = resourcesFromV1(task.resources);
  if (resources instanceof Error) return `Task uses invalid resources: ${resources.message}`;

  const executor = task.executor as Info | undefined;
  if ((task.command === undefined) === (executor === undefined)) {
    return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  }
  let executorResources: Resource[] = [];
  if (executor) {
    const parsed = resourcesFromV1(executor.resources ?? []);
    if (parsed instanceof Error) return `Executor uses invalid resources: ${parsed.message}`;
    executorResources = parsed;
  }
  const total = add(resources, executorResources);
  if (!contains(available, total)) {
    return `Total resources ${allocatedToString(total)} required by task and its executor is more than available ${allocatedToString(available)}`;
  }
  return { resources, executorResources };
}
