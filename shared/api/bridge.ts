import type { ApiErrorData, Envelope } from '../errors';

/** What the main process sends the preload for one subscription. */
export type BridgeEventMessage = { type: 'event'; payload: unknown } | { type: 'error'; error: ApiErrorData };

export type BridgeCall = (input: unknown) => Promise<Envelope>;
export type BridgeSubscribe = (params: unknown, listener: (message: BridgeEventMessage) => void) => () => void;

/** `window.mesoscope` in the Electron window: one function per call and per event of the contract. */
export interface MesoscopeBridge {
  calls: Readonly<Record<string, BridgeCall>>;
  events: Readonly<Record<string, BridgeSubscribe>>;
}
