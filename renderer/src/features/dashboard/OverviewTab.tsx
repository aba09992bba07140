import { Badge, Card, Flex, Grid, Heading, Text } from '@radix-ui/themes';
import type { NodeStatus } from '@shared/cluster/status';
import type { Agent, ClusterView, MetricSample } from '@shared/dashboard/view';
import { ChevronRight } from 'lucide-react';
import { memo, startTransition, useEffect, useState } from 'react';
import { STATE_COLOR, shortState } from './describe';
import { taskCount } from './live-view';

const CHARTS = [
  { key: 'master/tasks_running', label: 'Tasks running' },
  { key: 'master/outstanding_offers', label: 'Outstanding offers' },
  { key: 'master/cpus_percent', label: 'CPUs allocated', percent: true },
  { key: 'master/mem_percent', label: 'Memory allocated', percent: true },
] as const;

/**
 * The cluster at a glance: its topology (ZooKeeper, masters with the leader marked, agents), agents with
 * their resources, tasks by state, key metrics. It renders with every batch of a busy cluster: nothing
 * here walks every task when the frameworks' counts already hold them all, and an agent's row renders
 * only when that agent changed (bench:events: 50 agents' cards, each of Radix components, were most of
 * the tab's first render, and its count walked 10,000 tasks with every batch).
 */
