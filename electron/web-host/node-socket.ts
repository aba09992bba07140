import WebSocket from 'ws';
import type { SocketHandlers, SocketLike } from '@shared/api/ws-transport';

/** The WebSocket transport's socket on Node (the `ws` package), for tests and command-line clients. */
export function nodeSocket(url: string, handlers: SocketHandlers): SocketLike {
  const ws = new WebSocket(url);
  ws.on('open', handlers.open);
  ws.on('close', handlers.close);
  ws.on('error', () => {
    /* 'close' follows */
  });
  ws.on('message', (data) => handlers.message(data.toString()));
  return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (data) => ws.send(data), close: () => ws.close() };
}
