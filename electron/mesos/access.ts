import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * How requests reach a cluster's masters and agents when Mesoscope did not start it: HTTP
 * authentication (Mesos' `--authenticate_http_readonly` / `_readwrite`, docs/mesos/api.md §10) and TLS
 * with a custom CA or one pinned certificate. A launched cluster needs none of it (`undefined`).
 */
export interface HttpAccess {
  /** `Authorization` and the like, sent with every request. */
  headers?: Record<string, string>;
  tls?: {
    /** PEM of the CA (or CAs) that signed the masters' and agents' certificates. */
    ca?: string;
    /**
     * SHA-256 fingerprint of the one certificate trusted ("AB:CD:…", case and colons ignored). The
     * chain and host name are not checked then: the pin is the whole identity.
     */
    fingerprint256?: string;
  };
}

/** The certificate did not match what the connection trusts (the pin, or the CA). */
export class TlsMismatchError extends Error {
  override readonly name = 'TlsMismatchError';
  readonly code = 'ERR_MESOSCOPE_TLS_PIN';
}

export const normaliseFingerprint = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();

/** Node's TLS verification errors (and ours): a certificate that the connection does not trust. */
export function isTlsError(err: unknown): boolean {
  if (err instanceof TlsMismatchError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME|ALTNAME/.test(code) || /certificate|self[- ]signed|SSL routines/i.test(String((err as Error | undefined)?.message));
}

/** What to spread into http(s).request's options for this access. */
function tlsOptions(access: HttpAccess | undefined): https.RequestOptions {
  const tls = access?.tls;
  if (!tls) return {};
  if (tls.fingerprint256) return { rejectUnauthorized: false, ...(tls.ca ? { ca: tls.ca } : {}) };
  return tls.ca ? { ca: tls.ca } : {};
}

/**
 * http.request or https.request by the URL's scheme, with the access's headers and TLS; a pinned
 * fingerprint is checked as soon as the TLS handshake ends, before any byte of the request is sent.
 */
export function accessRequest(
  url: string | URL,
  options: http.RequestOptions,
  access: HttpAccess | undefined,
  onResponse?: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const target = typeof url === 'string' ? new URL(url) : url;
  const secure = target.protocol === 'https:';
  const merged: https.RequestOptions = {
    ...options,
    headers: { ...options.headers, ...access?.headers },
    ...(secure ? tlsOptions(access) : {}),
  };
  const req = secure ? https.request(target, merged, onResponse) : http.request(target, merged, onResponse);
  const pin = secure ? access?.tls?.fingerprint256 : undefined;
  if (pin) {
    req.once('socket', (socket) => {
      const check = () => {
        const seen = (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256 ?? '';
        if (normaliseFingerprint(seen) !== normaliseFingerprint(pin))
          req.destroy(new TlsMismatchError(`${target.host} presented the certificate ${seen || '(none)'}, not the one trusted (${pin})`));
      };
      if ((socket as TLSSocket).encrypted && !(socket as TLSSocket).connecting) check();
      else socket.once('secureConnect', check);
    });
  }
  return req;
}

/** The `Authorization` header for basic credentials or a bearer token. */
export function authorizationHeader(auth: { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' }): Record<string, string> {
  if (auth.kind === 'basic') return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
  if (auth.kind === 'bearer') return { Authorization: `Bearer ${auth.token}` };
  return {};
}
