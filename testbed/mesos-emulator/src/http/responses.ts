// Responses shaped like libprocess's: header order and content types copy the recorded
// transcripts (read-only endpoints send Content-Length before Content-Type, /api/v1 the
// other way round; errors are text/plain; charset=utf-8).
import type http from 'node:http';
import { toJson, type JsonValue } from '../common/json';

export interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

export const TEXT_PLAIN = 'text/plain; charset=utf-8';
export const APPLICATION_JSON = 'application/json';

export function sendResponse(res: http.ServerResponse, r: HttpResponse): void {
  res.statusCode = r.status;
  // libprocess sends Date first; setting it ourselves keeps Node from appending another.
  if (!r.headers.some(([k]) => k.toLowerCase() === 'date')) res.setHeader('Date', new Date().toUTCString());
  for (const [k, v] of r.headers) res.setHeader(k, v);
  res.end(r.body);
}

/** Read-only endpoints (/master/state, /flags, /metrics/snapshot…): JSON, with `?jsonp=cb` support. */
export function jsonResponse(value: JsonValue, query?: URLSearchParams, status = 200): HttpResponse {
  const jsonp = query?.get('jsonp');
  const text = jsonp ? `${jsonp}(${toJson(value)});` : toJson(value);
  const body = Buffer.from(text, 'utf8');
  return {
    status,
    headers: [
      ['Content-Length', String(body.length)],
      ['Content-Type', jsonp ? 'text/javascript' : APPLICATION_JSON],
    ],
    body,
  };
}

/** The same, for a body that is already JSON bytes (e.g. /files/read's raw-byte strings). */
export function rawJsonResponse(body: Buffer): HttpResponse {
  return {
    status: 200,
    headers: [
      ['Content-Length', String(body.length)],
      ['Content-Type', APPLICATION_JSON],
    ],
    body,
  };
}

/** /api/v1 answers: Content-Type first, then Content-Length. */
export function apiResponse(value: JsonValue): HttpResponse {
  const body = Buffer.from(toJson(value), 'utf8');
  return {
    status: 200,
    headers: [
      ['Content-Type', APPLICATION_JSON],
      ['Content-Length', String(body.length)],
    ],
    body,
  };
}

export function textResponse(status: number, message: string, before: Array<[string, string]> = []): HttpResponse {
  const body = Buffer.from(message, 'utf8');
  return {
    status,
    headers: [...before, ['Content-Type', TEXT_PLAIN], ['Content-Length', String(body.length)]],
    body,
  };
}

export function emptyResponse(status: number, before: Array<[string, string]> = []): HttpResponse {
  return { status, headers: [...before, ['Content-Length', '0']], body: Buffer.alloc(0) };
}

export function redirectResponse(location: string): HttpResponse {
  return emptyResponse(307, [['Location', location]]);
}
