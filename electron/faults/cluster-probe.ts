import type { ClusterSummary } from '@shared/cluster/status';
import { MasterClient } from '../mesos/master-client';
import { get } from '../mesos/http';
import { masterUrls, reachableUrl } from '../engine/master-urls';

/** What the fault injector asks the masters: the agents as the leader knows them, and who leads. */

export interface MesosAgent {
  id: string;
  hostname: string;
  port: number;
  active: boolean;
  attributes: Record<string, string | number>;
}

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

/** The leading master's base URL (one this machine reaches). */
export async function leaderUrl(cluster: Pick<ClusterSummary, 'layout'>): Promise<string> {
  return (await new MasterClient({ masters: masterUrls(cluster), reachable: reachableUrl(cluster.layout) }).discoverLeader()).url;
}
