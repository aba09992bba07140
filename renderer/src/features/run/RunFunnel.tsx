import { Badge, Callout, Flex, Table, Text } from '@radix-ui/themes';
import type { ClusterView } from '@shared/dashboard/view';
import { runFunnel } from '@shared/funnel/from-views';
import type { RunsView } from '@shared/runs/schemas';
import { Filter } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useClusterView } from '../dashboard/use-cluster-view';

type PendingRun = RunsView['pending'][number];

/** The offers of one agent shown (the newest): a long wait brings one every few seconds. */
const SHOWN_OFFERS = 3;

/** The clock the funnel reads (refuse filters run out, "waiting N s"): once a second while shown. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Why a waiting run is not launching, live: every agent and every offer the framework received for
 * it checked against what the run needs, the first dimension that does not fit named with the numbers,
 * and the reasons no offer comes.
 */
export function RunFunnel({ cluster, view, runs, pending }: { cluster: string; view: ClusterView | null; runs: RunsView; pending: PendingRun }) {
  const now = useNow(1000);
  // With the outstanding offers polled (the page's view polls them only on some tabs): an offer held by
  // another framework is one of the reasons named.
  const withOffers = useClusterView(cluster, { offers: true });
  const funnel = runFunnel(withOffers ?? view, runs, pending, now);
  return (
    <Flex direction="column" gap="2" data-testid="run-funnel">
      <Callout.Root color="amber" size="1">
        <Callout.Icon>
          <Filter size={16} />
        </Callout.Icon>
        <Callout.Text data-testid="funnel-headline">
          Waiting for offers: {pending.waiting} task{pending.waiting === 1 ? '' : 's'} of {pending.cpus} cpus, {pending.mem} MB
          {pending.agentId ? `, pinned to ${pending.agentId}` : ''}. {funnel.headline}.
        </Callout.Text>
      </Callout.Root>
      <Table.Root size="1" variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Agent</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Fits?</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>What the task needs against what the agent has</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {funnel.agents.map((a) => (
            <Table.Row key={a.agentId} data-testid="funnel-agent" data-agent={a.name} data-dimension={a.dimension ?? 'fits'}>
              <Table.Cell>
                <Text size="1">{a.name}</Text>
              </Table.Cell>
              <Table.Cell>{a.fits ? <Badge color="green">fits</Badge> : <Badge color="red">{a.dimension}</Badge>}</Table.Cell>
              <Table.Cell>
                <Text size="1">{a.text}</Text>
                {a.offers.length > SHOWN_OFFERS && (
                  <Text as="div" size="1" color="gray">
                    {a.offers.length - SHOWN_OFFERS} earlier offer{a.offers.length - SHOWN_OFFERS === 1 ? '' : 's'} of this agent, then:
                  </Text>
                )}
                {a.offers.slice(-SHOWN_OFFERS).map((o) => (
                  <Text as="div" size="1" color="gray" key={`${o.offerId}-${o.outcome}`} data-testid="funnel-offer">
                    offer {o.offerId.split('-').slice(-2).join('-')} ({o.outcome}): {o.text}
                  </Text>
                ))}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {funnel.reasons.length > 0 && (
        <Flex direction="column" gap="1" data-testid="funnel-reasons">
          <Text size="1" weight="medium">
            Why no offer holds it
          </Text>
          {funnel.reasons.map((r) => (
            <Text size="1" key={r}>
              · {r}
            </Text>
          ))}
        </Flex>
      )}
    </Flex>
  );
}
