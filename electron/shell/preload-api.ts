import type { ContextBridge, IpcRenderer, IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '@shared/contract';
import type { BridgeCall, BridgeEventMessage, BridgeSubscribe, MesoscopeBridge } from '@shared/api/bridge';
import { IPC } from './ipc-channels';

type IpcLike = Pick<IpcRenderer, 'invoke' | 'send' | 'on'>;

/** Builds the bridge from the contract's names; the main process validates every argument. */
export function buildBridge(ipc: IpcLike): MesoscopeBridge {
  const listeners = new Map<string, (message: BridgeEventMessage) => void>();
  ipc.on(IPC.event, (_event: IpcRendererEvent, id: string, message: BridgeEventMessage) => {
    listeners.get(id)?.(message);
  });
  let counter = 0;
  const prefix = Math.random().toString(36).slice(2);

  const calls = Object.fromEntries(
    CALL_NAMES.map((name): [string, BridgeCall] => [name, (input) => ipc.invoke(IPC.call, name, input)]),
  );
  const events = Object.fromEntries(
    EVENT_NAMES.map((name): [string, BridgeSubscribe] => [
      name,
      (params, listener) => {
        const id = `${prefix}-${++counter}`;
        listeners.set(id, listener);
        ipc.send(IPC.subscribe, id, name, params);
        return () => {
          if (listeners.delete(id)) ipc.send(IPC.unsubscribe, id);
        };
      },
    ]),
  );
  return Object.freeze({ calls: Object.freeze(calls), events: Object.freeze(events) });
}

export function exposeBridge(contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>, ipc: IpcLike): void {
  contextBridge.exposeInMainWorld('mesoscope', buildBridge(ipc));
}
