// libprocess-style HTTP routing. A URL's first segment names a process ("master",
// "slave(1)", "version", "metrics", "files"); any other path goes to the delegate
// process, so `/state` is `/master/state` on a master (docs/mesos/api.md §1.1). Within a process,
// the longest registered endpoint prefix wins, as in ProcessBase::visit(HttpEvent):
// `/master/redirect/x` reaches the `redirect` handler.
import type http from 'node:http';
import { challenge, type HttpAuthentication } from './authentication';
import { emptyResponse, sendResponse, textResponse, type HttpResponse } from './responses';

export interface HttpRequest {
  method: string;
  /** Path after delegation: "/master/state" for a request to "/state". */
  path: string;
  /** Path plus query string, as libprocess's `stringify(request.url)`. */
  url: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Peer "ip:port". */
  remote: string;
  raw: http.IncomingMessage;
  res: http.ServerResponse;
}

/** Returned by a handler that wrote (or keeps writing) the response itself. */
export const STREAMED = Symbol('streamed');

export type Handler = (req: HttpRequest) => HttpResponse | typeof STREAMED | Promise<HttpResponse | typeof STREAMED>;

const MAX_BODY = 16 * 1024 * 1024;

export class Router {
  private readonly processes = new Map<string, Map<string, Handler>>();
  private authentication: HttpAuthentication | undefined;

  constructor(private readonly delegate: string) {}

  /** `endpoint` has no leading slash: add('master', 'state', h) serves /master/state. */
  add(processId: string, endpoint: string, handler: Handler): void {
    let routes = this.processes.get(processId);
    if (!routes) {
      routes = new Map();
      this.processes.set(processId, routes);
    }
    routes.set(endpoint, handler);
  }

  /** Asks for credentials on the endpoints of the realms switched on (authentication.ts). */
  authenticate(authentication: HttpAuthentication): void {
    this.authentication = authentication;
  }

  readonly listener = (raw: http.IncomingMessage, res: http.ServerResponse): void => {
    void this.dispatch(raw, res).catch((err: unknown) => {
      if (!res.headersSent) sendResponse(res, textResponse(500, String((err as Error)?.message ?? err)));
      else res.destroy();
    });
  };

  private async dispatch(raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const parsed = new URL(raw.url ?? '/', 'http://emulator');
    const segments = parsed.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => safeDecode(s));

    let processId = segments[0] ?? '';
    let rest = segments.slice(1);
    if (!this.processes.has(processId)) {
      processId = this.delegate;
      rest = segments;
    }
    const path = '/' + [processId, ...rest].join('/') + (parsed.pathname.endsWith('/') && rest.length > 0 ? '/' : '');
    const routes = this.processes.get(processId);

    let handler: Handler | undefined;
    let endpoint = '';
    for (let n = rest.length; n >= 0 && !handler; n--) {
      endpoint = rest.slice(0, n).join('/');
      handler = routes?.get(endpoint);
    }

    const body = await readBody(raw);
    if (body === undefined) {
      sendResponse(res, textResponse(413, 'Request body too large'));
      return;
    }
    if (!handler) {
      sendResponse(res, emptyResponse(404, [['Content-Type', 'text/plain; charset=utf-8']]));
      return;
    }
    const refused = this.authentication && challenge(this.authentication, processId, endpoint, raw.headers.authorization);
    if (refused) {
      sendResponse(res, refused);
      return;
    }
    const req: HttpRequest = {
      method: raw.method ?? 'GET',
      path,
      url: path + parsed.search,
      query: parsed.searchParams,
      headers: raw.headers,
      body,
      remote: `${raw.socket.remoteAddress ?? ''}:${raw.socket.remotePort ?? 0}`.replace(/^::ffff:/, ''),
      raw,
      res,
    };
    const result = await handler(req);
    if (result !== STREAMED) sendResponse(res, result);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function readBody(raw: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    raw.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}
