import { Badge, Flex, Heading, Text } from '@radix-ui/themes';
import type { ClusterView } from '@shared/dashboard/view';
import type { OfferDecision } from '@shared/runs/schemas';
import { clockTime } from '../dashboard/describe';

const COLOR = { accepted: 'green', declined: 'amber', rescinded: 'orange' } as const;

/** What the built-in framework did with each offer: accepted for which tasks, declined (why, for how long), rescinded. */
export function OfferDecisions({ decisions, view, title }: { decisions: readonly OfferDecision[]; view: ClusterView | null; title: string }) {
  const agentName = (d: OfferDecision) => {
    const a = view?.agents[d.agentId];
    return a ? `${a.hostname}:${a.port}` : d.hostname || d.agentId;
  };
  return (
    <div>
      <Heading size="3" mb="2">
        {title}
      </Heading>
      {decisions.length === 0 ? (
        <Text size="2" color="gray">
          No offer yet.
        </Text>
      ) : (
        <Flex direction="column" gap="1" data-testid="offer-decisions">
          {[...decisions].reverse().map((d) => (
            <Flex key={`${d.offerId}-${d.outcome}`} gap="2" align="center" wrap="wrap" data-testid={`offer-decision-${d.outcome}`}>
              <Text size="1" color="gray">
                {clockTime(d.at)}
              </Text>
              <Badge color={COLOR[d.outcome]}>{d.outcome}</Badge>
              <Text size="1">
                {agentName(d)}: {Math.round(d.cpus * 100) / 100} cpus, {Math.round(d.mem)} MB
              </Text>
              <Text size="1" color="gray">
                {d.outcome === 'accepted' ? `for ${d.taskIds?.join(', ')}` : d.why}
                {d.outcome === 'declined' && d.refuseSeconds !== undefined ? ` · refused for ${d.refuseSeconds} s` : ''}
              </Text>
            </Flex>
          ))}
        </Flex>
      )}
    </div>
  );
}
