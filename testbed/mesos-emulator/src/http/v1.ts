// Transport rules of the v1 operator API (`POST /api/v1`, master and agent), docs/mesos/api.md §2.1,
// in the order Master::Http::api applies them: method (405), Content-Type (400/415),
// body parse (400), call validation (400 "Failed to validate master::Call: …"),
// then Accept negotiation (406). The leader redirect comes before all of these and is
// the master's business.
import type { JsonObject } from '../common/json';
import type { HttpRequest } from './router';
import { apiResponse, textResponse, type HttpResponse } from './responses';

export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';

export type V1Call = { type: string } & Record<string, unknown>;

export interface CallSpec {
  /** Field that must be present (e.g. GET_METRICS needs `get_metrics`). */
  param?: string;
  /** Required fields inside it, checked like protobuf's IsInitialized(): "read_file.offset". */
  required?: string[];
}

export interface V1Options {
  /** "master::Call" or "agent::Call" in validation errors. */
  callName: 'master::Call' | 'agent::Call' | 'scheduler::Call';
  calls: Readonly<Record<string, CallSpec>>;
  /** Every call type of the proto (known to protobuf parsing, even if the emulator does not serve it). */
  protoCalls: ReadonlySet<string>;
  onProcessing?: (type: string) => void;
  /** Whether Accept is negotiated for this call (default all; the scheduler API only for SUBSCRIBE, which answers with a body). */
  negotiates?: (type: string) => boolean;
}

/** Parses and validates a v1 call, or returns the error response real Mesos gives. */
export function parseV1Call(req: HttpRequest, opts: V1Options): V1Call | HttpResponse {
  if (req.method !== 'POST') {
    return textResponse(405, `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${req.method}'.`, [
      ['Allow', 'POST'],
    ]);
  }
  const contentType = req.headers['content-type'];
  if (contentType === undefined) return textResponse(400, "Expecting 'Content-Type' to be present");

  let body: unknown;
  if (contentType === APPLICATION_JSON) {
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch (e) {
      return textResponse(400, `Failed to parse body into JSON: ${(e as Error).message}`);
    }
  } else if (contentType === APPLICATION_PROTOBUF) {
    // The emulator speaks JSON only (see README); protobuf bodies cannot be decoded here.
    return textResponse(400, 'Failed to parse body into Call protobuf');
  } else {
    // Exact comparison, as Mesos does: "application/json; charset=utf-8" lands here (docs/mesos/api.md §0.5).
    return textResponse(415, `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}`);
  }

  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return textResponse(400, 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
  }
  const raw = body as Record<string, unknown>;

  // An unknown enum string is dropped by the JSON→protobuf conversion, so an unknown
  // call reads as a missing type (transcripts/http/api-bad-call.http).
  const type = typeof raw.type === 'string' && opts.protoCalls.has(raw.type) ? raw.type : undefined;
  if (type !== undefined) {
    const missing = missingRequired(raw, opts.calls[type]);
    if (missing.length > 0) {
      return textResponse(400, `Failed to convert JSON into Call protobuf: Missing required fields: ${missing.join(', ')}`);
    }
  }
  if (type === undefined) return textResponse(400, `Failed to validate ${opts.callName}: Expecting 'type' to be present`);
  const spec = opts.calls[type];
  if (spec?.param !== undefined && (raw[spec.param] === undefined || raw[spec.param] === null)) {
    return textResponse(400, `Failed to validate ${opts.callName}: Expecting '${spec.param}' to be present`);
  }

  opts.onProcessing?.(type);

  if ((opts.negotiates?.(type) ?? true) && !acceptsMediaType(req.headers.accept, APPLICATION_JSON)) {
    // Protobuf responses are not produced by the emulator, so only JSON counts as acceptable.
    return textResponse(406, `Expecting 'Accept' to allow '${APPLICATION_PROTOBUF}' or '${APPLICATION_JSON}'`);
  }
  return { ...raw, type } as V1Call;
}

function missingRequired(raw: Record<string, unknown>, spec: CallSpec | undefined): string[] {
  const param = spec?.param;
  if (param === undefined || !spec?.required) return [];
  const params = raw[param];
  if (params === undefined || params === null || typeof params !== 'object') return [];
  const out: string[] = [];
  for (const field of spec.required) {
    // Like InitializationErrorString: a missing message hides its own missing fields.
    if (out.some((m) => field.startsWith(`${m.slice(param.length + 1)}.`))) continue;
    let cur: unknown = params;
    for (const part of field.split('.')) {
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    }
    if (cur === undefined || cur === null) out.push(`${param}.${field}`);
  }
  return out;
}

/**
 * libprocess `Request::acceptsMediaType`: no Accept header accepts everything; otherwise
 * `type/subtype`, then `type/*`, then `*\/*`, the first match deciding by its q value.
 */
export function acceptsMediaType(accept: string | string[] | undefined, mediaType: string): boolean {
  if (accept === undefined) return true;
  const header = (Array.isArray(accept) ? accept.join(',') : accept).replace(/[ \t]/g, '');
  const [type] = mediaType.split('/');
  const ranges = header
    .split(',')
    .filter((s) => s !== '')
    .map((part) => {
      const [range = '', ...params] = part.split(';');
      let q = 1;
      for (const p of params) {
        const m = /^q=([0-9.]+)$/.exec(p);
        if (m) q = Number(m[1]);
      }
      return { range: range.toLowerCase(), q };
    });
  for (const candidate of [mediaType, `${type}/*`, '*/*']) {
    const hit = ranges.find((r) => r.range === candidate);
    if (hit) return hit.q > 0;
  }
  return false;
}

/** The field of a v1 call or response named after its type: GET_STATE -> get_state. */
export const callField = (type: string) => type.toLowerCase();

/** A synchronous v1 answer, `{"type": T, "<t>": body}`. */
export const v1Answer = (type: string, body: JsonObject) => apiResponse({ type, [callField(type)]: body });
