import { Button, Callout, Card, Flex, SegmentedControl, Select, Text } from '@radix-ui/themes';
import type { LogSource } from '@shared/logs/schema';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ArrowLeft, Info, ScrollText, Search } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useClient } from '../../api/client-context';
import { useAttached } from '../attach/use-attached';
import { useClusters } from '../clusters/use-clusters';
import { shortState } from '../dashboard/describe';
import { useClusterView } from '../dashboard/use-cluster-view';
import { type LogView, useLogTarget } from './log-target';
import { LogViewer } from './LogViewer';
import { OutputSearch } from './OutputSearch';
import { SandboxBrowser } from './SandboxBrowser';

/** Every log of a cluster, one pick away: its nodes' logs, and each task's stdout, stderr and sandbox. */
export function LogsPage() {
  const launched = useClusters().data ?? [];
  const attached = useAttached().data ?? [];
  // Attached clusters too: their masters' and agents' Mesos log files and their tasks' sandboxes (no containers of ours).
  const clusters = [...launched.map((c) => ({ name: c.name, attached: false })), ...attached.map((c) => ({ name: c.name, attached: true }))];
  const { cluster: chosen, view, setCluster, show } = useLogTarget();
  const cluster = chosen ?? clusters[0]?.name ?? null;

  return (
    <div className="page page-wide">
      <PageHeader title="Logs" description="Follow any node's log and any task's stdout and stderr; browse and download its sandbox." />
      {clusters.length === 0 ? (
        <Card size="3">
          <EmptyState icon={<ScrollText size={28} />} title="Nothing to follow yet">
            When a cluster runs, the logs of its ZooKeeper, masters and agents, and the sandboxes of its tasks, are here.
          </EmptyState>
        </Card>
      ) : (
        <Flex direction="column" gap="3">
          <Flex gap="3" align="center" wrap="wrap">
            <Select.Root value={cluster ?? undefined} onValueChange={(c) => setCluster(c)}>
              <Select.Trigger aria-label="Cluster" data-testid="logs-cluster" />
              <Select.Content>
                {clusters.map((c) => (
                  <Select.Item key={c.name} value={c.name}>
                    {c.name}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select.Root>
            {cluster && (
              <NodePicker cluster={cluster} containers={!clusters.find((c) => c.name === cluster)?.attached} view={view} onPick={(source) => show({ kind: 'source', source })} />
            )}
            {cluster && <TaskPicker cluster={cluster} view={view} onPick={show} />}
            {cluster && (
              <Button variant={view?.kind === 'search' ? 'solid' : 'soft'} onClick={() => show({ kind: 'search', cluster })} data-testid="logs-search-all">
                <Search size={14} /> Search all task output
              </Button>
            )}
          </Flex>
          {view?.kind === 'source' && view.back && (
            <Flex>
              <Button variant="ghost" color="gray" onClick={() => show(view.back ?? null)}>
                <ArrowLeft size={14} /> {view.back.kind === 'search' ? 'Back to the search results' : 'Back to the sandbox'}
              </Button>
            </Flex>
          )}
          {!view ? (
            <Text color="gray" size="2">
              Pick a node or a task.
            </Text>
          ) : view.kind === 'source' ? (
            <NoLogFile source={view.source}>
              <LogViewer source={view.source} cluster={view.source.cluster} initialQuery={view.find} openAt={view.at} />
            </NoLogFile>
          ) : view.kind === 'search' ? (
            <OutputSearch cluster={view.cluster} />
          ) : (
            <SandboxBrowser view={view} />
          )}
        </Flex>
      )}
    </div>
  );
}

/** A node picked for its Mesos log that writes none (no --log_dir): why, in words, instead of an empty viewer. */
function NoLogFile({ source, children }: { source: LogSource; children: ReactNode }) {
  const client = useClient();
  const cluster = source.cluster;
  const nodes = useQuery({ queryKey: ['logs.nodes', cluster], queryFn: () => client.call('logs.nodes', { cluster }), staleTime: 10_000 });
  const node = source.kind === 'node-file' ? nodes.data?.find((n) => n.node === source.node || n.container === source.node) : undefined;
  if (!node || node.logFile || !node.noLogFile) return <>{children}</>;
  return (
    <Callout.Root color="gray" data-testid="no-log-file">
      <Callout.Icon>
        <Info size={16} />
      </Callout.Icon>
      <Callout.Text>{node.noLogFile}</Callout.Text>
    </Callout.Root>
  );
}

/** The nodes: each container's log, and the Mesos log file of those that write one. */
function NodePicker({ cluster, containers, view, onPick }: { cluster: string; containers: boolean; view: LogView | null; onPick: (source: LogSource) => void }) {
  const client = useClient();
  const nodes = useQuery({ queryKey: ['logs.nodes', cluster], queryFn: () => client.call('logs.nodes', { cluster }), staleTime: 10_000 });
  const picked = view?.kind === 'source' && (view.source.kind === 'node' || view.source.kind === 'node-file') ? view.source : undefined;
  // A node card names the node by its container; the list by its short name.
  const node = picked && nodes.data?.find((n) => n.node === picked.node || n.container === picked.node);
  const current = picked && node ? `${picked.kind}:${node.node}` : '';
  return (
    <Select.Root
      value={current || undefined}
      onValueChange={(v) => {
        const [kind, node] = v.split(':') as ['node' | 'node-file', string];
        onPick({ kind, cluster, node });
      }}
    >
      <Select.Trigger aria-label="Node log" placeholder="Node log…" data-testid="logs-node" />
      <Select.Content>
        {(nodes.data ?? []).map((n) => [
          containers && (
            <Select.Item key={`node:${n.node}`} value={`node:${n.node}`}>
              {n.node} · container log
            </Select.Item>
          ),
          n.logFile ? (
            <Select.Item key={`node-file:${n.node}`} value={`node-file:${n.node}`}>
              {n.node} · {n.logFile}
            </Select.Item>
          ) : (
            // No container log to offer instead (an attached cluster): the node is listed, and picking it says why there is no log.
            !containers &&
            n.role !== 'zookeeper' && (
              <Select.Item key={`node-file:${n.node}`} value={`node-file:${n.node}`}>
                {n.node} · no Mesos log{n.noLogFile?.includes('--log_dir') ? ' (no --log_dir)' : ''}
              </Select.Item>
            )
          ),
        ])}
      </Select.Content>
    </Select.Root>
  );
}

/** The tasks the masters know, newest first; then stdout, stderr or the sandbox of the one picked. */
function TaskPicker({ cluster, view, onPick }: { cluster: string; view: LogView | null; onPick: (view: LogView) => void }) {
  const clusterView = useClusterView(cluster);
  const tasks = Object.values(clusterView?.tasks ?? {}).sort((a, b) => b.updatedAt - a.updatedAt);
  const picked = pickedTask(view);
  const task = picked ? clusterView?.tasks[`${picked.frameworkId}/${picked.taskId}`] ?? tasks.find((t) => t.id === picked.taskId) : undefined;
  const open = (key: string, what: 'stdout' | 'stderr' | 'sandbox') => {
    const t = clusterView?.tasks[key];
    if (!t) return;
    const ids = { cluster, taskId: t.id, frameworkId: t.frameworkId, agentId: t.agentId };
    onPick(what === 'sandbox' ? { kind: 'sandbox', ...ids } : { kind: 'source', source: { kind: 'task', ...ids, file: what } });
  };
  const facet = view?.kind === 'sandbox' || (view?.kind === 'source' && view.back?.kind === 'sandbox') ? 'sandbox' : view?.kind === 'source' && view.source.kind === 'task' ? view.source.file : '';
  return (
    <>
      <Select.Root value={task?.key} onValueChange={(key) => open(key, 'stdout')}>
        <Select.Trigger aria-label="Task" placeholder={tasks.length ? 'Task…' : 'No tasks'} data-testid="logs-task" />
        <Select.Content>
          {tasks.map((t) => (
            <Select.Item key={t.key} value={t.key}>
              {t.name || t.id} · {shortState(t.state)}
            </Select.Item>
          ))}
        </Select.Content>
      </Select.Root>
      {task && (
        <SegmentedControl.Root value={facet} onValueChange={(v) => open(task.key, v as 'stdout' | 'stderr' | 'sandbox')} size="1">
          <SegmentedControl.Item value="stdout">stdout</SegmentedControl.Item>
          <SegmentedControl.Item value="stderr">stderr</SegmentedControl.Item>
          <SegmentedControl.Item value="sandbox">sandbox</SegmentedControl.Item>
        </SegmentedControl.Root>
      )}
    </>
  );
}

function pickedTask(view: LogView | null): { taskId: string; frameworkId?: string } | undefined {
  if (!view || view.kind === 'search') return undefined;
  if (view.kind === 'sandbox') return view;
  if (view.source.kind === 'task') return view.source;
  return view.back ? pickedTask(view.back) : undefined;
}
