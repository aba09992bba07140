import { Card, Flex } from '@radix-ui/themes';
import { Boxes } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { DockerStatusPanel } from '../docker/DockerStatusPanel';

export function ClustersPage() {
  return (
    <div className="page">
      <PageHeader
        title="Clusters"
        description="Local Apache Mesos clusters: ZooKeeper, masters and agents, each node in its own container."
      />
      <Flex direction="column" gap="5">
        <DockerStatusPanel />
        <Card size="3">
          <EmptyState icon={<Boxes size={28} />} title="No clusters yet">
            Clusters you launch on this Docker engine appear here, with their nodes, frameworks, offers and tasks.
          </EmptyState>
        </Card>
      </Flex>
    </div>
  );
}
