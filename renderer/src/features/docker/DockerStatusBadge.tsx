import { Badge, Tooltip } from '@radix-ui/themes';
import { useDockerStatus } from './use-docker-status';

/** The header's one-glance Docker state. */
export function DockerStatusBadge() {
  const { data: status, isPending } = useDockerStatus();
  if (isPending || !status) {
    return (
      <Badge color="gray" variant="soft" size="2">
        Docker…
      </Badge>
    );
  }
  if (status.reachable) {
    return (
      <Tooltip content={status.endpoint.url}>
        <Badge color="green" variant="soft" size="2" data-testid="docker-badge">
          <span className="status-dot status-dot-ok" /> Docker {status.engine.version}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Tooltip content={status.message}>
      <Badge color="red" variant="soft" size="2" data-testid="docker-badge">
        <span className="status-dot status-dot-bad" /> Docker not reachable
      </Badge>
    </Tooltip>
  );
}