export function OverviewTab({ view, zookeeper, shown = true }: { view: ClusterView; zookeeper?: NodeStatus; /** The tab is on screen (a kept tab may be hidden). */ shown?: boolean }) {
  const agents = Object.values(view.agents).sort((a, b) => (a.port ?? 0) - (b.port ?? 0) || (a.hostname < b.hostname ? -1 : 1));
  const counts = tasksByState(view);
  const rows = useRowsInFrames(shown, agents.length);
  return (
    <Flex direction="column" gap="4" data-testid="overview">
      <Card size="2">
        <Heading size="3" mb="3">
          Topology
        </Heading>
        <Flex gap="2" wrap="wrap" align="center" data-testid="topology">
          {zookeeper && (
            <>
              <Badge size="2" color={zookeeper.state === 'running' ? 'gray' : 'red'} variant="soft" data-testid="overview-zookeeper">
                ZooKeeper {zookeeper.address}
                {zookeeper.state === 'running' ? '' : ` · ${zookeeper.state}`}
              </Badge>
              <ChevronRight size={16} aria-hidden />
            </>
          )}
          {view.masters.map((m) => (
            <Badge key={m.url} size="2" color={m.leader ? 'indigo' : 'gray'} variant={m.leader ? 'solid' : 'soft'} data-testid={m.leader ? 'overview-leader' : undefined}>
              {m.url.replace(/^https?:\/\//, '')}
              {m.leader ? ' · leader' : ' · standby'}
            </Badge>
          ))}
          <ChevronRight size={16} aria-hidden />
          <Badge size="2" color="gray" variant="soft">
            {agents.filter((a) => a.state === 'active').length} of {agents.length} agents active
          </Badge>
        </Flex>
      </Card>
      <Card size="2">
        <Heading size="3" mb="3">
          Tasks by state
        </Heading>
        {counts.length === 0 ? (
          <Text size="2" color="gray">
            No tasks yet.
          </Text>
        ) : (
          <Flex gap="2" wrap="wrap" data-testid="task-counts">
            {counts.map(([state, n]) => (
              <Badge key={state} size="2" color={STATE_COLOR[state] ?? 'gray'}>
                {n} {shortState(state).toLowerCase()}
              </Badge>
            ))}
          </Flex>
        )}
      </Card>
      <Grid columns={{ initial: '2', md: '4' }} gap="4">
        {CHARTS.map((chart) => (
          <MetricChart key={chart.key} samples={view.metrics} metric={chart.key} label={chart.label} percent={'percent' in chart} />
        ))}
      </Grid>
      <Card size="1" className="agent-table" data-testid="overview-agents">
        <div className="agent-row agent-head">
          <span>Agent</span>
          <span>State</span>
          <span>CPUs</span>
          <span>Memory</span>
          <span>Attributes</span>
        </div>
        {agents.slice(0, rows).map((agent) => (
          <AgentRow key={agent.id} agent={agent} />
        ))}
      </Card>
    </Flex>
  );
}

/** Agents' rows made in each frame while the tab is first shown. */
const ROWS_PER_FRAME = 12;

/**
 * How many of the agents' rows to make, most of the tab's elements: none in the frame that first shows
 * the tab, then ROWS_PER_FRAME more in each frame after, so the browser styles and lays them out over a
 * few frames, not in one (50 agents' rows are 1,050 elements: 20 ms of style and layout alone, and the
 * frame that made them all took 31 to 55 ms under load; bench:events' trace). Once all are made, all
 * stay, new agents too: a hidden tab keeps its layout (MesosTabs.tsx), and showing it again lays out only
 * the rows that changed.
 */
function useRowsInFrames(shown: boolean, total: number): number {
  const [made, setMade] = useState(0);
  const all = made === Infinity;
  useEffect(() => {
    if (!shown || all) return;
    const frame = requestAnimationFrame(() => startTransition(() => setMade((n) => (n + ROWS_PER_FRAME >= total ? Infinity : n + ROWS_PER_FRAME))));
    return () => cancelAnimationFrame(frame);
  }, [shown, all, made, total]);
  return made;
}

/**
 * Tasks by state, sorted by state: the frameworks' counts (kept by the host) when they add up to every
 * task the view holds; otherwise (a task of a framework the view does not list) every task counted.
 */
function tasksByState(view: ClusterView): Array<[string, number]> {
  const counts = new Map<string, number>();
  let counted = 0;
  for (const framework of Object.values(view.frameworks)) {
    for (const [state, n] of Object.entries(framework.taskCounts)) {
      counts.set(state, (counts.get(state) ?? 0) + (n ?? 0));
      counted += n ?? 0;
    }
  }
  if (counted !== taskCount(view)) {
    counts.clear();
    for (const key in view.tasks) {
      const state = view.tasks[key]!.state;
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** One agent: rendered again only when the agent changed. Radix Themes' classes on plain elements, as the task rows. */
const AgentRow = memo(function AgentRow({ agent }: { agent: Agent }) {
  const attributes = Object.entries(agent.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
  return (
    <div className="agent-row" data-testid={`overview-agent-${agent.id}`}>
      <span className="rt-Text rt-r-size-2 rt-r-weight-medium rt-truncate">
        {agent.hostname}:{agent.port}
      </span>
      <span>
        <span className="rt-reset rt-Badge rt-r-size-1 rt-variant-soft" data-accent-color={agent.state === 'active' ? 'green' : 'red'}>
          {agent.state}
        </span>
      </span>
      <ResourceBar label="cpus" total={agent.total.cpus} allocated={agent.allocated.cpus} offered={agent.offered.cpus} unit="" />
      <ResourceBar label="mem" total={agent.total.mem} allocated={agent.allocated.mem} offered={agent.offered.mem} unit=" MB" />
      <span className="rt-Text rt-r-size-1 rt-truncate" data-accent-color="gray" title={attributes}>
        {attributes || '—'}
      </span>
    </div>
  );
});

/** Allocated, then offered, then free, as parts of the agent's total. */
function ResourceBar({ label, total, allocated, offered, unit }: { label: string; total: number; allocated: number; offered: number; unit: string }) {
  const part = (n: number) => `${total > 0 ? Math.min(100, (100 * n) / total) : 0}%`;
  const round = (n: number) => Math.round(n * 100) / 100;
  return (
    <span className="resource-bar">
      <span className="rt-Text rt-r-size-1">
        {round(allocated)} allocated · {round(offered)} offered · {round(total)}
        {unit} total
      </span>
      <span className="bar" role="img" aria-label={`${label}: ${round(allocated)} allocated, ${round(offered)} offered of ${round(total)}`}>
        <span className="bar-allocated" style={{ width: part(allocated) }} />
        <span className="bar-offered" style={{ width: part(offered) }} />
      </span>
    </span>
  );
}

/** The metric over the samples kept (a few minutes), as a line, with its latest value. */
function MetricChart({ samples, metric, label, percent }: { samples: MetricSample[]; metric: string; label: string; percent: boolean }) {
  const points = samples.flatMap((s) => (s.values[metric] === undefined ? [] : [{ at: s.at, value: s.values[metric] as number }]));
  const last = points.at(-1)?.value;
  const max = percent ? 100 : Math.max(1, ...points.map((p) => p.value));
  const first = points[0]?.at ?? 0;
  const span = Math.max(1, (points.at(-1)?.at ?? 0) - first);
  const path = points.map((p) => `${(100 * (p.at - first)) / span},${30 - (28 * p.value) / max}`).join(' ');
  return (
    <Card size="1">
      <Text as="div" size="1" color="gray">
        {label}
      </Text>
      <Text as="div" size="4" weight="bold" data-testid={`metric-${metric}`}>
        {last === undefined ? '—' : percent ? `${Math.round(last)}%` : Math.round(last)}
      </Text>
      <svg viewBox="0 0 100 32" preserveAspectRatio="none" className="sparkline" aria-hidden="true">
        {points.length > 1 && <polyline points={path} fill="none" stroke="var(--accent-9)" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />}
      </svg>
    </Card>
  );
}
