import { Badge } from '@radix-ui/themes';

/** An instance's health as its last status said (`healthy`), or that no check has answered yet. */
export function HealthBadge({ healthy }: { healthy: boolean | undefined }) {
  if (healthy === undefined) return <Badge color="gray" variant="soft" data-health="unknown">not checked yet</Badge>;
  return healthy ? (
    <Badge color="green" variant="soft" data-health="healthy">healthy</Badge>
  ) : (
    <Badge color="red" variant="soft" data-health="unhealthy">unhealthy</Badge>
  );
}
