import type { NodeStatus } from '@shared/cluster/status';
import type { ClusterView } from '@shared/dashboard/view';
import type { LogCluster } from '../logs/log-service';

/**
 * An attached cluster's masters and agents as nodes for the logs (the same shape as a launched
 * cluster's, without containers): addresses are whole URLs, agents in the masters' scheme at the
 * hostname and port they registered with. An agent that is not active is listed as exited.
 */
export function attachedNodes(name: string, view: Pick<ClusterView, 'masters' | 'agents'>, scheme: 'http' | 'https'): LogCluster {
  const base = (state: NodeStatus['state'], role: 'master' | 'agent', index: number, address: string, label: string): NodeStatus => ({
    role,
    index,
    name: label,
    containerId: null,
    state,
    exitCode: null,
    oomKilled: false,
    startedAt: null,
    image: '',
    address,
  });
  const masters = view.masters.map((m, i) => base('running', 'master', i + 1, m.url, m.hostname ?? new URL(m.url).host));
  const sorted = Object.values(view.agents).sort((a, b) => (a.registeredAt ?? 0) - (b.registeredAt ?? 0) || a.id.localeCompare(b.id));
  const urlOf = (a: (typeof sorted)[number]) => `${scheme}://${a.hostname}:${a.port ?? 5051}`;
  const agents = sorted.map((a, i) => base(a.state === 'active' ? 'running' : 'exited', 'agent', i + 1, urlOf(a), `${a.hostname}:${a.port ?? 5051}`));
  return { name, nodes: [...masters, ...agents], agentUrls: Object.fromEntries(sorted.map((a) => [a.id, urlOf(a)])) };
}
