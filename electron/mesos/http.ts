import type http from 'node:http';
import { accessRequest, type HttpAccess } from './access';

/**
 * The HTTP the v1 APIs need (docs/mesos/api.md §2.1, §3.1): JSON POSTs with the exact media types Mesos compares
 * against (`application/json`, no parameters), each on its own connection (the scheduler API wants
 * calls on a connection other than the stream's), and the leader redirect: a standby answers 307 with
 * a protocol-relative `Location: //<leader>:<port>/master/api/v1/scheduler`, resolved against the URL
 * asked (§0.6).
 */

export const JSON_TYPE = 'application/json';
const MAX_REDIRECTS = 4;

export class MesosHttpError extends Error {
  override readonly name = 'MesosHttpError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`${url} answered ${status}${body ? `: ${body}` : ''}`);
  }
}

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Credentials and TLS of a cluster Mesoscope did not start. */
  access?: HttpAccess;
}

export interface Opened {
  /** The URL that answered (after redirects). */
  url: string;
  response: http.IncomingMessage;
  request: http.ClientRequest;
}

/** A request with `body` is a POST of JSON, without one a GET. */
function send(url: string, body: string | null, opts: PostOptions): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const payload = body === null ? undefined : Buffer.from(body, 'utf8');
    const request = accessRequest(
      target,
      {
        method: payload ? 'POST' : 'GET',
        agent: false,
        headers: {
          ...(payload ? { 'Content-Type': JSON_TYPE, 'Content-Length': String(payload.length) } : {}),
          Accept: JSON_TYPE,
          ...opts.headers,
        },
      },
      opts.access,
    );
    if (opts.timeoutMs) request.setTimeout(opts.timeoutMs, () => request.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs} ms`)));
    request.once('response', (response) => resolve({ request, response }));
    request.once('error', reject);
    request.end(payload);
  });
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (c: Buffer) => chunks.push(c));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

/**
 * POSTs `body` and resolves once a non-redirect answer's headers arrive, leaving its body unread (a
 * stream). Any status other than 200 is read and thrown as MesosHttpError.
 */
export async function openStream(url: string, body: string, opts: PostOptions = {}): Promise<Opened> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const { request, response } = await send(current, body, opts);
    const status = response.statusCode ?? 0;
    if (status === 200) {
      if (opts.timeoutMs) request.setTimeout(0);
      return { url: current, request, response };
    }
    const text = await readAll(response);
    const location = response.headers.location;
    if (status === 307 && location && hop < MAX_REDIRECTS) {
      current = new URL(location, current).toString();
      continue;
    }
    throw new MesosHttpError(status, text, current);
  }
}

export interface Answer {
  /** The URL that answered (after redirects, when followed). */
  url: string;
  status: number;
  /** The Location header of a redirect that was not followed. */
  location?: string;
  body: string;
}

async function request(url: string, body: string | null, opts: PostOptions & { follow?: boolean }): Promise<Answer> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const { response } = await send(current, body, opts);
    const text = await readAll(response);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status === 307 && location && opts.follow !== false && hop < MAX_REDIRECTS) {
      current = new URL(location, current).toString();
      continue;
    }
    return { url: current, status, location, body: text };
  }
}

/** POSTs `body` and reads the whole answer; redirects are followed. */
export function post(url: string, body: string, opts: PostOptions = {}): Promise<Answer> {
  return request(url, body, opts);
}

/**
 * GETs `url` and reads the whole answer; redirects are followed unless `follow: false`. Used instead of
 * fetch() for every Mesos endpoint: fetch refuses the "bad ports" of the Fetch standard, and 5060/5061
 * (SIP) are where the 10th and 11th agents of a cluster listen.
 */
export function get(url: string, opts: PostOptions & { follow?: boolean } = {}): Promise<Answer> {
  return request(url, null, opts);
}
