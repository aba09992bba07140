import type { MesoscopeClient } from '@shared/api/client';
import { type ServiceInstance, type ServicesView, type ServiceView } from '@shared/services/schemas';
import type { Outcome } from './outcomes';

/** What a kill-instance scene killed, so the relaunch can be told apart from it. */
export interface KilledInstance {
  slot: number;
  taskId: string;
  /** host:port of its first port, as Endpoints listed it. */
  endpoint: string;
}

export const endpointOf = (inst: ServiceInstance): string | undefined => (inst.host && inst.ports[0] !== undefined ? `${inst.host}:${inst.ports[0]}` : undefined);

/** RUNNING, and healthy when the service has a health check (healthy stays unset until the first check result). */
const serving = (service: ServiceView, inst: ServiceInstance): boolean => inst.state === 'TASK_RUNNING' && (!service.spec.healthCheck || inst.healthy === true) && endpointOf(inst) !== undefined;

/**
 * Resolves with the first value `test` finds in the services.view stream of the cluster (the Services
 * tab's own feed), or with `undefined` after withinMs. Always unsubscribes.
 */
function untilServices<T>(api: MesoscopeClient, cluster: string, test: (view: ServicesView) => T | undefined, withinMs: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let done = false;
    // Unsubscribing waits a microtask: the first payload may arrive before subscribe has returned.
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => stop());
      fn();
    };
    const timer = setTimeout(() => finish(() => resolve(undefined)), withinMs);
    const stop = api.subscribe(
      'services.view',
      { cluster },
      (view) => {
        const found = test(view);
        if (found !== undefined) finish(() => resolve(found));
      },
      (err) => finish(() => reject(err)),
    );
  });
}

/** service-running: every instance RUNNING and healthy; the message lists their endpoints. */
export async function waitForServiceRunning(api: MesoscopeClient, cluster: string, id: string, withinSecs: number): Promise<Outcome> {
  const found = await untilServices(
    api,
    cluster,
    (view) => {
      const s = view.services.find((x) => x.spec.id === id);
      const up = s?.instances.filter((i) => serving(s, i)) ?? [];
      return s && s.spec.instances > 0 && up.length === s.spec.instances ? { s, up } : undefined;
    },
    withinSecs * 1000,
  );
  if (!found) return { ok: false, message: `Not seen within ${withinSecs} s: every instance of ${id} running and healthy.` };
  const { s, up } = found;
  const endpoints = up.sort((a, b) => a.slot - b.slot).map((i) => endpointOf(i)).join(', ');
  return { ok: true, message: `${id}: ${up.length} of ${s.spec.instances} instances running${s.spec.healthCheck ? ` and healthy (${s.spec.healthCheck.type} check)` : ''}, at ${endpoints}.` };
}

/** service-relaunched: the killed slot RUNNING (and healthy) again as another task, on another endpoint. */
export async function waitForServiceRelaunched(api: MesoscopeClient, cluster: string, id: string, killed: KilledInstance, withinSecs: number): Promise<Outcome> {
  const found = await untilServices(
    api,
    cluster,
    (view) => {
      const s = view.services.find((x) => x.spec.id === id);
      const inst = s?.instances.find((i) => i.slot === killed.slot);
      return s && inst && inst.taskId !== killed.taskId && serving(s, inst) && endpointOf(inst) !== killed.endpoint ? inst : undefined;
    },
    withinSecs * 1000,
  );
  if (!found) return { ok: false, message: `Not seen within ${withinSecs} s: instance ${killed.slot} of ${id} relaunched on a new endpoint (it was ${killed.endpoint}).` };
  return { ok: true, message: `Instance ${killed.slot} of ${id} relaunched as ${found.taskId ?? '?'}: ${killed.endpoint} → ${endpointOf(found) ?? '?'}.` };
}
