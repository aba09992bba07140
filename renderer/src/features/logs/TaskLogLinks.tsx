import { Button, Flex } from '@radix-ui/themes';
import type { Task } from '@shared/dashboard/view';
import { FolderOpen, ScrollText } from 'lucide-react';
import { useUiStore } from '../../store/ui-store';
import { openLogs } from './log-target';

/** In the task drawer: the task's stdout, stderr and sandbox, one click away. */
export function TaskLogLinks({ task }: { task: Task }) {
  const cluster = useUiStore((s) => s.selectedCluster);
  if (!cluster) return null;
  const ids = { cluster, taskId: task.id, frameworkId: task.frameworkId, agentId: task.agentId };
  return (
    <Flex gap="2" data-testid="task-log-links">
      {(['stdout', 'stderr'] as const).map((file) => (
        <Button key={file} size="1" variant="soft" onClick={() => openLogs({ kind: 'source', source: { kind: 'task', ...ids, file } })}>
          <ScrollText size={14} /> {file}
        </Button>
      ))}
      <Button size="1" variant="soft" color="gray" onClick={() => openLogs({ kind: 'sandbox', ...ids })}>
        <FolderOpen size={14} /> sandbox
      </Button>
    </Flex>
  );
}
