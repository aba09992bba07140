import { Badge, Button, Callout, Card, DataList, Flex, Heading, Switch, Tabs, Text } from '@radix-ui/themes';
import type { AttachedCluster, DockerEndpointStatus } from '@shared/attach/connection';
import type { AgentReach } from '@shared/contract/attach';
import { useMutation } from '@tanstack/react-query';
import { ArrowLeft, CircleAlert, Link2, Unplug } from 'lucide-react';
import { useMemo } from 'react';
import { useClient } from '../../api/client-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useUiStore } from '../../store/ui-store';
import { MesosTabContents, MesosTabTriggers } from '../dashboard/MesosTabs';
import { useTab } from '../dashboard/use-tab';
import { DashboardSourceContext, LiveViewContext, type DashboardSource } from '../dashboard/source';
import { useClusterView } from '../dashboard/use-cluster-view';
import { useLiveVerdicts } from '../doctor/use-doctor';
import { MesosConnectionBadge } from '../clusters/ClusterDetail';
import { SupportBundleButton } from '../bundle/SupportBundleButton';
import { RecordButton } from '../recordings/RecordButton';
import { RunTaskButton } from '../run/RunDialog';
import { DockerEndpointList, UnreachableDocker, useDockerStatus } from './DockerEndpoints';
import { AgentReachList, UnreachableAgents, useAgentReach } from './UnreachableAgents';

/**
 * A cluster Mesoscope did not start: the same Mesos tabs as a launched one (overview, tasks with the
 * drawer, its logs and doctor, frameworks, offers), no node actions (there are no containers of ours),
 * and the writes switch in the header: off, Run and Kill are not offered (and the host refuses them).
 */
export function AttachedClusterDetail({ cluster }: { cluster: AttachedCluster }) {
  const name = cluster.name;
  const [tab, setTab] = useTab('overview');
  const view = useClusterView(name, { offers: tab === 'offers' || tab === 'overview' });
  const verdicts = useLiveVerdicts(name, tab === 'tasks' ? view : null);
  const source = useMemo<DashboardSource>(() => ({ kind: 'live', cluster: name, verdicts, readOnly: !cluster.writes }), [name, verdicts, cluster.writes]);
  const client = useClient();
  const openCluster = useUiStore((s) => s.openCluster);
  const setWrites = useMutation({ mutationFn: (writes: boolean) => client.call('attach.setWrites', { name, writes }) });
  const detach = useMutation({ mutationFn: () => client.call('attach.remove', { name }), onSuccess: () => openCluster(null) });
  const error = setWrites.error ?? detach.error;
  const leader = view?.masters.find((m) => m.leader);
  const reach = useAgentReach(name).data;
  const dockerStatus = useDockerStatus(cluster).data;
  return (
    <LiveViewContext.Provider value={view}>
      <div className="page">
        <Flex mb="3">
          <Button variant="ghost" color="gray" onClick={() => openCluster(null)}>
            <ArrowLeft size={16} /> All clusters
          </Button>
        </Flex>
        <Flex justify="between" align="end" gap="4" mb="5" wrap="wrap">
          <div>
            <Flex align="center" gap="3">
              <Heading size="7">{name}</Heading>
              <Badge color="violet" size="2" data-testid="attached-badge">
                <Link2 size={12} /> Attached
              </Badge>
              {leader?.version && (
                <Badge color="gray" variant="soft">
                  Mesos {leader.version}
                </Badge>
              )}
            </Flex>
            <Text as="p" size="2" color="gray" mt="1">
              {cluster.zk ?? cluster.masters.join(' · ')}
              {leader && (
                <>
                  {' · leader '}
                  <span data-testid="attached-leader">{leader.url}</span>
                </>
              )}
            </Text>
          </div>
          <Flex gap="3" align="center">
            <Text as="label" size="2">
              <Flex gap="2" align="center">
                <Switch
                  checked={cluster.writes}
                  disabled={setWrites.isPending}
                  onCheckedChange={(on) => setWrites.mutate(on)}
                  aria-label="Writes"
                  data-testid="writes-switch"
                  color={cluster.writes ? 'red' : undefined}
                />
                {cluster.writes ? 'Writes on' : 'Read-only'}
              </Flex>
            </Text>
            {cluster.writes ? (
              <RunTaskButton cluster={name} />
            ) : (
              <Button disabled title="Turn writes on to run tasks on this cluster">
                Run task
              </Button>
            )}
            <RecordButton cluster={name} />
            <SupportBundleButton cluster={name} />
            <ConfirmButton
              title={`Detach ${name}?`}
              description="Mesoscope forgets this connection and its secret. The cluster itself is not touched."
              confirmLabel="Detach"
              loading={detach.isPending}
              onConfirm={() => detach.mutate()}
            >
              <Unplug size={14} /> Detach
            </ConfirmButton>
          </Flex>
        </Flex>
        {error && (
          <Callout.Root color="red" mb="4" role="alert">
            <Callout.Icon>
              <CircleAlert size={16} />
            </Callout.Icon>
            <Callout.Text>{error.message}</Callout.Text>
          </Callout.Root>
        )}
        <UnreachableAgents agents={reach} />
        <UnreachableDocker status={dockerStatus} />
        <DashboardSourceContext.Provider value={source}>
          <Tabs.Root value={tab} onValueChange={setTab}>
            <Tabs.List mb="4">
              <MesosTabTriggers view={view} />
              <Tabs.Trigger value="connection">Connection</Tabs.Trigger>
              <Flex align="center" ml="auto" pr="2">
                <MesosConnectionBadge view={view} />
              </Flex>
            </Tabs.List>
            <Tabs.Content value="connection">
              <ConnectionCard cluster={cluster} agents={reach} dockerStatus={dockerStatus} />
            </Tabs.Content>
            <MesosTabContents tab={tab} view={view} waiting="Connecting to the masters…" dimWhenStale />
          </Tabs.Root>
        </DashboardSourceContext.Provider>
      </div>
    </LiveViewContext.Provider>
  );
}

