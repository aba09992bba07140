import { Badge, Flex, Heading, Table, Text } from '@radix-ui/themes';
import type { ClusterView } from '@shared/dashboard/view';
import { clockTime } from './describe';

const OUTCOME_COLOR = { made: 'blue', accepted: 'green', declined: 'amber', rescinded: 'orange', gone: 'gray' } as const;

/** The offers outstanding now (polled about every second while this tab is open), and what became of recent ones. */
export function OffersTab({ view }: { view: ClusterView }) {
  const offers = Object.values(view.offers);
  const frameworkName = (id: string) => view.frameworks[id]?.name ?? id;
  const agentName = (id: string) => (view.agents[id] ? `${view.agents[id].hostname}:${view.agents[id].port}` : id);
  return (
    <Flex direction="column" gap="4">
      <div>
        <Heading size="3" mb="2">
          Outstanding offers
        </Heading>
        {offers.length === 0 ? (
          <Text as="p" size="2" color="gray">
            None right now. Offers go to subscribed frameworks about once a second; most are accepted or declined at once.
          </Text>
        ) : (
          <Table.Root variant="surface" size="1" data-testid="offers-table">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeaderCell>Offer</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Framework</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Agent</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Resources</Table.ColumnHeaderCell>
                <Table.ColumnHeaderCell>Seen</Table.ColumnHeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {offers.map((o) => (
                <Table.Row key={o.id}>
                  <Table.RowHeaderCell>
                    <Text size="1">{o.id}</Text>
                  </Table.RowHeaderCell>
                  <Table.Cell>{frameworkName(o.frameworkId)}</Table.Cell>
                  <Table.Cell>{agentName(o.agentId)}</Table.Cell>
                  <Table.Cell>
                    {o.resources.cpus} cpus · {o.resources.mem} MB{o.resources.ports ? ` · ${o.resources.ports}` : ''}
                  </Table.Cell>
                  <Table.Cell>{clockTime(o.firstSeenAt)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        )}
      </div>
      <div>
        <Heading size="3" mb="2">
          Recent outcomes
        </Heading>
        {view.offerHistory.length === 0 ? (
          <Text as="p" size="2" color="gray">
            Nothing seen yet.
          </Text>
        ) : (
          <Flex direction="column" gap="1" data-testid="offer-history">
            {[...view.offerHistory].reverse().slice(0, 50).map((o) => (
              <Flex key={`${o.id}-${o.outcome}-${o.at}`} gap="2" align="center">
                <Text size="1" color="gray">
                  {clockTime(o.at)}
                </Text>
                <Badge color={OUTCOME_COLOR[o.outcome]}>{o.outcome}</Badge>
                <Text size="1">
                  {frameworkName(o.frameworkId)} ← {agentName(o.agentId)}: {o.resources.cpus} cpus, {o.resources.mem} MB
                </Text>
                {o.note && (
                  <Text size="1" color="gray">
                    {o.note}
                  </Text>
                )}
              </Flex>
            ))}
          </Flex>
        )}
      </div>
    </Flex>
  );
}
