import { Badge, Button, Callout, DropdownMenu, Flex, Grid, Heading, Text } from '@radix-ui/themes';
import { ArrowLeft, CircleAlert, Download, Play, Plus, Square, Trash2 } from 'lucide-react';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useUiStore } from '../../store/ui-store';
import { ConnectionInfoCard } from './ConnectionInfoCard';
import { MesosBadge } from './MesosBadge';
import { NodeCard } from './NodeCard';
import { downloadSpec } from './spec-file';
import { useClusterCall } from './use-cluster-actions';
import { clusterState, useCluster, useClusters } from './use-clusters';

export function ClusterDetail({ name }: { name: string }) {
  const cluster = useCluster(name);
  const { isPending } = useClusters();
  const openCluster = useUiStore((s) => s.openCluster);
  const addAgent = useClusterCall('clusters.addAgent');
  const resume = useClusterCall('clusters.resume');
  const stop = useClusterCall('clusters.stop');
  const destroy = useClusterCall('clusters.destroy');
  const error = addAgent.error ?? resume.error ?? stop.error ?? destroy.error;

  if (!cluster) {
    return (
      <div className="page">
        <BackLink />
        <Text color="gray">{isPending ? 'Loading…' : `There is no cluster named ${name} (any more).`}</Text>
      </div>
    );
  }
  const state = clusterState(cluster);
  return (
    <div className="page">
      <BackLink />
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
        <Flex gap="2">
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
          <Button variant="soft" onClick={() => addAgent.mutate({ cluster: name })} loading={addAgent.isPending}>
            <Plus size={14} /> Add agent
          </Button>
          <ConfirmButton
            title={`Destroy ${name}?`}
            description="Every container, network and volume of the cluster goes, with the task containers its agents started and the agents' work dirs (sandboxes included)."
            confirmLabel="Destroy"
            loading={destroy.isPending}
            onConfirm={() => destroy.mutate({ name }, { onSuccess: () => openCluster(null) })}
          >
            <Trash2 size={14} /> Destroy
          </ConfirmButton>
        </Flex>
      </Flex>
      {error && (
        <Callout.Root color="red" mb="4" role="alert">
          <Callout.Icon>
            <CircleAlert size={16} />
          </Callout.Icon>
          <Callout.Text className="launch-error-text">{error.message}</Callout.Text>
        </Callout.Root>
      )}
      <Grid columns={{ initial: '1', sm: '2', lg: '3' }} gap="4" mb="5">
        {cluster.nodes.map((node) => (
          <NodeCard key={node.name} cluster={cluster} node={node} />
        ))}
      </Grid>
      <ConnectionInfoCard cluster={cluster} />
    </div>
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
