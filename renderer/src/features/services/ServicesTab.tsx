import { Badge, Button, Card, Flex, Heading, IconButton, Table, Text, TextField, Tooltip } from '@radix-ui/themes';
import { portLabel, type ServiceEvent, type ServiceInstance, type ServiceView } from '@shared/services/schemas';
import { useMutation } from '@tanstack/react-query';
import { Boxes, RotateCw, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { HealthBadge } from './HealthBadge';
import { NewServiceButton } from './NewServiceDialog';
import { useServices } from './use-services';

/** A service instance row's own actions (the cluster page passes a terminal into the instance's container). */
export type InstanceActions = (props: { cluster: string; service: string; instance: ServiceInstance }) => ReactNode;

/** The Services tab: each service with its instances' state, health and host ports, and its history. */
export function ServicesTab({ cluster, instanceActions }: { cluster: string; instanceActions?: InstanceActions }) {
  const { view, error } = useServices(cluster);
  return (
    <Flex direction="column" gap="4" data-testid="services-tab">
      <Flex justify="between" align="center">
        <Text color="gray" size="2">
          Long-running tasks of the built-in framework: kept at N instances, relaunched with backoff, ports from the offers, Mesos health checks.
        </Text>
        <NewServiceButton cluster={cluster} />
      </Flex>
      {error && <Text color="red">{error.message}</Text>}
      {!view ? (
        <Text color="gray">Loading services…</Text>
      ) : view.services.length === 0 ? (
        <EmptyState icon={<Boxes size={28} />} title="No services">
          Create one: a Docker image or a command, its ports and a health check. The Redis demo fills in two Redis instances with a port each.
        </EmptyState>
      ) : (
        view.services.map((s) => <ServiceCard key={s.spec.id} cluster={cluster} service={s} instanceActions={instanceActions} />)
      )}
    </Flex>
  );
}

function ServiceCard({ cluster, service, instanceActions }: { cluster: string; service: ServiceView; instanceActions?: InstanceActions }) {
  const client = useClient();
  const { spec } = service;
  const [scaleTo, setScaleTo] = useState(String(spec.instances));
  const scale = useMutation({ mutationFn: (instances: number) => client.call('services.scale', { cluster, id: spec.id, instances }) });
  const restart = useMutation({ mutationFn: () => client.call('services.restart', { cluster, id: spec.id }) });
  const remove = useMutation({ mutationFn: () => client.call('services.remove', { cluster, id: spec.id }) });
  const running = service.instances.filter((i) => i.state === 'TASK_RUNNING').length;
  const healthy = service.instances.filter((i) => i.healthy === true).length;
  const failure = scale.error ?? restart.error ?? remove.error;
  return (
    <Card data-testid={`service-${spec.id}`}>
      <Flex justify="between" align="start" gap="3" wrap="wrap" mb="2">
        <Flex direction="column" gap="1">
          <Flex gap="2" align="center">
            <Heading size="3">{spec.id}</Heading>
            <Badge color={running === spec.instances ? 'green' : 'amber'} variant="soft" data-testid="service-running">
              {running} of {spec.instances} running
            </Badge>
            {spec.healthCheck && (
              <Badge color={healthy === spec.instances ? 'green' : 'red'} variant="soft">
                {healthy} healthy ({spec.healthCheck.type})
              </Badge>
            )}
            {service.removing && <Badge color="gray">removing</Badge>}
          </Flex>
          <Text size="1" color="gray">
            {spec.image ?? 'command'} · {spec.network} · {spec.cpus} cpus · {spec.mem} MB
            {spec.ports.length > 0 && ` · ports ${spec.ports.map((_, i) => portLabel(spec, i)).join(', ')}`}
            {spec.command && ` · ${spec.command.length > 60 ? `${spec.command.slice(0, 60)}…` : spec.command}`}
          </Text>
        </Flex>
        {!service.removing && (
          <Flex gap="2" align="center">
            <TextField.Root size="1" style={{ width: 56 }} value={scaleTo} onChange={(e) => setScaleTo(e.target.value)} aria-label={`Instances of ${spec.id}`} />
            <Button size="1" variant="soft" onClick={() => scale.mutate(Number(scaleTo))} loading={scale.isPending} disabled={!/^\d+$/.test(scaleTo)}>
              Scale
            </Button>
            <Button size="1" variant="soft" onClick={() => restart.mutate()} loading={restart.isPending}>
              <RotateCw size={12} /> Restart
            </Button>
            <ConfirmButton
              size="1"
              title={`Remove ${spec.id}?`}
              description="Its instances are killed and its definition forgotten."
              confirmLabel="Remove"
              loading={remove.isPending}
              onConfirm={() => remove.mutate()}
            >
              <Trash2 size={12} /> Remove
            </ConfirmButton>
          </Flex>
        )}
      </Flex>
      {failure && (
        <Text color="red" size="1" as="p" mb="2">
          {failure.message}
        </Text>
      )}
      <Table.Root size="1" variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>#</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Task</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>State</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Health</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Endpoints</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {service.instances.map((i) => (
            <Table.Row key={i.slot} data-testid={`instance-${spec.id}-${i.slot}`}>
              <Table.Cell>{i.slot}</Table.Cell>
              <Table.Cell>
                <Text size="1" className="mono">
                  {i.taskId ?? '—'}
                </Text>
              </Table.Cell>
              <Table.Cell>
                <InstanceState instance={i} />
              </Table.Cell>
              <Table.Cell>{spec.healthCheck ? <HealthBadge healthy={i.healthy} /> : <Text color="gray">no check</Text>}</Table.Cell>
              <Table.Cell>
                <Text size="1" className="mono">
                  {i.host && i.ports.length > 0 ? i.ports.map((p) => `${i.host}:${p}`).join(', ') : '—'}
                </Text>
              </Table.Cell>
              <Table.Cell data-slot="instance-actions">{instanceActions?.({ cluster, service: spec.id, instance: i })}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      <History events={service.history} backoffMs={service.backoffMs} />
    </Card>
  );
}

function InstanceState({ instance }: { instance: ServiceInstance }) {
  if (instance.state === 'BACKOFF') {
    const at = instance.relaunchAt ? new Date(instance.relaunchAt).toLocaleTimeString() : undefined;
    return <Badge color="amber">backoff{at ? `: relaunch at ${at}` : ''}</Badge>;
  }
  if (instance.state === 'WAITING_FOR_OFFER') return <Badge color="gray">waiting for an offer</Badge>;
  const color = instance.state === 'TASK_RUNNING' ? 'green' : instance.state === 'TASK_STAGING' || instance.state === 'TASK_STARTING' ? 'blue' : 'red';
  return <Badge color={color}>{instance.state.replace('TASK_', '')}</Badge>;
}

/** Launches, health changes, ends (with the doctor's verdict) and relaunches, newest first. */
function History({ events, backoffMs }: { events: ServiceEvent[]; backoffMs: number }) {
  const [all, setAll] = useState(false);
  const shown = [...events].reverse().slice(0, all ? events.length : 8);
  return (
    <Flex direction="column" gap="1" mt="3" data-testid="service-history">
      <Flex justify="between" align="center">
        <Text size="1" weight="bold">
          History
        </Text>
        <Text size="1" color="gray">
          next relaunch waits {backoffMs / 1000} s
        </Text>
      </Flex>
      {shown.map((e, n) => (
        <Flex key={`${e.at}-${n}`} gap="2" align="baseline" data-kind={e.kind}>
          <Text size="1" color="gray" className="mono" style={{ minWidth: 64 }}>
            {new Date(e.at).toLocaleTimeString()}
          </Text>
          <Text size="1">{e.text}</Text>
          {e.verdict && (
            <Tooltip content={e.verdict.summary ?? e.verdict.title}>
              <Badge size="1" color="purple" variant="soft" data-testid="history-verdict">
                Doctor: {e.verdict.title}
              </Badge>
            </Tooltip>
          )}
        </Flex>
      ))}
      {events.length > 8 && (
        <Flex>
          <IconButton size="1" variant="ghost" onClick={() => setAll(!all)} style={{ width: 'auto', paddingInline: 6 }}>
            <Text size="1">{all ? 'fewer' : `all ${events.length}`}</Text>
          </IconButton>
        </Flex>
      )}
    </Flex>
  );
}
