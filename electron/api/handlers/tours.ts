import type { SharingService } from '../../sharing/sharing-service';
import type { TourService } from '../../tours/tour-service';
import type { CallHandlers, EventHandlers } from '../dispatcher';

type TourCallNames = 'tours.list' | 'tours.start' | 'tours.act' | 'tours.go' | 'tours.end' | 'sharing.addresses' | 'sharing.start' | 'sharing.stop';

/** Guided tours and the audience view (shared/contract/tours.ts). */
export function tourHandlers(tours: TourService, sharing: SharingService): { calls: Pick<CallHandlers, TourCallNames>; events: Pick<EventHandlers, 'tours.state' | 'sharing.state'> } {
  return {
    calls: {
      'tours.list': async () => tours.list(),
      'tours.start': (input) => tours.start(input),
      'tours.act': () => tours.act(),
      'tours.go': ({ to }) => tours.go(to),
      'tours.end': ({ destroy }) => tours.end(destroy),
      'sharing.addresses': async () => sharing.addresses(),
      'sharing.start': (input) => sharing.start(input),
      'sharing.stop': () => sharing.stop(),
    },
    events: {
      'tours.state': (_params, emit, signal) => {
        const stop = tours.subscribe(emit);
        signal.addEventListener('abort', stop, { once: true });
      },
      'sharing.state': (_params, emit, signal) => {
        const stop = sharing.subscribe(emit);
        signal.addEventListener('abort', stop, { once: true });
      },
    },
  };
}
