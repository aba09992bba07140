import { Tabs, Text } from '@radix-ui/themes';
import type { NodeStatus } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import { memo, useState, type ReactNode } from 'react';
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

/**
 * The Mesos tabs' contents. A tab once opened stays mounted while another is shown, in its hidden panel:
 * its filters, sort and open rows are kept, and coming back to it renders what changed instead of
 * mounting it again (the first render of a 10,000-task table or of 50 agents' cards was the longest
 * frame of bench:events). Hidden, a tab does not render with every batch (KeptTab); shown again, it
 * renders the current view. A hidden panel keeps its style and layout (`.kept-tab` in styles.css:
 * content-visibility), so that showing it again lays out what changed, not the whole tab.
 *
 * Not React's Activity, which kept them the same way before: coming back, it ran every layout and passive
 * effect of the tab again (each row's, each filter item's) and hid or showed each of its elements, in one
 * commit: the switch back to the table was among bench:events' longest frames (a task of 27 to 69 ms of
 * script under load); in 5 runs without it, no switch back was among the frames over 50 ms.
 */
export function MesosTabContents({
  tab,
  view,
  waiting,
  zookeeper,
  dimWhenStale = false,
}: {
  /** The tab shown (of the caller's Tabs.Root, which may have tabs of its own). */
  tab: string;
  view: ClusterView | null;
  /** What the tabs say while there is no view (yet). */
  waiting: ReactNode;
  /** The cluster's ZooKeeper node, shown on the overview when known. */
  zookeeper?: NodeStatus;
  /** Grey the view out while the masters are not reachable (a live cluster; a replay shows what was). */
  dimWhenStale?: boolean;
}) {
  const shown = (MESOS_TABS as readonly string[]).includes(tab) ? (tab as MesosTab) : null;
  const [opened, setOpened] = useState<ReadonlySet<MesosTab>>(() => new Set(shown ? [shown] : []));
  if (shown && !opened.has(shown)) setOpened(new Set([...opened, shown]));
  return (
    <>
      {shown && view && <StaleNotice connection={view.connection} />}
      {MESOS_TABS.map((t) => (
        // Every tab's panel from the start, its contents once opened: Radix mounts a panel with a read of
        // its computed style (for exit animations), which forced the style of the whole first render of a
        // tab when the panel came with it (11 ms of the switch under load, bench:events).
        <Tabs.Content
          value={t}
          key={t}
          forceMount
          hidden={t !== shown}
          className={dimWhenStale && view && view.connection.state !== 'live' ? 'kept-tab stale-view' : 'kept-tab'}
        >
          {opened.has(t) && <KeptTab tab={t} view={view} shown={t === shown} waiting={waiting} zookeeper={zookeeper} />}
        </Tabs.Content>
      ))}
    </>
  );
}

/** One Mesos tab. Hidden, it renders again only once shown again: until then it shows the view it had. */
const KeptTab = memo(
  function KeptTab({ tab, view, shown, waiting, zookeeper }: { tab: MesosTab; view: ClusterView | null; shown: boolean; waiting: ReactNode; zookeeper?: NodeStatus }) {
    if (!view) return <Text color="gray">{waiting}</Text>;
    switch (tab) {
      case 'overview':
        return <OverviewTab view={view} zookeeper={zookeeper} shown={shown} />;
      case 'tasks':
        return <TasksTab view={view} />;
      case 'frameworks':
        return <FrameworksTab view={view} />;
      case 'offers':
        return <OffersTab view={view} />;
    }
  },
  (before, after) =>
    before.shown === after.shown && (!after.shown || before.view === after.view) && before.waiting === after.waiting && before.zookeeper === after.zookeeper,
);
