import { createClient, type MesoscopeClient } from '@shared/api/client';
import { WS_API_PATH } from '@shared/api/wire';
import { createWsTransport, type SocketHandlers, type SocketLike } from '@shared/api/ws-transport';
import { createElectronTransport } from './electron-transport';
import { takeWebToken } from './web-token';

export type Connection = { kind: 'electron' | 'web'; client: MesoscopeClient } | { kind: 'no-token' };

/** In Electron, the preload's bridge; in a browser, the web host's WebSocket with its token. */
export function connect(): Connection {
  if (window.mesoscope) return { kind: 'electron', client: createClient(createElectronTransport(window.mesoscope)) };
  const token = takeWebToken();
  if (!token) return { kind: 'no-token' };
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
