import { Badge, Callout, Flex, Text } from '@radix-ui/themes';
import type { AgentReach } from '@shared/contract/attach';
import { useQuery } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useClient } from '../../api/client-context';

/** How often the agents' reachability from this machine is checked again. */
const RECHECK_MS = 15_000;

/** Whether this machine reaches each agent of an attached cluster, checked now and every 15 s. */
export function useAgentReach(name: string) {
  const client = useClient();
  return useQuery({ queryKey: ['attach.agents', name], queryFn: () => client.call('attach.agents', { name }), refetchInterval: RECHECK_MS });
}

/**
 * Agents the master knows of that this machine cannot reach (another host's address, a firewall):
 * named with their address, so their sandboxes and task output are not taken for empty.
 */
export function UnreachableAgents({ agents }: { agents: AgentReach[] | undefined }) {
  const unreachable = agents?.filter((a) => !a.reachable) ?? [];
  if (unreachable.length === 0) return null;
  return (
    <Callout.Root color="amber" mb="4" data-testid="unreachable-agents">
      <Callout.Icon>
        <TriangleAlert size={16} />
      </Callout.Icon>
      <Callout.Text>
        {unreachable.length === 1 ? 'An agent is' : `${unreachable.length} agents are`} unreachable from here: its sandboxes and task output cannot be read from this machine.
      </Callout.Text>
      {unreachable.map((a) => (
        <Text as="div" size="1" key={a.agentId}>
          <Badge color="amber" variant="soft">
            {a.address}
          </Badge>{' '}
          agent {a.agentId}: {a.problem}
        </Text>
      ))}
    </Callout.Root>
  );
}

/** The agents and whether each is reached from here, for the connection's card. */
export function AgentReachList({ agents }: { agents: AgentReach[] | undefined }) {
  if (!agents) return <Text color="gray">Checking…</Text>;
  if (agents.length === 0) return <Text color="gray">No agent registered yet.</Text>;
  return (
    <Flex direction="column" gap="1">
      {agents.map((a) => (
        <Flex key={a.agentId} gap="2" align="center" data-testid="agent-reach">
          <Badge color={a.reachable ? 'green' : 'amber'} variant="soft">
            {a.reachable ? 'reachable' : 'unreachable'}
          </Badge>
          <Text size="2">{a.address}</Text>
        </Flex>
      ))}
    </Flex>
  );
}
