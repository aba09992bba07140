import { Badge, Table, Text } from '@radix-ui/themes';
import type { ClusterView } from '@shared/dashboard/view';
import { shortState } from './describe';

export function FrameworksTab({ view }: { view: ClusterView }) {
  const frameworks = Object.values(view.frameworks);
  if (frameworks.length === 0) {
    return (
      <Text as="p" size="2" color="gray">
        No framework has subscribed yet. Point one at this cluster (see Connect a framework on the Nodes tab).
      </Text>
    );
  }
  return (
    <Table.Root variant="surface" size="1" data-testid="frameworks-table">
      <Table.Header>
        <Table.Row>
          <Table.ColumnHeaderCell>Framework</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>State</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Roles</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Capabilities</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Allocated</Table.ColumnHeaderCell>
          <Table.ColumnHeaderCell>Tasks</Table.ColumnHeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {frameworks.map((f) => (
          <Table.Row key={f.id}>
            <Table.RowHeaderCell>
              <Text weight="medium">{f.name}</Text>
              <Text as="div" size="1" color="gray">
                {f.id} · user {f.user}
                {f.checkpoint ? ' · checkpoint' : ''}
              </Text>
            </Table.RowHeaderCell>
            <Table.Cell>
              <Badge color={f.state === 'active' ? 'green' : f.state === 'removed' ? 'gray' : 'amber'}>{f.state}</Badge>
            </Table.Cell>
            <Table.Cell>{f.roles.join(', ')}</Table.Cell>
            <Table.Cell>
              <Text size="1">{f.capabilities.map((c) => c.toLowerCase()).join(', ')}</Text>
            </Table.Cell>
            <Table.Cell>
              {f.allocated.cpus} cpus · {f.allocated.mem} MB
            </Table.Cell>
            <Table.Cell>
              <Text size="1">
                {Object.entries(f.taskCounts)
                  .map(([state, n]) => `${n} ${shortState(state).toLowerCase()}`)
                  .join(', ') || '—'}
              </Text>
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table.Root>
  );
}
