import { Callout } from '@radix-ui/themes';
import type { ClusterView } from '@shared/dashboard/view';
import { CloudOff } from 'lucide-react';
import { clockTime } from './describe';

/**
 * While the operator stream is down, what the Mesos tabs show is the last state seen: say so, and since
 * when. It goes away by itself once the stream (to the same or a new leader) is back.
 */
export function StaleNotice({ connection }: { connection: ClusterView['connection'] }) {
  if (connection.state === 'live') return null;
  const since = connection.lastEventAt ?? connection.since;
  const what =
    connection.state === 'connecting'
      ? 'Connecting to the masters…'
      : `The masters are not answering${connection.error ? ` (${connection.error})` : ''}. This is the cluster as of ${clockTime(since)}; it refreshes by itself when a master answers again.`;
  return (
    <Callout.Root color={connection.state === 'connecting' ? 'gray' : 'amber'} mb="3" data-testid="stale-notice">
      <Callout.Icon>
        <CloudOff size={16} />
      </Callout.Icon>
      <Callout.Text>{what}</Callout.Text>
    </Callout.Root>
  );
}
