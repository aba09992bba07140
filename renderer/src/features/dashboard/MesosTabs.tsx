import { Tabs, Text } from '@radix-ui/themes';
import type { NodeStatus } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import type { ReactNode } from 'react';
import { FrameworksTab } from './FrameworksTab';
import { OffersTab } from './OffersTab';
import { OverviewTab } from './OverviewTab';
import { StaleNotice } from './StaleNotice';
import { TasksTab } from './TasksTab';
import { taskCount } from './live-view';

/**
 * The Mesos tabs (overview, tasks, frameworks, offers), the same for a live cluster and for a replayed
 * recording: the triggers and the contents go inside the caller's Tabs.Root, beside its own tabs.
 */
export const MESOS_TABS = ['overview', 'tasks', 'frameworks', 'offers'] as const;
export type MesosTab = (typeof MESOS_TABS)[number];

export function MesosTabTriggers({ view }: { view: ClusterView | null }) {
  return (
    <>
      <Tabs.Trigger value="overview">Overview</Tabs.Trigger>
      <Tabs.Trigger value="tasks">Tasks{view ? ` (${taskCount(view)})` : ''}</Tabs.Trigger>
      <Tabs.Trigger value="frameworks">Frameworks{view ? ` (${Object.keys(view.frameworks).length})` : ''}</Tabs.Trigger>
      <Tabs.Trigger value="offers">Offers</Tabs.Trigger>
    </>
  );
}

export function MesosTabContents({
  view,
  waiting,
  zookeeper,
  dimWhenStale = false,
}: {
  view: ClusterView | null;
  /** What the tabs say while there is no view (yet). */
  waiting: ReactNode;
  /** The cluster's ZooKeeper node, shown on the overview when known. */
  zookeeper?: NodeStatus;
  /** Grey the view out while the masters are not reachable (a live cluster; a replay shows what was). */
  dimWhenStale?: boolean;
}) {
  return (
    <>
      {MESOS_TABS.map((t) => (
        <Tabs.Content value={t} key={t} className={dimWhenStale && view && view.connection.state !== 'live' ? 'stale-view' : undefined}>
          {view && <StaleNotice connection={view.connection} />}
          {!view ? (
            <Text color="gray">{waiting}</Text>
          ) : t === 'overview' ? (
            <OverviewTab view={view} zookeeper={zookeeper} />
          ) : t === 'tasks' ? (
            <TasksTab view={view} />
          ) : t === 'frameworks' ? (
            <FrameworksTab view={view} />
          ) : (
            <OffersTab view={view} />
          )}
        </Tabs.Content>
      ))}
    </>
  );
}
