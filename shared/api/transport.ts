import type { ApiErrorData, Envelope } from '../errors';

export interface SubscriptionListener {
  next(payload: unknown): void;
  /** The subscription ended with an error (bad params, the source failed, the connection dropped). */
  error(error: ApiErrorData): void;
}

/** Connection to the host, as the UI shows it. Electron IPC and in-process are always 'open'. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/**
 * The untyped channel under the typed client. Each transport (Electron IPC, WebSocket,
 * in-process) implements this; none of them ever throws for a failed call.
 */
export interface Transport {
  call(name: string, input: unknown): Promise<Envelope>;
  /** Returns the function that ends the subscription. */
  subscribe(name: string, params: unknown, listener: SubscriptionListener): () => void;
  connectionState(): ConnectionState;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}
