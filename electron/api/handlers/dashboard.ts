import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import type { EventHandlers } from '../dispatcher';
import { toApiError } from '../engine-errors';

export function dashboardHandlers(monitors: MonitorRegistry): Pick<EventHandlers, 'dashboard.deltas'> {
  return {
    'dashboard.deltas': async ({ cluster, offers }, emit, signal) => {
      const { monitor, release } = await monitors.acquire(cluster).catch((err: unknown) => {
        throw toApiError(err);
      });
      if (signal.aborted) return release();
      const stopOffers = offers ? monitor.watchOffers() : undefined;
      const stopDeltas = monitor.onDeltas(emit);
      emit({ clusterId: cluster, seq: -1, deltas: [{ kind: 'snapshot', view: monitor.snapshot() }] });
      signal.addEventListener(
        'abort',
        () => {
          stopDeltas();
          stopOffers?.();
          release();
        },
        { once: true },
      );
    },
  };
}
