import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterSummary } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import type { HttpAccess } from '../mesos/access';
import { get } from '../mesos/http';

/**
 * The header's cluster part for a cluster Mesoscope did not start: no spec (null: the replay says so
 * and the doctor proposes no set-up changes) and a layout built from what its masters say. The layout
 * lists no agent slots on purpose: the doctor would otherwise take an agent for one of our containers.
 */

/** ZooKeeper's usual client port, written only because the layout needs one; nothing reads it for an attached cluster. */
const ZOOKEEPER_DEFAULT_PORT = 2181;

export function attachedLayout(view: Pick<ClusterView, 'masters'>, zk: string | undefined): ClusterLayout {
  const urls = view.masters.map((m) => new URL(m.url));
  const portOf = (u: URL) => Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  const zkPort = zk ? Number(/^zk:\/\/[^/]*?:(\d+)/.exec(zk)?.[1]) || ZOOKEEPER_DEFAULT_PORT : ZOOKEEPER_DEFAULT_PORT;
  return {
    network: 'bridge',
    hostAddress: urls[0]?.hostname ?? '',
    zookeeper: { port: zkPort },
    masters: urls.map((u, i) => ({ index: i + 1, port: portOf(u) })),
    agents: [],
  };
}

/** The leading master's /version (with the connection's credentials); null when it does not answer. */
export async function attachedMesosVersion(view: Pick<ClusterView, 'masters'>, access: HttpAccess | undefined, timeoutMs = 3000): Promise<ClusterSummary['mesos']> {
  const leader = view.masters.find((m) => m.leader) ?? view.masters[0];
  if (!leader) return null;
  try {
    const res = await get(`${leader.url}/version`, { timeoutMs, access });
    const body = JSON.parse(res.body) as { version?: string; build_user?: string };
    return { version: body.version ?? 'unknown', emulator: body.build_user === 'mesoscope-emulator' };
  } catch {
    return leader.version ? { version: leader.version, emulator: false } : null;
  }
}
