import type {
  CallInput,
  CallName,
  CallOutput,
  EventName,
  EventParamsInput,
  EventPayload,
} from '../contract';
import { ApiError } from '../errors';
import type { ConnectionState, Transport } from './transport';

/** The typed API the UI (and tests) use: contract names in, contract types out, ApiError thrown. */
export interface MesoscopeClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  subscribe<E extends EventName>(
    name: E,
    params: EventParamsInput<E>,
    onEvent: (payload: EventPayload<E>) => void,
    onError?: (error: ApiError) => void,
  ): () => void;
  connectionState(): ConnectionState;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export function createClient(transport: Transport): MesoscopeClient {
  return {
    async call(name, input) {
      const envelope = await transport.call(name, input);
      if (!envelope.ok) throw ApiError.fromData(envelope.error);
      // The host validated the value against the contract's output schema before sending it.
      return envelope.value as never;
    },
    subscribe(name, params, onEvent, onError) {
      return transport.subscribe(name, params, {
        next: (payload) => onEvent(payload as never),
        error: (error) => onError?.(ApiError.fromData(error)),
      });
    },
    connectionState: () => transport.connectionState(),
    onConnectionState: (listener) => transport.onConnectionState(listener),
  };
}
