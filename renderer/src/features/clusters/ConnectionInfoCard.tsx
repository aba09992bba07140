import { Card, Flex, Grid, Heading, Text } from '@radix-ui/themes';
import { connectionInfo } from '@shared/cluster/connection';
import type { ClusterSummary } from '@shared/cluster/status';
import { CopyField } from '../../components/CopyField';

/** For framework developers: where the cluster is, and how a scheduler on this machine reaches it. */
export function ConnectionInfoCard({ cluster }: { cluster: ClusterSummary }) {
  const info = connectionInfo(cluster);
  return (
    <Card size="3" data-testid="connection-info">
      <Heading size="4" mb="1">
        Connect a framework
      </Heading>
      {info.notes.map((note) => (
        <Text as="p" size="2" color="gray" mb="3" key={note}>
          {note}
        </Text>
      ))}
      <Grid columns={{ initial: '1', md: '2' }} gap="4" mb="4">
        <CopyField label="MESOS_MASTER (follows leader changes)" value={info.zk} />
        <CopyField label="Master (any master redirects to the leader)" value={info.master} />
      </Grid>
      <Flex direction="column" gap="3">
        <CopyField label="Environment for a scheduler on this machine" value={info.env} multiline />
        <CopyField label="Run a task with mesos-execute" value={info.mesosExecute} />
        <CopyField label="Master state" value={info.curlState} />
        <CopyField label="Operator API" value={info.curlOperator} />
      </Flex>
    </Card>
  );
}
