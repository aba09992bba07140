/** How Mesoscope names and labels what it creates in Docker. */

export type NodeRole = 'zookeeper' | 'master' | 'agent';

export const LABEL = {
  cluster: 'io.mesoscope.cluster',
  role: 'io.mesoscope.role',
  index: 'io.mesoscope.index',
  /** JSON: the node's allocated ports */
  ports: 'io.mesoscope.ports',
  /** JSON: the whole cluster spec, so a restarted app can rediscover the cluster */
  spec: 'io.mesoscope.spec',
  /** JSON: the cluster layout (addresses, ports, work dirs) */
  layout: 'io.mesoscope.layout',
  /**
   * On the cluster's record container only: the generation of the spec and layout it carries.
   * Labels cannot change, so every change of the cluster (an agent added or removed) writes a new,
   * never-started record container and removes the older ones; discovery reads the newest.
   */
  record: 'io.mesoscope.record',
} as const;

/**
 * `mesoscope-<cluster>-<role>-<n>`. Never `mesos-…`: the Docker containerizer treats `mesos-<uuid>`
 * containers it does not know as orphans and stops them (docs/mesos/api.md §0.14).
 */
export function containerName(cluster: string, role: NodeRole, index: number): string {
  return `mesoscope-${cluster}-${role}-${index}`;
}

export function recordName(cluster: string, generation: number): string {
  return `mesoscope-${cluster}-record-${generation}`;
}

export function networkName(cluster: string): string {
  return `mesoscope-${cluster}`;
}

export function volumeName(cluster: string, role: NodeRole, index: number): string {
  return `${containerName(cluster, role, index)}-data`;
}

export function clusterFilter(cluster?: string): { label: string[] } {
  return { label: [cluster ? `${LABEL.cluster}=${cluster}` : LABEL.cluster] };
}
