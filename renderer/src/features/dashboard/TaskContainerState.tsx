import { Badge, Flex, Text } from '@radix-ui/themes';
import type { TaskContainer } from '@shared/tasks';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';
import { clockTime } from './describe';

const STATUS_COLOR: Record<string, 'green' | 'amber' | 'red' | 'gray'> = { running: 'green', paused: 'amber', restarting: 'amber', exited: 'gray', dead: 'red' };

/**
 * Docker's side of a task: its container's status, exit code and OOM kill. Asked again on every task
 * state change (the key holds the state): the executor reports a container's end as a status update.
 */
export function TaskContainerState({ containerId, taskState }: { containerId: string; taskState: string }) {
  const client = useClient();
  const { data, error } = useQuery({
    queryKey: ['task-container', containerId, taskState],
    queryFn: () => client.call('tasks.container', { containerId }),
  });
  if (error) return <Text color="red">{error.message}</Text>;
  if (!data) return <Text color="gray">asking Docker…</Text>;
  return <Describe container={data} />;
}

function Describe({ container: c }: { container: TaskContainer }) {
  if (!c.exists) return <Text color="gray">no container {c.name} (a command task, or removed)</Text>;
  const status = c.status ?? 'unknown';
  return (
    <Flex gap="2" align="center" wrap="wrap" data-testid="task-docker-state">
      <Badge color={STATUS_COLOR[status] ?? 'gray'}>{status}</Badge>
      {c.exitCode !== undefined && <Text>exit code {c.exitCode}</Text>}
      {c.oomKilled && <Badge color="red">OOM killed</Badge>}
      {c.error && <Text color="red">{c.error}</Text>}
      <Text size="1" color="gray">
        {c.finishedAt ? `ended ${clockTime(Date.parse(c.finishedAt))}` : c.startedAt ? `started ${clockTime(Date.parse(c.startedAt))}` : ''}
      </Text>
    </Flex>
  );
}
