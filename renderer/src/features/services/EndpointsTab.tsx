import { Badge, Button, Card, Code, Flex, Heading, IconButton, Table, Text, Tooltip } from '@radix-ui/themes';
import { endpointsOf, endpointsText } from '@shared/services/schemas';
import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { HealthBadge } from './HealthBadge';
import { useServices } from './use-services';

/**
 * Endpoints: per service and port, each running instance's host:port, live from `services.view`
 * (a relaunched instance's new endpoint shows as soon as it runs), each copyable, with its health.
 */
export function EndpointsTab({ cluster }: { cluster: string }) {
  const { view } = useServices(cluster);
  if (!view) return <Text color="gray">Loading endpoints…</Text>;
  const endpoints = endpointsOf(view);
  if (endpoints.length === 0) {
    return (
      <EmptyState icon={<Copy size={28} />} title="No endpoints">
        A service with ports shows here, one host:port per running instance.
      </EmptyState>
    );
  }
  const healthChecked = new Set(view.services.filter((s) => s.spec.healthCheck).map((s) => s.spec.id));
  return (
    <Flex direction="column" gap="3" data-testid="endpoints-tab">
      <Flex justify="between" align="center">
        <Text size="2" color="gray">
          What <Code>mesoscope endpoints {cluster}</Code> prints; from another task, connect to any of them.
        </Text>
        <CopyButton label="Copy all" value={endpointsText(endpoints)} />
      </Flex>
      {endpoints.map((e) => (
        <Card key={`${e.service}-${e.portIndex}`} data-testid={`endpoints-${e.service}-${e.portIndex}`}>
          <Flex gap="2" align="center" mb="2">
            <Heading size="3">{e.service}</Heading>
            <Badge variant="soft">
              port {e.port}/{e.protocol}
            </Badge>
            <Text size="1" color="gray">
              {e.endpoints.length} endpoint{e.endpoints.length === 1 ? '' : 's'}
            </Text>
          </Flex>
          <Table.Root size="1">
            <Table.Body>
              {e.endpoints.map((x) => (
                <Table.Row key={x.taskId} data-testid="endpoint" data-task-id={x.taskId} data-address={`${x.host}:${x.port}`}>
                  <Table.Cell>
                    <Flex gap="2" align="center">
                      <Code size="2" data-testid="endpoint-address">{`${x.host}:${x.port}`}</Code>
                      <CopyButton label={`Copy ${x.host}:${x.port}`} value={`${x.host}:${x.port}`} icon />
                    </Flex>
                  </Table.Cell>
                  <Table.Cell>{healthChecked.has(e.service) ? <HealthBadge healthy={x.healthy} /> : <Text size="1" color="gray">no check</Text>}</Table.Cell>
                  <Table.Cell>
                    <Text size="1" color="gray" className="mono">
                      instance {x.slot} · {x.taskId}
                    </Text>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Card>
      ))}
    </Flex>
  );
}

function CopyButton({ label, value, icon = false }: { label: string; value: string; icon?: boolean }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const glyph = copied ? <Check size={14} /> : <Copy size={14} />;
  if (!icon) {
    return (
      <Button size="1" variant="soft" color="gray" onClick={() => void copy()}>
        {glyph} {copied ? 'Copied' : label}
      </Button>
    );
  }
  return (
    <Tooltip content={copied ? 'Copied' : label}>
      <IconButton size="1" variant="ghost" color="gray" onClick={() => void copy()} aria-label={label}>
        {glyph}
      </IconButton>
    </Tooltip>
  );
}
