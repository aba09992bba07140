import { Badge, Button, Callout, Card, Code, DataList, Flex, Heading, Skeleton, Text } from '@radix-ui/themes';
import type { DockerStatus } from '@shared/docker';
import { CircleAlert, Container, RefreshCw } from 'lucide-react';
import { useUiStore } from '../../store/ui-store';
import { describeEndpointSource, REASON_HINT, REASON_LABEL, formatBytes, formatTime } from './describe';
import { useCheckDockerNow, useDockerStatus } from './use-docker-status';
import { ErrorCallout } from '../../components/ErrorCallout';

/**
 * The Docker engine Mesoscope runs clusters on: what it is, or why it cannot be reached. Live.
 * Compact (one line) once there are clusters to show, unless Docker is away.
 */
export function DockerStatusPanel({ compact = false }: { compact?: boolean }) {
  const { data: status, error, isPending } = useDockerStatus();
  const state = isPending ? 'loading' : status?.reachable ? 'reachable' : status ? 'unreachable' : 'error';

  if (compact && status?.reachable) {
    const { engine } = status;
    return (
      <Card size="1" data-testid="docker-status" data-state={state}>
        <Flex align="center" gap="3" px="2" wrap="wrap">
          <Container size={16} />
          <Text size="2" weight="medium" data-testid="docker-engine-version">
            Docker Engine {engine.version}
          </Text>
          <Text size="2" color="gray">
            {engine.cpus} CPUs · {formatBytes(engine.memoryBytes)} · {engine.containersRunning} containers running ·{' '}
            {status.endpoint.url} ({describeEndpointSource(status.endpoint)})
          </Text>
          <StateBadge status={status} />
        </Flex>
      </Card>
    );
  }

  return (
    <Card size="3" data-testid="docker-status" data-state={state}>
      <Flex justify="between" align="center" mb="4">
        <Flex align="center" gap="2">
          <Container size={20} />
          <Heading size="4">Docker engine</Heading>
        </Flex>
        {status && <StateBadge status={status} />}
      </Flex>
      {isPending && <LoadingRows />}
      {error && !status && (
        <ErrorCallout>Could not ask the Mesoscope host for the Docker status: {error.message}</ErrorCallout>
      )}
      {status?.reachable === true && <EngineDetails status={status} />}
      {status?.reachable === false && <Unreachable status={status} />}
    </Card>
  );
}

function StateBadge({ status }: { status: DockerStatus }) {
  return status.reachable ? (
    <Badge color="green" size="2" variant="soft">
      <span className="status-dot status-dot-ok" /> Reachable
    </Badge>
  ) : (
    <Badge color="red" size="2" variant="soft">
      <span className="status-dot status-dot-bad" /> Not reachable
    </Badge>
  );
}

function EngineDetails({ status }: { status: Extract<DockerStatus, { reachable: true }> }) {
  const { engine, endpoint } = status;
  return (
    <DataList.Root size="2" className="engine-details">
      <DataList.Item>
        <DataList.Label minWidth="160px">Engine</DataList.Label>
        <DataList.Value data-testid="docker-engine-version">
          Docker Engine {engine.version} · API {engine.apiVersion}
        </DataList.Value>
      </DataList.Item>
      <DataList.Item>
        <DataList.Label>Platform</DataList.Label>
        <DataList.Value>
          {engine.operatingSystem} · {engine.os}/{engine.arch} · kernel {engine.kernelVersion}
        </DataList.Value>
      </DataList.Item>
      <DataList.Item>
        <DataList.Label>Resources</DataList.Label>
        <DataList.Value>
          {engine.cpus} CPUs · {formatBytes(engine.memoryBytes)} memory
        </DataList.Value>
      </DataList.Item>
      <DataList.Item>
        <DataList.Label>Containers</DataList.Label>
        <DataList.Value data-testid="docker-containers">
          {engine.containersRunning} running of {engine.containersTotal} · {engine.images} images
        </DataList.Value>
      </DataList.Item>
      <DataList.Item>
        <DataList.Label>Storage</DataList.Label>
        <DataList.Value>
          {engine.storageDriver}
          {engine.cgroupVersion && ` · cgroup v${engine.cgroupVersion}`}
        </DataList.Value>
      </DataList.Item>
      <DataList.Item>
        <DataList.Label>Endpoint</DataList.Label>
        <DataList.Value>
          <Flex gap="2" align="center" wrap="wrap">
            <Code variant="ghost">{endpoint.url}</Code>
            <Text size="1" color="gray">
              ({describeEndpointSource(endpoint)}) · checked {formatTime(status.checkedAt)}
            </Text>
          </Flex>
        </DataList.Value>
      </DataList.Item>
    </DataList.Root>
  );
}

function Unreachable({ status }: { status: Extract<DockerStatus, { reachable: false }> }) {
  const checkNow = useCheckDockerNow();
  const setPage = useUiStore((s) => s.setPage);
  return (
    <Flex direction="column" gap="3">
      <Callout.Root color="red" variant="surface">
        <Callout.Icon>
          <CircleAlert size={16} />
        </Callout.Icon>
        <Callout.Text>
          <Text weight="bold" data-testid="docker-unreachable-reason">
            {REASON_LABEL[status.reason]}
          </Text>
          {': '}
          <span data-testid="docker-unreachable-message">{status.message}</span>
        </Callout.Text>
      </Callout.Root>
      <Text size="2" color="gray">
        {REASON_HINT[status.reason]} Mesoscope keeps retrying and updates this panel when Docker answers (last
        check {formatTime(status.checkedAt)}).
      </Text>
      <Flex gap="2">
        <Button variant="soft" onClick={() => checkNow.mutate()} loading={checkNow.isPending}>
          <RefreshCw size={14} /> Check now
        </Button>
        <Button variant="soft" color="gray" onClick={() => setPage('settings')}>
          Change endpoint…
        </Button>
      </Flex>
    </Flex>
  );
}

function LoadingRows() {
  return (
    <Flex direction="column" gap="3" aria-label="Checking Docker">
      {[240, 320, 200, 280].map((width) => (
        <Skeleton key={width} height="18px" width={`${width}px`} />
      ))}
    </Flex>
  );
}
