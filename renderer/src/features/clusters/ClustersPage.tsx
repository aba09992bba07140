import { Badge, Button, Card, Flex, Grid, Heading, Skeleton, Text } from '@radix-ui/themes';
import type { AttachedCluster } from '@shared/attach/connection';
import type { ClusterSummary } from '@shared/cluster/status';
import { Boxes, Link2, Plus } from 'lucide-react';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useUiStore } from '../../store/ui-store';
import { AttachedClusterDetail } from '../attach/AttachedClusterDetail';
import { ConnectDialog } from '../attach/ConnectDialog';
import { useAttached, useAttachedCluster } from '../attach/use-attached';
import { DockerStatusPanel } from '../docker/DockerStatusPanel';
import { useDockerStatus } from '../docker/use-docker-status';
import { ClusterDetail } from './ClusterDetail';
import { MesosBadge } from './MesosBadge';
import { NewClusterDialog } from './NewClusterDialog';
import { clusterState, useClusters } from './use-clusters';
import { ErrorCallout } from '../../components/ErrorCallout';

export function ClustersPage() {
  const selected = useUiStore((s) => s.selectedCluster);
  // Attached and launched clusters share one namespace: an attached one has its own page.
  const attached = useAttachedCluster(selected);
  if (attached) return <AttachedClusterDetail cluster={attached} />;
  return selected ? <ClusterDetail name={selected} /> : <ClusterList />;
}

function ClusterList() {
  const { data: clusters, isPending, error } = useClusters();
  const { data: docker } = useDockerStatus();
  const { data: attached } = useAttached();
  const [creating, setCreating] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const canCreate = docker?.reachable === true;
  const newButton = (
    <Button size="3" onClick={() => setCreating(true)} disabled={!canCreate}>
      <Plus size={16} /> New cluster
    </Button>
  );
  const connectButton = (
    <Button size="3" variant="soft" onClick={() => setConnecting(true)}>
      <Link2 size={16} /> Connect
    </Button>
  );
  const actions = (
    <Flex gap="3">
      {connectButton}
      {newButton}
    </Flex>
  );
  return (
    <div className="page">
      <PageHeader
        title="Clusters"
        description="Local Apache Mesos clusters: ZooKeeper, masters and agents, each node in its own container; and clusters you connect to."
        actions={actions}
      />
      <Flex direction="column" gap="5">
        <DockerStatusPanel compact={(clusters?.length ?? 0) > 0 || (attached?.length ?? 0) > 0} />
        {attached && attached.length > 0 && (
          <Grid columns={{ initial: '1', md: '2' }} gap="4" data-testid="attached-list">
            {attached.map((c) => (
              <AttachedCard key={c.name} cluster={c} />
            ))}
          </Grid>
        )}
        {isPending ? (
          <Skeleton height="120px" />
        ) : error && !clusters ? (
          <ErrorCallout data-testid="clusters-error">Could not list the clusters: {error.message}</ErrorCallout>
        ) : clusters && clusters.length > 0 ? (
          <Grid columns={{ initial: '1', md: '2' }} gap="4">
            {clusters.map((c) => (
              <ClusterCard key={c.name} cluster={c} />
            ))}
          </Grid>
        ) : (attached?.length ?? 0) > 0 ? null : (
          <Card size="3">
            <EmptyState icon={<Boxes size={28} />} title="No clusters yet" action={newButton}>
              Launch ZooKeeper, masters and agents on this Docker engine with one click, then watch nodes, frameworks, offers and
              tasks live.
            </EmptyState>
          </Card>
        )}
      </Flex>
      <NewClusterDialog open={creating} onOpenChange={setCreating} />
      <ConnectDialog open={connecting} onOpenChange={setConnecting} />
    </div>
  );
}

function AttachedCard({ cluster }: { cluster: AttachedCluster }) {
  const open = useUiStore((s) => s.openCluster);
  return (
    <Card size="3" asChild data-testid={`cluster-card-${cluster.name}`}>
      <button type="button" className="card-button" onClick={() => open(cluster.name)}>
        <Flex justify="between" align="start" gap="3">
          <div>
            <Heading size="5">{cluster.name}</Heading>
            <Text as="p" size="2" color="gray" mt="1">
              {cluster.zk ?? cluster.masters.join(' · ')}
            </Text>
          </div>
          <Badge color="violet" size="2" variant="soft">
            <Link2 size={12} /> Attached
          </Badge>
        </Flex>
        <Flex gap="2" mt="3" align="center" wrap="wrap">
          <Badge color={cluster.writes ? 'red' : 'gray'} variant="soft">
            {cluster.writes ? 'Writes on' : 'Read-only'}
          </Badge>
          <Text size="1" color="gray">
            {cluster.auth.kind === 'basic' ? `user ${cluster.auth.username}` : cluster.auth.kind === 'bearer' ? 'bearer token' : 'no authentication'}
          </Text>
        </Flex>
      </button>
    </Card>
  );
}

function ClusterCard({ cluster }: { cluster: ClusterSummary }) {
  const open = useUiStore((s) => s.openCluster);
  const state = clusterState(cluster);
  const count = (role: string) => cluster.nodes.filter((n) => n.role === role).length;
  return (
    <Card size="3" asChild data-testid={`cluster-card-${cluster.name}`}>
      <button type="button" className="card-button" onClick={() => open(cluster.name)}>
        <Flex justify="between" align="start" gap="3">
          <div>
            <Heading size="5">{cluster.name}</Heading>
            <Text as="p" size="2" color="gray" mt="1">
              {count('master')} {count('master') === 1 ? 'master' : 'masters'} · {count('agent')} {count('agent') === 1 ? 'agent' : 'agents'} ·{' '}
              {cluster.layout.network} network
            </Text>
          </div>
          <Badge color={state.color} size="2" variant="soft">
            {state.label}
          </Badge>
        </Flex>
        <Flex gap="2" mt="3" align="center" wrap="wrap">
          <MesosBadge mesos={cluster.mesos} />
          <Text size="1" color="gray">
            master {cluster.layout.hostAddress}:{cluster.layout.masters[0]?.port}
          </Text>
        </Flex>
      </button>
    </Card>
  );
}
