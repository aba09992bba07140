import { Badge, Tooltip } from '@radix-ui/themes';
import type { ClusterSummary } from '@shared/cluster/status';

/** The Mesos version the leader reports; the test emulator is always labelled as such. */
export function MesosBadge({ mesos }: { mesos: ClusterSummary['mesos'] }) {
  if (!mesos) return <Badge color="gray">Mesos version unknown</Badge>;
  if (mesos.emulator) {
    return (
      <Tooltip content="Mesoscope's Mesos-compatible emulator (test equipment), not Apache Mesos">
        <Badge color="violet" data-testid="mesos-badge">
          Mesos {mesos.version} · emulator
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="indigo" data-testid="mesos-badge">
      Mesos {mesos.version}
    </Badge>
  );
}
