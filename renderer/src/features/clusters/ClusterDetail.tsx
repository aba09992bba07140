import { Badge, Button, DropdownMenu, Flex, Grid, Heading, Tabs, Text } from '@radix-ui/themes';
import type { ClusterSummary } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { ArrowLeft, Download, Play, Plus, Square, Trash2 } from 'lucide-react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useUiStore } from '../../store/ui-store';
import { DashboardSourceContext, LiveViewContext, type DashboardSource } from '../dashboard/source';
import { useLiveVerdicts } from '../doctor/use-doctor';
import { FaultsTab } from '../faults/FaultsTab';
import { SupportBundleButton } from '../bundle/SupportBundleButton';
import { RecordButton } from '../recordings/RecordButton';
import { ShareButton } from '../sharing/ShareButton';
import { useTourHighlight } from '../tours/use-tour';
import { ArtifactsCard } from '../run/ArtifactsCard';
import { RunTaskButton } from '../run/RunDialog';
import { EndpointsTab } from '../services/EndpointsTab';
import { type InstanceActions, ServicesTab } from '../services/ServicesTab';
import { TerminalButton } from '../terminal/TerminalButton';
import { MesosTabContents, MesosTabTriggers } from '../dashboard/MesosTabs';
import { useTab } from '../dashboard/use-tab';
import { useClusterView } from '../dashboard/use-cluster-view';
import { ConnectionInfoCard } from './ConnectionInfoCard';
import { MesosBadge } from './MesosBadge';
import { NodeCard } from './NodeCard';
import { downloadSpec } from './spec-file';
import { useClusterCall } from './use-cluster-actions';
import { clusterState, useCluster, useClusters } from './use-clusters';
import { ErrorCallout } from '../../components/ErrorCallout';

export function ClusterDetail({ name }: { name: string }) {
  const cluster = useCluster(name);
  const [tab, setTab] = useTab('nodes');
  // A tour (the presenter's, or the one a viewer follows) shows the tab its scene points at, once per scene.
  const highlight = useTourHighlight(name);
  const shownHighlight = useRef<string | null>(null);
  const highlightId = highlight ? `${highlight.tab}:${highlight.taskKey ?? ''}:${highlight.node ?? ''}` : null;
  useEffect(() => {
    if (!highlight || shownHighlight.current === highlightId) return;
    shownHighlight.current = highlightId;
    setTab(highlight.tab);
  }, [highlight, highlightId, setTab]);
  // Offers are polled only while a view showing them is open (the Offers tab, the Overview's bars).
  const view = useClusterView(name, { offers: tab === 'offers' || tab === 'overview' });
  // The doctor's markers, for the task table only.
  const verdicts = useLiveVerdicts(name, tab === 'tasks' ? view : null);
  const source = useMemo<DashboardSource>(() => ({ kind: 'live', cluster: name, verdicts }), [name, verdicts]);
  const { isPending } = useClusters();
  // Here, not in the header: a destroyed cluster leaves the list (and the header goes) before the call
  // returns, and a mutation's per-call callbacks do not run once their component has gone.
  const openCluster = useUiStore((s) => s.openCluster);
  const destroy = useClusterCall('clusters.destroy');
  const { mutate: destroyCall } = destroy;
  const onDestroy = useCallback(() => destroyCall({ name }, { onSuccess: () => openCluster(null) }), [destroyCall, name, openCluster]);

  if (!cluster) {
    return (
      <div className="page">
        <BackLink />
        <Text color="gray">{isPending ? 'Loading…' : `There is no cluster named ${name} (any more).`}</Text>
      </div>
    );
  }
  return (
    <LiveViewContext.Provider value={view}>
      <div className="page">
        <BackLink />
        <ClusterHeader cluster={cluster} onDestroy={onDestroy} destroying={destroy.isPending} destroyError={destroy.error} />
        <DashboardSourceContext.Provider value={source}>
          <Tabs.Root value={tab} onValueChange={setTab}>
            <Tabs.List mb="4">
              <Tabs.Trigger value="nodes">Nodes</Tabs.Trigger>
              <MesosTabTriggers view={view} />
              <Tabs.Trigger value="services">Services</Tabs.Trigger>
              <Tabs.Trigger value="endpoints">Endpoints</Tabs.Trigger>
              <Tabs.Trigger value="faults">Faults</Tabs.Trigger>
              <Flex align="center" ml="auto" pr="2">
                <MesosConnectionBadge view={view} />
              </Flex>
            </Tabs.List>
            <Tabs.Content value="nodes">
              <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="4" mb="5">
                {cluster.nodes.map((node) => (
                  <NodeCard key={node.name} cluster={cluster} node={node} leading={isLeader(view, node.address)} />
                ))}
              </Grid>
              <ConnectionInfoCard cluster={cluster} />
              <ArtifactsCard cluster={cluster} />
            </Tabs.Content>
            <Tabs.Content value="services">
              <ServicesTab cluster={name} instanceActions={instanceTerminal} />
            </Tabs.Content>
            <Tabs.Content value="endpoints">
              <EndpointsTab cluster={name} />
            </Tabs.Content>
            <Tabs.Content value="faults">
              <FaultsTab cluster={cluster} view={view} />
            </Tabs.Content>
            <MesosTabContents tab={tab} view={view} waiting="Connecting to the masters…" zookeeper={cluster.nodes.find((n) => n.role === 'zookeeper')} dimWhenStale />
          </Tabs.Root>
        </DashboardSourceContext.Provider>
      </div>
    </LiveViewContext.Provider>
  );
}

