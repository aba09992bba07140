import type Dockerode from 'dockerode';
import { type ClusterLayout, ClusterLayoutSchema } from '@shared/cluster/layout';
import { type ClusterSpec, ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import { clusterFilter, containerName, LABEL, type NodeRole } from './naming';

/** What discovery needs of a container: its labels and state (docker inspect). */
export interface ObservedContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: NodeStatus['state'];
  exitCode: number | null;
  oomKilled: boolean;
  startedAt: string | null;
  image: string;
}

export type DiscoveredCluster = Omit<ClusterSummary, 'mesos'>;

/** Every Mesoscope container on the daemon, running or not. */
export async function observeContainers(docker: Dockerode, cluster?: string): Promise<ObservedContainer[]> {
  const list = await docker.listContainers({ all: true, filters: clusterFilter(cluster) });
  const inspected = await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => null),
    ),
  );
  return inspected.flatMap((info) => {
    if (!info) return [];
    const s = info.State;
    return [
      {
        id: info.Id,
        name: info.Name.replace(/^\//, ''),
        labels: info.Config.Labels ?? {},
        state: (s.Status as NodeStatus['state']) ?? 'dead',
        exitCode: s.Running ? null : s.ExitCode,
        oomKilled: s.OOMKilled,
        startedAt: s.StartedAt && !s.StartedAt.startsWith('0001') ? s.StartedAt : null,
        image: info.Config.Image,
      },
    ];
  });
}

/**
 * Clusters as the labels describe them. A node the spec calls for that has no container is listed as
 * 'missing', and the cluster as partial (Resume creates what is missing).
 */
export function summarize(containers: ObservedContainer[]): DiscoveredCluster[] {
  const byCluster = new Map<string, ObservedContainer[]>();
  for (const c of containers) {
    const name = c.labels[LABEL.cluster];
    if (!name) continue;
    byCluster.set(name, [...(byCluster.get(name) ?? []), c]);
  }
  const clusters: DiscoveredCluster[] = [];
  for (const [name, members] of byCluster) {
    const described = describedBy(members);
    if (!described) continue;
    const { spec, layout } = described;
    const nodes = expectedNodes(spec, layout).map(({ role, index, address, image }): NodeStatus => {
      const found = members.find(
        (m) => m.labels[LABEL.record] === undefined && m.labels[LABEL.role] === role && m.labels[LABEL.index] === String(index),
      );
      return {
        role,
        index,
        name: containerName(name, role, index),
        containerId: found?.id ?? null,
        state: found?.state ?? 'missing',
        exitCode: found?.exitCode ?? null,
        oomKilled: found?.oomKilled ?? false,
        startedAt: found?.startedAt ?? null,
        image: found?.image ?? image,
        address,
      };
    });
    clusters.push({
      name,
      spec,
      layout,
      nodes,
      completeness: nodes.every((n) => n.state !== 'missing') ? 'complete' : 'partial',
    });
  }
  return clusters.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The cluster's current spec and layout: from its newest record container; without one (the app
 * stopped before writing it), from the node labels, which carry the spec they were launched with.
 */
export function describedBy(members: ObservedContainer[]): { spec: ClusterSpec; layout: ClusterLayout; generation: number } | null {
  let best: { spec: ClusterSpec; layout: ClusterLayout; generation: number } | null = null;
  for (const m of members) {
    try {
      const generation = m.labels[LABEL.record] === undefined ? -1 : Number(m.labels[LABEL.record]);
      if (best && generation <= best.generation) continue;
      const spec = ClusterSpecSchema.parse(JSON.parse(m.labels[LABEL.spec] ?? ''));
      const layout = ClusterLayoutSchema.parse(JSON.parse(m.labels[LABEL.layout] ?? ''));
      best = { spec, layout, generation };
    } catch {
      // A container with damaged labels describes nothing; the others may.
    }
  }
  return best;
}

function expectedNodes(spec: ClusterSpec, layout: ClusterLayout): { role: NodeRole; index: number; address: string; image: string }[] {
  const at = (port: number) => `${layout.hostAddress}:${port}`;
  return [
    { role: 'zookeeper', index: 1, address: at(layout.zookeeper.port), image: spec.images.zookeeper },
    ...layout.masters.map((m) => ({ role: 'master' as const, index: m.index, address: at(m.port), image: spec.images.master })),
    ...layout.agents.map((a) => ({ role: 'agent' as const, index: a.index, address: at(a.port), image: spec.images.agent })),
  ];
}
