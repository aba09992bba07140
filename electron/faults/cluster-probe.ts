import type { ClusterSummary } from '@shared/cluster/status';
import { MasterClient } from '../mesos/master-client';
import { get } from '../mesos/http';

/** What the fault injector asks the masters: the agents as the leader knows them, and who leads. */

export interface MesosAgent {
  id: string;
  hostname: string;
  port: number;
  active: boolean;
  attributes: Record<string, string | number>;
}

export const masterUrls = (c: Pick<ClusterSummary, 'layout'>): string[] => c.layout.masters.map((m) => `http://${c.layout.hostAddress}:${m.port}`);

/** `/master/slaves` of the leader (a standby redirects there; docs/mesos/api.md §1.7). */
export async function mesosAgents(cluster: Pick<ClusterSummary, 'layout'>): Promise<MesosAgent[]> {
  let last: unknown;
  for (const base of masterUrls(cluster)) {
    try {
      const res = await get(`${base}/master/slaves`, { timeoutMs: 5000 });
      if (res.status !== 200) throw new Error(`${base}/master/slaves answered ${res.status}`);
      const body = JSON.parse(res.body) as { slaves?: Array<Partial<MesosAgent> & { id: string }> };
      return (body.slaves ?? []).map((s) => ({ id: s.id, hostname: s.hostname ?? '', port: s.port ?? 0, active: s.active !== false, attributes: s.attributes ?? {} }));
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`No master answered /master/slaves: ${(last as Error)?.message ?? last}`);
}

/** On a bridge network every node port is published on the host address at the same number. */
export function publishedUrl(url: string, hostAddress: string): string {
  const u = new URL(url);
  u.hostname = hostAddress;
  return u.origin;
}

/** The leading master's base URL (one this machine reaches). */
export async function leaderUrl(cluster: Pick<ClusterSummary, 'layout'>): Promise<string> {
  const { layout } = cluster;
  const reachable = layout.network === 'bridge' ? (url: string) => publishedUrl(url, layout.hostAddress) : undefined;
  return (await new MasterClient({ masters: masterUrls(cluster), reachable }).discoverLeader()).url;
}
