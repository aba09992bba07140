import type { TourOutcome } from '@shared/tours/schema';
import type { ClusterSession } from '../scripting/cluster-session';
import { isTimeout } from '../scripting/live-view';
import { type KilledInstance, waitForServiceRelaunched, waitForServiceRunning } from './service-outcomes';
import type { TaskRef } from './tour-service';

export interface Outcome {
  ok: boolean;
  /** What was seen; or what was waited for and did not come. */
  message: string;
}

/**
 * Waits (at most the scene's withinSecs) for what a scene expects after its action, on the same live
 * views the UI shows (ClusterSession: dashboard.deltas and runs.view). Never throws on a timeout: a
 * missed outcome is a result the presenter is told about.
 */
export async function waitForOutcome(
  session: ClusterSession,
  run: { cluster: string; tour: { cluster: { agents: number } }; refs: Map<string, TaskRef>; kills: Map<string, KilledInstance> },
  expect: TourOutcome,
  before: { leaderBefore?: string } = {},
): Promise<Outcome> {
  const withinMs = expect.withinSecs * 1000;
  const missed = (what: string) => (err: unknown): Outcome => {
    if (isTimeout(err)) return { ok: false, message: `Not seen within ${expect.withinSecs} s: ${what}.` };
    throw err;
  };
  const refOf = (name: string): TaskRef => {
    const ref = run.refs.get(name);
    if (!ref) throw new Error(`No task named "${name}" was started in this run of the tour (go back and do its scene first).`);
    return ref;
  };
  switch (expect.see) {
    case 'cluster-ready': {
      const want = run.tour.cluster.agents;
      return session.live
        .until('every agent active', (view) => view && view.connection.state === 'live' && Object.values(view.agents).filter((a) => a.state === 'active').length >= want, withinMs)
        .then(() => ({ ok: true, message: `The cluster is up: ${want} agent${want === 1 ? '' : 's'} active.` }), missed(`${want} active agents`));
    }
    case 'task-state': {
      const ref = refOf(expect.task);
      const keys = ref.taskIds.map((id) => `${ref.frameworkId}/${id}`);
      return session.live
        .until(`${expect.task} ${expect.state}`, (view) => view && keys.every((k) => view.tasks[k]?.state === expect.state), withinMs)
        .then(() => ({ ok: true, message: `${keys.length === 1 ? 'The task is' : `All ${keys.length} tasks are`} ${expect.state}.` }), missed(`${expect.task} in ${expect.state}`));
    }
    case 'fault-outcome': {
      const injection = refOf(expect.task).injection;
      if (!injection) throw new Error(`"${expect.task}" was not started by a fault.`);
      try {
        const judged = await session.faultOutcome(injection, withinMs);
        // The judge's words say "as faults.md says" themselves when it is.
        return judged.verdict === 'as-expected' ? { ok: true, message: judged.detail } : { ok: false, message: `Not as faults.md says (${judged.verdict}): ${judged.detail}` };
      } catch (err) {
        return missed(injection.expectation.summary)(err);
      }
    }
    case 'agent-active': {
      const agent = (await session.agents()).find((a) => a.index === expect.agent);
      if (!agent) throw new Error(`The cluster has no agent ${expect.agent}.`);
      return session.live
        .until(`agent ${expect.agent} active`, (view) => Object.values(view?.agents ?? {}).some((a) => a.port === agent.port && a.state === 'active'), withinMs)
        .then(() => ({ ok: true, message: `Agent ${expect.agent} is active again.` }), missed(`agent ${expect.agent} active`));
    }
    case 'frameworks':
      return session.live
        .until(`${expect.count} frameworks`, (view) => view && Object.values(view.frameworks).filter((f) => f.state === 'active').length >= expect.count, withinMs)
        .then(() => ({ ok: true, message: `${expect.count} frameworks are subscribed, sharing the agents.` }), missed(`${expect.count} subscribed frameworks`));
    case 'offer-declined':
      return session.live
        .until('a declined offer', (_view, runs) => runs.offers.find((o) => o.outcome === 'declined'), withinMs)
        .then((o) => ({ ok: true, message: `An offer declined: ${o.why}${o.refuseSeconds !== undefined ? `, refuse filter ${o.refuseSeconds} s` : ''}.` }), missed('an offer declined'));
    case 'leader-changed':
      return session.live
        .until('a new leader', (view) => {
          const leader = view?.masters.find((m) => m.leader)?.url;
          return leader !== undefined && leader !== before.leaderBefore && leader;
        }, withinMs)
        .then((leader) => ({ ok: true, message: `The new leader is ${leader}.` }), missed('a new leader'));
    case 'framework-resubscribed':
      return session.live
        .until('a resubscription', (_view, runs) => runs.frameworks.find((f) => f.resubscriptions > 0 && f.state === 'subscribed'), withinMs)
        .then((f) => ({ ok: true, message: `${f.name} subscribed again with the same id (${f.id ?? '?'}), ${f.resubscriptions} time${f.resubscriptions === 1 ? '' : 's'}.` }), missed('the framework subscribed again'));
    case 'service-running':
      return waitForServiceRunning(session.api, run.cluster, expect.service, expect.withinSecs);
    case 'service-relaunched': {
      const killed = run.kills.get(expect.service);
      if (!killed) throw new Error(`No instance of "${expect.service}" was killed in this run of the tour (go back and do its scene first).`);
      return waitForServiceRelaunched(session.api, run.cluster, expect.service, killed, expect.withinSecs);
    }
  }
}
