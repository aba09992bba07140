import type { Task } from '@shared/dashboard/view';
import { TERMINAL_TASK_STATES } from '@shared/mesos/v1';
import { useUiStore } from '../../store/ui-store';
import { TerminalButton } from './TerminalButton';

/** In the task drawer: a terminal into the task's Docker container, while the task runs. */
export function TaskTerminalButton({ task }: { task: Task }) {
  const cluster = useUiStore((s) => s.selectedCluster);
  if (!cluster || task.container?.type !== 'DOCKER' || TERMINAL_TASK_STATES.has(task.state)) return null;
  return <TerminalButton target={{ kind: 'task', cluster, taskId: task.id, frameworkId: task.frameworkId, agentId: task.agentId }} />;
}
