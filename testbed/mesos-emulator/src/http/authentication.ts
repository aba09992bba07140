// HTTP basic authentication as Mesos' `basic` HTTP authenticator does it (observed on Mesos 1.12,
// docs/mesos/api.md §10): with --authenticate_http_readonly, the read-only endpoints (state, flags,
// metrics, /files) answer 401 to a request without valid credentials; with
// --authenticate_http_readwrite, so does the operator API (`api/v1`, every call, GET_STATE included).
// The 401 carries `WWW-Authenticate: Basic realm="mesos-<role>-readonly|readwrite"` and the body
// "401 Unauthorized.". /health, /version and /redirect are never authenticated. The scheduler API
// (`/api/v1/scheduler`) is, with --authenticate_http_frameworks (and --http_framework_authenticators=basic,
// without which the master exits), in the realm "mesos-master-scheduler"; a SUBSCRIBE whose
// FrameworkInfo names another principal than the authenticated one is a 400 (scheduler-api.ts).
// Credentials come from a JSON file {"credentials":[{"principal","secret"}]} or "principal secret" lines.
import fs from 'node:fs';
import { TEXT_PLAIN, type HttpResponse } from './responses';

export type Realm = 'readonly' | 'readwrite' | 'scheduler';

export interface HttpAuthentication {
  /** The realm a request to `processId`/`endpoint` needs, or null when it is open. */
  realmOf(processId: string, endpoint: string): Realm | null;
  /** Whether the realm is switched on by its flag. */
  enabled(realm: Realm): boolean;
  credentials: Map<string, string>;
  /** `mesos-master` or `mesos-agent`: the prefix of the realm's name. */
  role: 'mesos-master' | 'mesos-agent';
}

/** Reads a credentials file the way mesos::internal::credentials::read does (JSON, else text lines). */
export function readCredentials(path: string): Map<string, string> {
  const text = fs.readFileSync(path.replace(/^file:\/\//, ''), 'utf8');
  const out = new Map<string, string>();
  try {
    const json = JSON.parse(text) as { credentials?: Array<{ principal?: unknown; secret?: unknown }> };
    for (const c of json.credentials ?? []) if (typeof c.principal === 'string' && typeof c.secret === 'string') out.set(c.principal, c.secret);
    return out;
  } catch {
    for (const line of text.split('\n')) {
      const [principal, secret] = line.trim().split(/\s+/);
      if (principal && secret) out.set(principal, secret);
    }
    return out;
  }
}

/** The principal of a `Basic` Authorization header (not checked: challenge() did that). */
export function basicPrincipal(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** The 401 libprocess answers, or undefined when the request may pass. */
export function challenge(auth: HttpAuthentication, processId: string, endpoint: string, authorization: string | undefined): HttpResponse | undefined {
  const realm = auth.realmOf(processId, endpoint);
  if (!realm || !auth.enabled(realm)) return undefined;
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0 && auth.credentials.get(decoded.slice(0, colon)) === decoded.slice(colon + 1)) return undefined;
  }
  const body = Buffer.from('401 Unauthorized.', 'utf8');
  return {
    status: 401,
    headers: [
      ['WWW-Authenticate', `Basic realm="${auth.role}-${realm}"`],
      ['Content-Type', TEXT_PLAIN],
      ['Content-Length', String(body.length)],
    ],
    body,
  };
}
