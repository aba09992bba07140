import type { MesoscopeBridge } from '@shared/api/bridge';
import type { Transport } from '@shared/api/transport';

/** The Electron window's transport: the preload's bridge, which is IPC to the main process. */
export function createElectronTransport(bridge: MesoscopeBridge): Transport {
  return {
    call(name, input) {
      const call = bridge.calls[name];
      if (!call) return Promise.resolve({ ok: false, error: { code: 'unknown-call', message: `No call named ${name}` } });
      return call(input);
    },
    subscribe(name, params, listener) {
      const subscribe = bridge.events[name];
      if (!subscribe) {
        listener.error({ code: 'unknown-call', message: `No event named ${name}` });
        return () => {};
      }
      return subscribe(params, (message) => (message.type === 'event' ? listener.next(message.payload) : listener.error(message.error)));
    },
    connectionState: () => 'open',
    onConnectionState: () => () => {},
  };
}
