import type { Transport } from '@shared/api/transport';
import type { Dispatcher } from './dispatcher';

/**
 * Serves the dispatcher to code in the same process (tests, the CLI). It behaves like the real
 * transports: values are cloned as IPC or JSON would, and events arrive asynchronously, never from
 * inside the subscribe() call.
 */
export function createInProcessTransport(dispatcher: Dispatcher): Transport {
  return {
    async call(name, input) {
      return structuredClone(await dispatcher.call(name, structuredClone(input)));
    },
    subscribe(name, params, listener) {
      let active = true;
      const later = (deliver: () => void) =>
        queueMicrotask(() => {
          if (active) deliver();
        });
      const result = dispatcher.subscribe(name, structuredClone(params), {
        next: (payload) => {
          const copy = structuredClone(payload);
          later(() => listener.next(copy));
        },
        error: (error) => later(() => listener.error(error)),
      });
      if (!result.ok) {
        later(() => listener.error(result.error));
        return () => {
          active = false;
        };
      }
      return () => {
        active = false;
        result.unsubscribe();
      };
    },
    connectionState: () => 'open',
    onConnectionState: () => () => {},
  };
}
