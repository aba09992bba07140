import type { ApiErrorData, Envelope } from '../errors';
import type { ConnectionState, SubscriptionListener, Transport } from './transport';
import { type ClientMessage, ServerMessageSchema } from './wire';

/** What the transport needs of a socket; `connect.ts` adapts the browser's WebSocket, tests the `ws` package's. */
export interface SocketLike {
  isOpen(): boolean;
  send(data: string): void;
  close(): void;
}

export interface SocketHandlers {
  open(): void;
  close(): void;
  message(data: string): void;
}

export interface WsTransportOptions {
  url: string;
  createSocket: (url: string, handlers: SocketHandlers) => SocketLike;
  /** Reconnect delays in ms, the last one repeating. */
  backoffMs?: readonly number[];
}

const lostConnection: ApiErrorData = {
  code: 'transport',
  message: 'The connection to the Mesoscope host was lost before it answered.',
};

/**
 * The web host's transport. Calls made while disconnected wait for the connection; subscriptions are
 * re-sent after a reconnect, so a live view recovers by itself when the host comes back.
 */
export function createWsTransport(options: WsTransportOptions): Transport & { close(): void } {
  const backoff = options.backoffMs ?? [250, 500, 1000, 2000, 4000];
  const pendingCalls = new Map<number, { message: ClientMessage; resolve: (e: Envelope) => void; sent: boolean }>();
  const subscriptions = new Map<number, { message: ClientMessage; listener: SubscriptionListener }>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(state);
  };

  const send = (message: ClientMessage): boolean => {
    if (!socket?.isOpen()) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  const onMessage = (data: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const result = ServerMessageSchema.safeParse(parsed);
    if (!result.success) return;
    const message = result.data;
    switch (message.type) {
      case 'result': {
        const pending = pendingCalls.get(message.id);
        pendingCalls.delete(message.id);
        pending?.resolve(message.envelope);
        break;
      }
      case 'event':
        subscriptions.get(message.id)?.listener.next(message.payload);
        break;
      case 'subscription-error': {
        const sub = subscriptions.get(message.id);
        subscriptions.delete(message.id);
        sub?.listener.error(message.error);
        break;
      }
      case 'protocol-error':
        console.error(`Mesoscope host refused a message: ${message.message}`);
        break;
    }
  };

  const connect = () => {
    const ws: SocketLike = options.createSocket(options.url, {
      open: () => {
        attempt = 0;
        setState('open');
        for (const { message } of subscriptions.values()) send(message);
        for (const pending of pendingCalls.values()) pending.sent = send(pending.message);
      },
      message: onMessage,
      close: () => {
        if (socket !== ws) return;
        socket = null;
        // A call in flight may or may not have run on the host: fail it rather than send it twice.
        // Calls not yet sent wait for the next connection.
        for (const [id, pending] of pendingCalls) {
          if (!pending.sent) continue;
          pendingCalls.delete(id);
          pending.resolve({ ok: false, error: lostConnection });
        }
        if (closed) return;
        setState('reconnecting');
        const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
        attempt += 1;
        reconnectTimer = setTimeout(connect, delay);
      },
    });
    socket = ws;
  };

  connect();

  return {
    call(name, input) {
      if (closed) return Promise.resolve({ ok: false, error: lostConnection });
      const message: ClientMessage = { type: 'call', id: nextId++, name, input };
      return new Promise<Envelope>((resolve) => {
        pendingCalls.set(message.id, { message, resolve, sent: send(message) });
      });
    },
    subscribe(name, params, listener) {
      const message: ClientMessage = { type: 'subscribe', id: nextId++, name, params };
      subscriptions.set(message.id, { message, listener });
      send(message);
      return () => {
        if (subscriptions.delete(message.id)) send({ type: 'unsubscribe', id: message.id });
      };
    },
    connectionState: () => state,
    onConnectionState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      socket?.close();
    },
  };
}
