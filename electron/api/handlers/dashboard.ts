import type { MonitorRegistry } from '../../dashboard/monitor-registry';
import { SubscriberFeed } from '../../dashboard/subscriber-feed';
import type { EventHandlers } from '../dispatcher';
import { toApiError } from '../engine-errors';

export function dashboardHandlers(monitors: MonitorRegistry): Pick<EventHandlers, 'dashboard.deltas' | 'dashboard.watchOffers'> {
  const acquire = (cluster: string) =>
    monitors.acquire(cluster).catch((err: unknown) => {
      throw toApiError(err);
    });
  return {
    'dashboard.deltas': async ({ cluster, offers }, emit, signal) => {
      const { monitor, release } = await acquire(cluster);
      if (signal.aborted) return release();
      const stopOffers = offers ? monitor.watchOffers() : undefined;
      // The view and every batch after it, nothing lost or doubled between them (attach), paced and
      // compacted for this subscriber (SubscriberFeed).
      const feed = new SubscriberFeed(cluster, emit);
      const { view, detach } = monitor.attach((batch) => feed.push(batch));
      feed.start(view);
      signal.addEventListener(
        'abort',
        () => {
          feed.close();
          detach();
          stopOffers?.();
          release();
        },
        { once: true },
      );
    },
    'dashboard.watchOffers': async ({ cluster }, emit, signal) => {
      const { monitor, release } = await acquire(cluster);
      if (signal.aborted) return release();
      const stopOffers = monitor.watchOffers();
      emit({ cluster, watching: true });
      signal.addEventListener(
        'abort',
        () => {
          stopOffers();
          release();
        },
        { once: true },
      );
    },
  };
}
