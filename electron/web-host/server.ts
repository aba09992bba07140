import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Dispatcher } from '../api/dispatcher';
import { contentSecurityPolicy } from '../shell/csp';
import { SESSION_PATH } from '@shared/api/wire';
import type { DownloadTickets } from './downloads';
import { attachWsApi, hostPart, tokenMatches } from './ws-api';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes. */
  token?: string;
  /** Serves the one-time download links that `logs.download` hands out. */
  downloads?: DownloadTickets;
  /**
   * Listen on a non-loopback address (the audience view, when the presenter asks for a LAN address):
   * its name is then accepted as Host and Origin as well as loopback's.
   */
  allowLan?: boolean;
  /** Told the number of open API sockets whenever it changes. */
  onConnections?: (count: number) => void;
}

export interface WebHost {
  /** The page to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The renderer and the API over HTTP + WebSocket, on loopback, for a browser or a test. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !options.allowLan) {
    throw new Error(`The web host listens on loopback only (127.0.0.1, ::1, localhost), not on ${host}.`);
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const serveStatic = sirv(options.rendererDir, { etag: true, single: false });
  const securityHeaders = {
    'Content-Security-Policy': contentSecurityPolicy("'self'"),
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page's URL: never send it elsewhere.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };

  const server: Server = createServer((req, res) => {
    try {
      serve(req, res);
    } catch {
      // A request target no URL parser takes (`http://[`): refused, never a crash of the host.
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request');
    }
  });
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    if (req.url === SESSION_PATH) {
      // Lets a page tell a token that no longer works (the host restarted) from a host that is away.
      res.statusCode = tokenMatches(req.headers.authorization?.replace(/^Bearer /, '') ?? '', token) ? 204 : 401;
      res.end();
      return;
    }
    if (options.downloads?.handle(req, res)) return;
    // The page itself (the built UI: the same for everyone, no data in it) loads without the token, so
    // that it can tell someone who lacks the token, or holds a stale one, what to do. Everything with
    // data in it (the API socket, downloads) needs the token.
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found');
    });
  };
  const wss = attachWsApi(server, options.dispatcher, token, { address: LOOPBACK.has(host) ? undefined : host, onConnections: options.onConnections });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port} on ${host} is already in use; choose another with --port.`)
          : err,
      );
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = hostPart(host);

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