function ConnectionCard({ cluster, agents, dockerStatus }: { cluster: AttachedCluster; agents: AgentReach[] | undefined; dockerStatus: DockerEndpointStatus[] | undefined }) {
  return (
    <Card size="3">
      <DataList.Root>
        <DataList.Item>
          <DataList.Label>Masters</DataList.Label>
          <DataList.Value>{cluster.zk ?? cluster.masters.join(', ')}</DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>HTTP authentication</DataList.Label>
          <DataList.Value>{cluster.auth.kind === 'basic' ? `user ${cluster.auth.username}` : cluster.auth.kind === 'bearer' ? 'bearer token' : 'none'}</DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>TLS</DataList.Label>
          <DataList.Value>{cluster.tls?.fingerprint256 ? `pinned ${cluster.tls.fingerprint256}` : cluster.tls?.caFile ? `CA ${cluster.tls.caFile}` : 'system CAs (https) or none (http)'}</DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>Secret kept in</DataList.Label>
          <DataList.Value>{cluster.auth.kind === 'none' ? 'no secret' : cluster.secretStorage.where}</DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>Agents from here</DataList.Label>
          <DataList.Value>
            <AgentReachList agents={agents} />
          </DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>Docker endpoints</DataList.Label>
          <DataList.Value>
            <DockerEndpointList cluster={cluster} status={dockerStatus} />
          </DataList.Value>
        </DataList.Item>
        <DataList.Item>
          <DataList.Label>What works here</DataList.Label>
          <DataList.Value>
            The live dashboard, frameworks, offers, agents, tasks with their history from the moment of attach, task output and sandboxes through each agent&apos;s /files, and the doctor
            from Mesos&apos; own evidence and the Mesos logs (with Docker evidence only from the Docker endpoints named above), and the flight recorder (its Mesos events and log lines; no Docker events). Node actions and faults need Docker containers Mesoscope launched: they are not offered.
          </DataList.Value>
        </DataList.Item>
      </DataList.Root>
    </Card>
  );
}
