import { endpointsOf } from '@shared/services/schemas';
import type { ClusterEngine } from '../../engine/cluster-engine';
import type { FrameworkRegistry } from '../../framework/framework-registry';
import type { CallHandlers, EventHandlers } from '../dispatcher';
import { mapErrors, toApiError } from '../engine-errors';

type ServiceCalls = Pick<CallHandlers, 'services.create' | 'services.list' | 'services.scale' | 'services.restart' | 'services.remove' | 'services.endpoints'>;

/** Health and state change in bursts: at most one push per interval. */
const VIEW_THROTTLE_MS = 50;

export function serviceHandlers(engine: ClusterEngine, frameworks: FrameworkRegistry): { calls: ServiceCalls; events: Pick<EventHandlers, 'services.view'> } {
  /** Unknown clusters are refused before anything is made for them; stored services resume on first use. */
  const services = async (cluster: string) => {
    await engine.get(cluster);
    const manager = frameworks.get(cluster).services;
    await manager.resume();
    return manager;
  };
  return {
    calls: {
      'services.create': mapErrors(async ({ cluster, spec }) => (await services(cluster)).create(spec)),
      'services.list': mapErrors(async ({ cluster }) => (await services(cluster)).view()),
      'services.scale': mapErrors(async ({ cluster, id, instances }) => (await services(cluster)).scale(id, instances)),
      'services.restart': mapErrors(async ({ cluster, id }) => (await services(cluster)).restart(id)),
      'services.remove': mapErrors(async ({ cluster, id }) => {
        await (await services(cluster)).remove(id);
        return {};
      }),
      'services.endpoints': mapErrors(async ({ cluster }) => endpointsOf((await services(cluster)).view())),
    },
    events: {
      'services.view': async ({ cluster }, emit, signal) => {
        try {
          const manager = await services(cluster);
          let timer: ReturnType<typeof setTimeout> | undefined;
          const push = () => {
            timer = undefined;
            if (!signal.aborted) emit(manager.view());
          };
          const stop = manager.onChange(() => {
            timer ??= setTimeout(push, VIEW_THROTTLE_MS);
          });
          signal.addEventListener('abort', () => (clearTimeout(timer), stop()), { once: true });
          push();
        } catch (err) {
          throw toApiError(err);
        }
      },
    },
  };
}
