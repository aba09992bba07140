import { createClient, type MesoscopeClient } from '@shared/api/client';
import { SESSION_PATH, WS_API_PATH } from '@shared/api/wire';
import { createWsTransport, type SocketHandlers, type SocketLike } from '@shared/api/ws-transport';
import { createElectronTransport } from './electron-transport';
import { forgetWebToken, takeWebToken } from './web-token';

export type Connection = { kind: 'electron' | 'web'; client: MesoscopeClient } | { kind: 'no-token' | 'stale-token' };

/**
 * In Electron, the preload's bridge; in a browser, the web host's WebSocket with its token, once the
 * host has said the token is its own (a restarted host has a new one).
 */
export async function connect(): Promise<Connection> {
  if (window.mesoscope) return { kind: 'electron', client: createClient(createElectronTransport(window.mesoscope)) };
  const token = takeWebToken();
  if (!token) return { kind: 'no-token' };
  const session = await fetch(SESSION_PATH, { headers: { Authorization: `Bearer ${token}` } }).catch(() => null);
  if (session?.status === 401) {
    forgetWebToken();
    return { kind: 'stale-token' };
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}${WS_API_PATH}?token=${encodeURIComponent(token)}`;
  return { kind: 'web', client: createClient(createWsTransport({ url, createSocket: browserSocket })) };
}

function browserSocket(url: string, handlers: SocketHandlers): SocketLike {
  const ws = new WebSocket(url);
  ws.onopen = handlers.open;
  ws.onclose = handlers.close;
  ws.onmessage = (event) => handlers.message(String(event.data));
  return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (data) => ws.send(data), close: () => ws.close() };
}
