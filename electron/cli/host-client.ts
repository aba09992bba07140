import { createClient, type MesoscopeClient } from '@shared/api/client';
import { createWsTransport } from '@shared/api/ws-transport';
import { nodeSocket } from '../web-host/node-socket';

/** How long a published host has to accept the connection before the CLI runs the engine itself. */
export const HOST_CONNECT_MS = 3000;

export interface HostClient {
  client: MesoscopeClient;
  close(): void;
}

/**
 * A client of a running host's API socket, once it is open; null when it does not open in time.
 * A command is short: if the connection drops, `onLost` is told once and the client does not reconnect
 * (calls in flight fail with the connection lost).
 */
export async function connectToHost(url: string, onLost: () => void, timeoutMs = HOST_CONNECT_MS): Promise<HostClient | null> {
  const transport = createWsTransport({ url, createSocket: nodeSocket, backoffMs: [timeoutMs] });
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    // The first attempt refused (no one listens there, or the token is not the host's): no use waiting.
    const stop = transport.onConnectionState((state) => {
      clearTimeout(timer);
      stop();
      resolve(state === 'open');
    });
  });
  if (!opened) {
    transport.close();
    return null;
  }
  transport.onConnectionState((state) => {
    if (state !== 'reconnecting') return;
    transport.close();
    onLost();
  });
  return { client: createClient(transport), close: () => transport.close() };
}
