import { ApiError } from '@shared/errors';
import type { ClusterEngine } from '../../engine/cluster-engine';
import { leaderUrl } from '../../faults/cluster-probe';
import { get } from '../../mesos/http';
import { MasterClient, type MasterClientOptions } from '../../mesos/master-client';
import type { CallHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

/** Mesos' own answers, passed through (shared/contract/mesos.ts). */
export function mesosHandlers(
  engine: Pick<ClusterEngine, 'get'>,
  /** An attached cluster's masters and access; undefined for a launched one. */
  attached: (cluster: string) => Promise<MasterClientOptions> | undefined = () => undefined,
): Pick<CallHandlers, 'mesos.state'> {
  return {
    'mesos.state': mapErrors(async ({ cluster }) => {
      const connection = await attached(cluster);
      let leader: string;
      try {
        leader = connection ? (await new MasterClient(connection).discoverLeader()).url : await leaderUrl(await engine.get(cluster));
      } catch (err) {
        if (err instanceof ApiError || (err as Error).name === 'UnknownCluster') throw err;
        throw new ApiError('unavailable', `No leading master of "${cluster}" answers: ${(err as Error).message}`);
      }
      const res = await get(`${leader}/master/state`, { timeoutMs: 10_000, access: connection?.access });
      if (res.status !== 200) throw new ApiError('unavailable', `${leader}/master/state answered ${res.status}: ${res.body.slice(0, 200)}`);
      return JSON.parse(res.body) as Record<string, unknown>;
    }),
  };
}
