import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope } from '@shared/errors';
import type { Dispatcher } from '../api/dispatcher';
import type { BridgeEventMessage } from '@shared/api/bridge';
import { IPC } from './ipc-channels';

/** The frame that sent a message: Electron's WebFrameMain, or null once it is gone. */
export interface SenderFrame {
  url: string;
}

type IpcMainLike = Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'>;
type Sender = Pick<WebContents, 'id' | 'send' | 'on' | 'once' | 'isDestroyed'>;

const forbidden: Envelope = {
  ok: false,
  error: { code: 'forbidden', message: 'This frame may not use the Mesoscope API.' },
};

/**
 * Serves the dispatcher over ipcMain. Every message's sender frame is checked before anything runs;
 * a window's subscriptions end when it is destroyed or reloads.
 */
export function bindIpc(ipcMain: IpcMainLike, dispatcher: Dispatcher, isTrusted: (frame: SenderFrame | null) => boolean): () => void {
  const subscriptions = new Map<string, () => void>();
  const watched = new Set<number>();

  const endAllOf = (senderId: number) => {
    for (const [key, unsubscribe] of subscriptions) {
      if (key.startsWith(`${senderId}:`)) {
        unsubscribe();
        subscriptions.delete(key);
      }
    }
  };

  const watch = (sender: Sender) => {
    if (watched.has(sender.id)) return;
    watched.add(sender.id);
    const end = () => endAllOf(sender.id);
    // A reload loads a new page (with a new preload): the old page's subscriptions must end too.
    sender.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) end();
    });
    sender.on('render-process-gone', end);
    sender.once('destroyed', () => {
      end();
      watched.delete(sender.id);
    });
  };

  const onCall = (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Envelope> =>
    isTrusted(event.senderFrame) ? dispatcher.call(name, input) : Promise.resolve(forbidden);

  const onSubscribe = (event: IpcMainEvent, id: unknown, name: unknown, params: unknown) => {
    if (typeof id !== 'string' || id.length > 100) return;
    const sender = event.sender;
    const reply = (message: BridgeEventMessage) => {
      if (!sender.isDestroyed()) sender.send(IPC.event, id, message);
    };
    if (!isTrusted(event.senderFrame)) {
      if (!forbidden.ok) reply({ type: 'error', error: forbidden.error });
      return;
    }
    const key = `${sender.id}:${id}`;
    subscriptions.get(key)?.();
    const result = dispatcher.subscribe(name, params, {
      next: (payload) => reply({ type: 'event', payload }),
      error: (error) => {
        subscriptions.delete(key);
        reply({ type: 'error', error });
      },
    });
    if (!result.ok) {
      reply({ type: 'error', error: result.error });
      return;
    }
    subscriptions.set(key, result.unsubscribe);
    watch(sender);
  };

  const onUnsubscribe = (event: IpcMainEvent, id: unknown) => {
    const key = `${event.sender.id}:${String(id)}`;
    subscriptions.get(key)?.();
    subscriptions.delete(key);
  };

  ipcMain.handle(IPC.call, onCall);
  ipcMain.on(IPC.subscribe, onSubscribe);
  ipcMain.on(IPC.unsubscribe, onUnsubscribe);
  return () => {
    ipcMain.removeHandler(IPC.call);
    ipcMain.removeListener(IPC.subscribe, onSubscribe);
    ipcMain.removeListener(IPC.unsubscribe, onUnsubscribe);
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  };
}
