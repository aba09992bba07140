import { Badge, Button, Card, Code, Flex, Grid, Heading, Select, Switch, Text, TextField } from '@radix-ui/themes';
import type { ClusterSummary } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import { clusterTimers, FAULT_AGENT_ATTRIBUTE, FAULTS, type FaultDefinition, faultContext, faultParams } from '@shared/faults/catalog';
import { statusText } from '@shared/faults/expectation';
import { humanMs } from '@shared/mesos/duration';
import { variantLabel } from '@shared/runs/schemas';
import { useMutation } from '@tanstack/react-query';
import { Zap } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { parseCitation, splitFaultRows } from '../reference/citation';
import { CitationLink } from '../reference/CitationLink';
import { FaultResult } from './FaultResult';
import { resultKey, useFaultStore } from './fault-store';
import { ErrorCallout } from '../../components/ErrorCallout';

/**
 * Break things on purpose: one card per fault, each saying what it does and what Mesos will do, how
 * long it takes, and the exact update faults.md predicts for the framework options chosen above;
 * then, once injected, what really happened.
 */
export function FaultsTab({ cluster, view }: { cluster: ClusterSummary; view: ClusterView | null }) {
  const { variant, taskImage, setVariant, setTaskImage } = useFaultStore();
  const shown = FAULTS.filter((f) => !(f.hiddenWhenUnavailable && f.unavailable(cluster)));
  return (
    <Flex direction="column" gap="4" data-testid="faults">
      <Card size="2">
        <Flex gap="5" wrap="wrap" align="center">
          <Text as="label" size="2">
            <Flex gap="2" align="center">
              <Switch checked={variant.checkpoint} onCheckedChange={(checkpoint) => setVariant({ checkpoint })} aria-label="Fault framework checkpoint" />
              Checkpoint
            </Flex>
          </Text>
          <Text as="label" size="2">
            <Flex gap="2" align="center">
              <Switch checked={variant.partitionAware} onCheckedChange={(partitionAware) => setVariant({ partitionAware })} aria-label="Fault framework partition-aware" />
              Partition-aware
            </Flex>
          </Text>
          <Flex gap="2" align="center">
            <Text size="2">Task image</Text>
            <TextField.Root size="1" value={taskImage} onChange={(e) => setTaskImage(e.target.value)} aria-label="Fault task image" style={{ width: 240 }} />
          </Flex>
        </Flex>
        <Text as="p" size="1" color="gray" mt="2">
          Faults hit a task of the built-in framework mesoscope ({variantLabel(variant)}); where one is needed, it is started first ({taskImage}, sleep 3600). The
          outcome is <CitationLink citation={parseCitation('faults.md')!}>faults.md</CitationLink>&apos;s, observed on a real Mesos 1.12 unless marked &quot;source&quot;. This cluster: agents are given up after{' '}
          {humanMs(clusterTimers(cluster).pingsMs)} of missed pings.
        </Text>
      </Card>
      <Grid columns={{ initial: '1', md: '2' }} gap="4" align="start">
        {shown.map((fault) => (
          <FaultCard key={fault.id} fault={fault} cluster={cluster} view={view} />
        ))}
      </Grid>
    </Flex>
  );
}

function FaultCard({ fault, cluster, view }: { fault: FaultDefinition; cluster: ClusterSummary; view: ClusterView | null }) {
  const client = useClient();
  const { variant, taskImage, record, results } = useFaultStore();
  const [given, setGiven] = useState<Record<string, string>>({});
  // Ordinary agents (not the ones faults added for themselves), the active ones first: the default.
  const agents = Object.values(view?.agents ?? {})
    .filter((a) => a.attributes[FAULT_AGENT_ATTRIBUTE] === undefined)
    .sort((a, b) => Number(a.state !== 'active') - Number(b.state !== 'active') || (a.port ?? 0) - (b.port ?? 0));
  const params = faultParams(fault, given);
  const agentId = params.agent || agents[0]?.id || '';
  const agentHostname = view?.agents[agentId]?.hostname ?? '<agent hostname>';
  const ctx = faultContext(variant, params, agentHostname);
  const timers = clusterTimers(cluster);
  const expectation = fault.expect(ctx, timers);
  const unavailable = fault.unavailable(cluster);
  const inject = useMutation({
    mutationFn: () =>
      client.call('faults.inject', { cluster: cluster.name, fault: fault.id, framework: variant, taskImage, params: { ...params, ...(fault.params.some((p) => p.key === 'agent') ? { agent: agentId } : {}) } }),
    onSuccess: record,
  });
  const result = results[resultKey(cluster.name, fault.id)];

  return (
    <Card size="2" data-testid={`fault-${fault.id}`}>
      <Flex direction="column" gap="2">
        <Flex justify="between" align="center" gap="2">
          <Heading size="3">{fault.label}</Heading>
          <Badge color="gray" variant="soft" data-testid="fault-rows">
            {expectation.rows.startsWith('api.md') ? '' : 'faults.md '}
            {splitFaultRows(expectation.rows).map((part, i) => (typeof part === 'string' ? part : <CitationLink key={i} citation={part} />))}
            {expectation.evidence === 'source' ? ' · source' : ''}
          </Badge>
        </Flex>
        <Text size="2" data-testid="fault-line">
          {fault.line(ctx, timers)}
        </Text>
        <Text size="1" color="gray">
          Expected:{' '}
          <Code size="1" variant="ghost" data-testid="fault-expected">
            {expectation.final ? statusText(expectation.final) : `no update; stays ${expectation.stays}`}
          </Code>
          {expectation.final ? ` within ${humanMs(expectation.withinMs)}` : ''}
        </Text>
        {fault.params.map((p) =>
          p.kind === 'agent' ? (
            <Flex key={p.key} gap="2" align="center">
              <Text size="2">{p.label}</Text>
              <Select.Root value={agentId} onValueChange={(v) => setGiven((g) => ({ ...g, agent: v }))}>
                <Select.Trigger aria-label={`${fault.label}: agent`} placeholder="no active agent" />
                <Select.Content>
                  {agents.map((a) => (
                    <Select.Item key={a.id} value={a.id}>
                      {a.hostname}:{a.port}
                      {a.state === 'active' ? '' : ` (${a.state})`}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select.Root>
            </Flex>
          ) : (
            <Flex key={p.key} gap="2" align="center">
              <Text size="2" style={{ whiteSpace: 'nowrap' }}>
                {p.label}
              </Text>
              <TextField.Root
                size="1"
                style={{ flex: 1 }}
                value={given[p.key] ?? p.default}
                title={p.help}
                aria-label={`${fault.label}: ${p.label}`}
                onChange={(e) => setGiven((g) => ({ ...g, [p.key]: e.target.value }))}
              />
            </Flex>
          ),
        )}
        {unavailable ? (
          <Text size="2" color="gray">
            {unavailable}
          </Text>
        ) : (
          <Flex>
            <Button color="crimson" onClick={() => inject.mutate()} loading={inject.isPending} data-testid={`inject-${fault.id}`}>
              <Zap size={14} /> Inject
            </Button>
          </Flex>
        )}
        {inject.error && (
          <ErrorCallout size="1">{inject.error.message}</ErrorCallout>
        )}
        {result && !inject.isPending && <FaultResult injection={result} view={view} />}
      </Flex>
    </Card>
  );
}
