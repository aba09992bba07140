import { Badge, Flex, Progress, Spinner, Table, Text } from '@radix-ui/themes';
import type { LaunchProgress } from '@shared/cluster/status';
import { Check, CircleAlert } from 'lucide-react';
import { formatBytes } from '../docker/describe';
import { useLaunchStore } from './launch-store';

const STEP_LABEL: Record<LaunchProgress['step'], string> = {
  pulling: 'Pulling image',
  creating: 'Creating',
  starting: 'Starting',
  waiting: 'Waiting',
  ready: 'Ready',
  failed: 'Failed',
};

/** One row per node: its step, what it waits for, pull bytes, and when it got there. */
export function LaunchProgressView({ cluster }: { cluster: string }) {
  const nodes = useLaunchStore((s) => s.byCluster[cluster]);
  const rows = Object.values(nodes ?? {}).filter((p) => p.node);
  if (rows.length === 0) {
    return (
      <Flex align="center" gap="2" py="4">
        <Spinner /> <Text color="gray">Checking Docker, the name, the ports and the images…</Text>
      </Flex>
    );
  }
  return (
    <Table.Root size="1" variant="surface" data-testid="launch-progress">
      <Table.Header>
        <Table.Row>
          <Table.ColumnHeaderCell>Node</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Step</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Detail</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell justify="end">Time</Table.ColumnHeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {rows
          .sort((a, b) => nodeOrder(a.node) - nodeOrder(b.node) || (a.node ?? '').localeCompare(b.node ?? ''))
          .map((p) => (
            <Table.Row key={p.node} data-testid={`launch-row-${p.node}`} data-step={p.step}>
              <Table.RowHeaderCell>
                <Text weight="medium">{p.node}</Text>
              </Table.RowHeaderCell>
              <Table.Cell>
                <StepBadge step={p.step} />
              </Table.Cell>
              <Table.Cell>
                <Flex direction="column" gap="1">
                  <Text size="1" color={p.step === 'failed' ? 'red' : 'gray'}>
                    {p.detail}
                  </Text>
                  {p.step === 'pulling' && p.pull && p.pull.total > 0 && (
                    <Flex align="center" gap="2">
                      <Progress value={(100 * p.pull.current) / p.pull.total} size="1" style={{ width: 140 }} />
                      <Text size="1" color="gray">
                        {formatBytes(p.pull.current)} / {formatBytes(p.pull.total)}
                      </Text>
                    </Flex>
                  )}
                </Flex>
              </Table.Cell>
              <Table.Cell justify="end">
                <Text size="1" color="gray">
                  {(p.elapsedMs / 1000).toFixed(1)} s
                </Text>
              </Table.Cell>
            </Table.Row>
          ))}
      </Table.Body>
    </Table.Root>
  );
}

function StepBadge({ step }: { step: LaunchProgress['step'] }) {
  if (step === 'ready') {
    return (
      <Badge color="green">
        <Check size={12} /> {STEP_LABEL[step]}
      </Badge>
    );
  }
  if (step === 'failed') {
    return (
      <Badge color="red">
        <CircleAlert size={12} /> {STEP_LABEL[step]}
      </Badge>
    );
  }
  return (
    <Badge color="blue">
      <Spinner size="1" /> {STEP_LABEL[step]}
    </Badge>
  );
}

function nodeOrder(node: string | null): number {
  if (!node) return 0;
  if (node.includes('-zookeeper-')) return 1;
  if (node.includes('-master-')) return 2;
  return 3;
}
