import type { IncomingMessage, Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ClientMessageSchema, type ServerMessage, WS_API_PATH } from '@shared/api/wire';
import type { Dispatcher } from '../api/dispatcher';

/** Largest message the page may send; every call's input is small. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Sockets at once: a page holds one; a few tabs and the CLI stay far below. */
export const MAX_CONNECTIONS = 32;
/** Live subscriptions per socket: a page holds about ten. */
export const MAX_SUBSCRIPTIONS = 128;

/**
 * Serves the dispatcher over WebSocket on `WS_API_PATH`. A connection must carry the host's token and
 * come through a loopback Host header (so a DNS-rebinding page cannot reach it); subscriptions live as
 * long as the socket.
 */
export interface WsApiOptions {
  /** A non-loopback address the host listens on (the audience view on a LAN): its name is accepted as Host and Origin too. */
  address?: string;
  /** Told the number of open sockets whenever it changes (the audience view's viewer count). */
  onConnections?: (count: number) => void;
}

export function attachWsApi(server: Server, dispatcher: Dispatcher, token: string, options: WsApiOptions = {}): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const hostnames = ['127.0.0.1', 'localhost', '[::1]', ...(options.address ? [hostPart(options.address)] : [])];

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A socket that errors before the handshake is done would otherwise be an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const refusal = refuse(req, token, hostnames) ?? (wss.clients.size >= MAX_CONNECTIONS ? '503 Service Unavailable' : null);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // ws adds the socket to wss.clients within handleUpgrade, so the count above is never behind.
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveConnection(ws, dispatcher);
      options.onConnections?.(wss.clients.size);
      ws.once('close', () => options.onConnections?.(wss.clients.size));
    });
  });
  return wss;
}

/** How an address appears in a Host header or an origin (IPv6 in brackets). */
export const hostPart = (address: string): string => (address.includes(':') ? `[${address}]` : address);

function refuse(req: IncomingMessage, token: string, hostnames: string[]): string | null {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return '400 Bad Request';
  }
  if (url.pathname !== WS_API_PATH) return '404 Not Found';
  const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
  if (!hostnames.includes(hostname)) return '403 Forbidden';
  // A browser always names the page that opens a socket: only this host's own page may, even with the
  // token (a page elsewhere that learnt it, or a sandboxed frame's "null"). Programs send no Origin.
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, req.socket.localPort, hostnames)) return '403 Forbidden';
  if (!tokenMatches(url.searchParams.get('token') ?? '', token)) return '401 Unauthorized';
  return null;
}

function isOwnOrigin(origin: string, port: number | undefined, hostnames: string[]): boolean {
  return port !== undefined && hostnames.some((h) => origin === `http://${h}:${port}`);
}

export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveConnection(ws: WebSocket, dispatcher: Dispatcher): void {
  const subscriptions = new Map<number, () => void>();
  const send = (message: ServerMessage) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };

  ws.on('message', (data, isBinary) => {
    let raw: unknown;
    try {
      raw = JSON.parse(isBinary ? '' : data.toString());
    } catch {
      send({ type: 'protocol-error', message: 'messages must be JSON text' });
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      send({ type: 'protocol-error', message: `unreadable message: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'call':
        void dispatcher.call(message.name, message.input).then((envelope) => {
          send({ type: 'result', id: message.id, envelope });
        });
        break;
      case 'subscribe': {
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
          send({ type: 'subscription-error', id: message.id, error: { code: 'refused', message: `This connection holds ${MAX_SUBSCRIPTIONS} subscriptions already: end one first.` } });
          break;
        }
        const result = dispatcher.subscribe(message.name, message.params, {
          next: (payload) => send({ type: 'event', id: message.id, payload }),
          error: (error) => {
            subscriptions.delete(message.id);
            send({ type: 'subscription-error', id: message.id, error });
          },
        });
        if (result.ok) subscriptions.set(message.id, result.unsubscribe);
        else send({ type: 'subscription-error', id: message.id, error: result.error });
        break;
      }
      case 'unsubscribe':
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        break;
    }
  });

  // An oversized or invalid frame makes ws emit 'error'; unhandled, it would end the whole host.
  ws.on('error', () => ws.terminate());

  ws.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