/**
 * The name, state and actions of the cluster. Without the live view (the run dialog reads it from
 * LiveViewContext), so that it renders when the cluster's summary changes, not with every batch.
 */
const ClusterHeader = memo(function ClusterHeader({
  cluster,
  onDestroy,
  destroying,
  destroyError,
}: {
  cluster: ClusterSummary;
  onDestroy: () => void;
  destroying: boolean;
  destroyError: Error | null;
}) {
  const name = cluster.name;
  const addAgent = useClusterCall('clusters.addAgent');
  const resume = useClusterCall('clusters.resume');
  const stop = useClusterCall('clusters.stop');
  const error = addAgent.error ?? resume.error ?? stop.error ?? destroyError;
  const state = clusterState(cluster);
  return (
    <>
      <Flex justify="between" align="end" gap="4" mb="5" wrap="wrap">
        <div>
          <Flex align="center" gap="3">
            <Heading size="7">{cluster.name}</Heading>
            <Badge color={state.color} size="2" data-testid="cluster-state">
              {state.label}
            </Badge>
            <MesosBadge mesos={cluster.mesos} />
          </Flex>
          <Text as="p" size="2" color="gray" mt="1">
            {cluster.layout.network} network on {cluster.layout.hostAddress} · ZooKeeper :{cluster.layout.zookeeper.port}
          </Text>
        </div>
        <Flex gap="2" wrap="wrap" className="cluster-actions">
          {state.label !== 'Running' && (
            <Button variant="soft" onClick={() => resume.mutate({ name })} loading={resume.isPending}>
              <Play size={14} /> {cluster.completeness === 'partial' ? 'Resume' : 'Start'}
            </Button>
          )}
          {state.label !== 'Stopped' && cluster.completeness === 'complete' && (
            <Button variant="soft" color="gray" onClick={() => stop.mutate({ name })} loading={stop.isPending}>
              <Square size={14} /> Stop
            </Button>
          )}
          <ShareButton cluster={name} />
          <RecordButton cluster={name} />
          <SupportBundleButton cluster={name} />
          <DropdownMenu.Root>
            <DropdownMenu.Trigger>
              <Button variant="soft" color="gray">
                <Download size={14} /> Export spec
              </Button>
            </DropdownMenu.Trigger>
            <DropdownMenu.Content>
              <DropdownMenu.Item onSelect={() => downloadSpec(cluster.spec, 'yaml')}>YAML</DropdownMenu.Item>
              <DropdownMenu.Item onSelect={() => downloadSpec(cluster.spec, 'json')}>JSON</DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Root>
          <RunTaskButton cluster={name} />
          <Button variant="soft" onClick={() => addAgent.mutate({ cluster: name })} loading={addAgent.isPending}>
            <Plus size={14} /> Add agent
          </Button>
          <ConfirmButton
            title={`Destroy ${name}?`}
            description="Every container, network and volume of the cluster goes, with the task containers its agents started and the agents' work dirs (sandboxes included)."
            confirmLabel="Destroy"
            loading={destroying}
            onConfirm={onDestroy}
          >
            <Trash2 size={14} /> Destroy
          </ConfirmButton>
        </Flex>
      </Flex>
      {error && (
        <ErrorCallout mb="4" textClassName="launch-error-text">{error.message}</ErrorCallout>
      )}
    </>
  );
});

function isLeader(view: ClusterView | null, address: string): boolean {
  return view?.masters.some((m) => m.leader && m.url === `http://${address}`) ?? false;
}

/** Whether the Mesos view is live; while reconnecting or stale, what is shown may be out of date. */
export function MesosConnectionBadge({ view }: { view: ClusterView | null }) {
  if (!view) return null;
  const { state } = view.connection;
  const color = state === 'live' ? 'green' : state === 'reconnecting' || state === 'connecting' ? 'amber' : 'red';
  const label = { live: 'Live', stale: 'Stale: masters not reachable', reconnecting: 'Reconnecting…', connecting: 'Connecting…', stopped: 'Stopped' }[state];
  return (
    <Badge color={color} variant="soft" data-testid="mesos-connection">
      {label}
    </Badge>
  );
}

function BackLink() {
  const openCluster = useUiStore((s) => s.openCluster);
  return (
    <Flex mb="3">
      <Button variant="ghost" color="gray" onClick={() => openCluster(null)}>
        <ArrowLeft size={16} /> All clusters
      </Button>
    </Flex>
  );
}

/** A service instance's row: a terminal into its task's container while it runs. */
const instanceTerminal: InstanceActions = ({ cluster, instance }) =>
  instance.taskId ? (
    <TerminalButton
      icon
      disabled={instance.state !== 'TASK_RUNNING'}
      target={{ kind: 'task', cluster, taskId: instance.taskId, frameworkId: instance.frameworkId, agentId: instance.agentId }}
    />
  ) : null;
