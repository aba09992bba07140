import { ApiError } from '@shared/errors';
import type { ClusterEngine } from '../../engine/cluster-engine';
import { leaderUrl } from '../../faults/cluster-probe';
import { get } from '../../mesos/http';
import type { CallHandlers } from '../dispatcher';
import { mapErrors } from '../engine-errors';

/** Mesos' own answers, passed through (shared/contract/mesos.ts). */
export function mesosHandlers(engine: Pick<ClusterEngine, 'get'>): Pick<CallHandlers, 'mesos.state'> {
  return {
    'mesos.state': mapErrors(async ({ cluster }) => {
      const summary = await engine.get(cluster);
      let leader: string;
      try {
        leader = await leaderUrl(summary);
      } catch (err) {
        throw new ApiError('unavailable', `No leading master of "${cluster}" answers: ${(err as Error).message}`);
      }
      const res = await get(`${leader}/master/state`, { timeoutMs: 10_000 });
      if (res.status !== 200) throw new ApiError('unavailable', `${leader}/master/state answered ${res.status}: ${res.body.slice(0, 200)}`);
      return JSON.parse(res.body) as Record<string, unknown>;
    }),
  };
}
