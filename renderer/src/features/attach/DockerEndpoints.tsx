import { Badge, Flex, Text } from '@radix-ui/themes';
import type { AttachedCluster, DockerEndpointStatus } from '@shared/attach/connection';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';
import { WarningCallout } from '../../components/ErrorCallout';

/** The named Docker endpoints' state (following, unreachable), checked now and every 10 s. */
export function useDockerStatus(cluster: AttachedCluster) {
  const client = useClient();
  const named = (cluster.dockerEndpoints?.length ?? 0) > 0;
  return useQuery({
    queryKey: ['attach.docker', cluster.name],
    queryFn: () => client.call('attach.docker', { name: cluster.name }),
    refetchInterval: 10_000,
    enabled: named,
  });
}

/** A Docker endpoint that does not answer, in words above the tabs: the doctor has no Docker evidence from it. */
export function UnreachableDocker({ status }: { status: DockerEndpointStatus[] | undefined }) {
  const down = status?.filter((s) => s.state === 'unreachable') ?? [];
  if (down.length === 0) return null;
  return (
    <WarningCallout mb="4" data-testid="docker-unreachable">
      {down.map((s) => (
        <span key={s.url} style={{ display: 'block' }}>
          {s.message}
        </span>
      ))}
    </WarningCallout>
  );
}

/** Each named endpoint: for which agents, and whether it is followed now. */
export function DockerEndpointList({ cluster, status }: { cluster: AttachedCluster; status: DockerEndpointStatus[] | undefined }) {
  const named = cluster.dockerEndpoints ?? [];
  if (named.length === 0) return <Text color="gray">none named: the doctor has no Docker evidence for this cluster</Text>;
  return (
    <Flex direction="column" gap="1" data-testid="docker-endpoints">
      {named.map((e) => {
        const s = status?.find((x) => x.url === e.url);
        return (
          <Flex key={e.agent} gap="2" align="center" wrap="wrap">
            <Text>
              {e.agent === '*' ? 'every agent' : e.agent}: <code>{e.url}</code>
            </Text>
            <Badge color={s?.state === 'following' ? 'green' : s?.state === 'unreachable' ? 'amber' : 'gray'} variant="soft">
              {s?.state === 'following' ? `following (agents ${s.agents.join(', ')})` : s?.state === 'unreachable' ? 'unreachable' : s ? 'connecting' : 'not in use (no agent of that name, or the dashboard is closed)'}
            </Badge>
            {s?.problems.map((p) => (
              <Text key={p} size="1" color="amber">
                {p}
              </Text>
            ))}
          </Flex>
        );
      })}
    </Flex>
  );
}
