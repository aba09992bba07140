import type { Task } from '@shared/dashboard/view';
import { TERMINAL_TASK_STATES } from '@shared/mesos/v1';
import { useUiStore } from '../../store/ui-store';
import { TerminalButton } from './TerminalButton';

/**
 * In the task drawer: a terminal into the task's Docker container, while the task runs. Once it ended the
 * button is disabled, not gone: an open terminal stays, saying how its session ended.
 */
export function TaskTerminalButton({ task }: { task: Task }) {
  const cluster = useUiStore((s) => s.selectedCluster);
  if (!cluster || task.container?.type !== 'DOCKER') return null;
  return (
    <TerminalButton
      target={{ kind: 'task', cluster, taskId: task.id, frameworkId: task.frameworkId, agentId: task.agentId }}
      disabled={TERMINAL_TASK_STATES.has(task.state)}
    />
  );
}
