import { Button } from '@radix-ui/themes';
import type { ClusterView, Task } from '@shared/dashboard/view';
import { TERMINAL_TASK_STATES, type TaskState } from '@shared/mesos/v1';
import { useMutation } from '@tanstack/react-query';
import { OctagonX, Skull } from 'lucide-react';
import { useClient } from '../../api/client-context';
import { useUiStore } from '../../store/ui-store';
import { useDashboardSource } from '../dashboard/source';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ownFrameworkIds, useRuns } from './use-runs';

/** The open cluster's name: the task views live on its page. */
const useOpenCluster = () => useUiStore((s) => s.selectedCluster) ?? '';

/** Kill, for a task of the built-in framework that is not over yet (others' tasks are theirs to kill). */
export function KillTaskButton({ task }: { task: Task }) {
  const cluster = useOpenCluster();
  const client = useClient();
  const runs = useRuns(cluster);
  const kill = useMutation({ mutationFn: () => client.call('runs.kill', { cluster, frameworkId: task.frameworkId, taskId: task.id }) });
  const source = useDashboardSource();
  if (source.kind === 'live' && source.readOnly) return null;
  if (!ownFrameworkIds(runs).has(task.frameworkId) || TERMINAL_TASK_STATES.has(task.state)) return null;
  return (
    <Button size="1" color="red" variant="soft" onClick={() => kill.mutate()} loading={kill.isPending} data-testid="kill-task" title={kill.error?.message}>
      <Skull size={12} /> {kill.isError ? 'Kill failed: retry' : 'Kill'}
    </Button>
  );
}

/** Kill every task of the built-in framework on the cluster that is not over yet. */
export function KillAllButton({ view }: { view: ClusterView }) {
  const cluster = useOpenCluster();
  const client = useClient();
  const runs = useRuns(cluster);
  const own = ownFrameworkIds(runs);
  // From the frameworks' counts by state, not a pass over every task: this renders with each batch (bench:events).
  let live = 0;
  for (const id of own) {
    for (const [state, n] of Object.entries(view.frameworks[id]?.taskCounts ?? {})) if (!TERMINAL_TASK_STATES.has(state as TaskState)) live += n ?? 0;
  }
  const killAll = useMutation({ mutationFn: () => client.call('runs.killAll', { cluster }) });
  const source = useDashboardSource();
  if (live === 0 || (source.kind === 'live' && source.readOnly)) return null;
  return (
    <ConfirmButton
      title={`Kill all ${live} tasks of mesoscope?`}
      description="Every task the built-in framework runs on this cluster gets a KILL. Other frameworks' tasks are left alone."
      confirmLabel="Kill all"
      loading={killAll.isPending}
      onConfirm={() => killAll.mutate()}
    >
      <OctagonX size={14} /> Kill all ({live})
    </ConfirmButton>
  );
}
