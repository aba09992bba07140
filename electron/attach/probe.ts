import tls from 'node:tls';
import type { AttachFailure } from '@shared/attach/connection';
import { ApiError } from '@shared/errors';
import { isTlsError, type HttpAccess } from '../mesos/access';
import { get, post } from '../mesos/http';
import { MasterClient } from '../mesos/master-client';

/**
 * Checks a connection before anything is saved: each master URL answers as Mesos does (`/version`,
 * which Mesos never authenticates), a leader is found, and the credentials open both realms the
 * dashboard needs (docs/mesos/api.md §10): the operator API (`mesos-master-readwrite`: the event
 * stream) and `/metrics/snapshot` (`mesos-master-readonly`, like `/master/state`). Every failure is an
 * ApiError 'refused' whose detail says which of: unauthorized, unreachable, not-mesos, tls, no-leader.
 */

export interface ProbeTarget {
  /** http(s) base URLs (may be empty with zk). */
  masters: string[];
  zk?: string;
  access?: HttpAccess;
  authKind: 'none' | 'basic' | 'bearer';
  timeoutMs?: number;
}

export interface ProbeResult {
  leader: string;
  version: string;
}

export function attachError(message: string, failure: AttachFailure): ApiError {
  return new ApiError('refused', message, failure);
}

export async function probeConnection(target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = target.timeoutMs ?? 8000;
  let version = '';
  for (const url of target.masters) version = await mesosVersionAt(url, target.access, timeoutMs);
  const client = new MasterClient({ masters: target.masters, zk: target.zk, access: target.access, requestTimeoutMs: timeoutMs, zkTimeoutMs: timeoutMs });
  let leader: string;
  try {
    leader = (await client.discoverLeader()).url;
  } catch (err) {
    const where = target.zk ?? target.masters.join(', ');
    throw attachError(`No leading master found through ${where}: ${(err as Error).message}`, { reason: target.zk ? 'unreachable' : 'no-leader', url: where });
  }
  if (target.masters.length === 0) version = await mesosVersionAt(leader, target.access, timeoutMs);
  await expectAuthorized(leader, 'POST /api/v1 (the operator API)', () => post(`${leader}/api/v1`, JSON.stringify({ type: 'GET_VERSION' }), { timeoutMs, access: target.access }), target.authKind);
  await expectAuthorized(leader, 'GET /metrics/snapshot', () => get(`${leader}/metrics/snapshot`, { timeoutMs, access: target.access }), target.authKind);
  return { leader, version };
}

/** `/version` of one master: its Mesos version, or why it is not a Mesos master this machine can talk to. */
async function mesosVersionAt(url: string, access: HttpAccess | undefined, timeoutMs: number): Promise<string> {
  let answer;
  try {
    answer = await get(`${url}/version`, { timeoutMs, access, follow: false });
  } catch (err) {
    if (isTlsError(err)) {
      const presented = await presentedFingerprint(url, timeoutMs).catch(() => undefined);
      const pin = access?.tls?.fingerprint256;
      const why = pin
        ? `it presented ${presented ?? 'another certificate'}, not the pinned ${pin}`
        : `${(err as Error).message}${presented ? `; it presented the certificate ${presented}` : ''}`;
      throw attachError(`TLS mismatch at ${url}: the certificate is not one this connection trusts (${why}). Give the CA file that signed it, or trust this certificate.`, {
        reason: 'tls',
        url,
        fingerprint256: presented,
      });
    }
    throw attachError(`${url} cannot be reached: ${describeNetworkError(err)}.`, { reason: 'unreachable', url });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = undefined;
  }
  const version = (parsed as { version?: unknown } | undefined)?.version;
  if (answer.status !== 200 || typeof version !== 'string' || !('build_date' in (parsed as object) || 'build_time' in (parsed as object))) {
    const got = answer.status === 200 ? `${answer.body.slice(0, 80).replace(/\s+/g, ' ')}${answer.body.length > 80 ? '…' : ''}` : `HTTP ${answer.status}`;
    throw attachError(`${url} is not a Mesos master: its /version answered ${got}, not Mesos' version object.`, { reason: 'not-mesos', url });
  }
  return version;
}

async function expectAuthorized(leader: string, what: string, ask: () => Promise<{ status: number; body: string }>, authKind: ProbeTarget['authKind']): Promise<void> {
  let answer;
  try {
    answer = await ask();
  } catch (err) {
    throw attachError(`${leader} stopped answering (${what}): ${describeNetworkError(err)}.`, { reason: 'unreachable', url: leader });
  }
  if (answer.status === 401) {
    const advice =
      authKind === 'none'
        ? 'This cluster requires HTTP authentication: give a user name and password (a principal and secret of its --credentials) or a token.'
        : authKind === 'basic'
          ? 'The user name or password is wrong: the master does not find this principal and secret in its --credentials.'
          : 'The master does not accept this token (with the default basic authenticator, only a user name and password work).';
    throw attachError(`401 Unauthorized: ${leader} refused the credentials for ${what}. ${advice}`, { reason: 'unauthorized', url: leader });
  }
  if (answer.status === 403) {
    throw attachError(`403 Forbidden: ${leader} knows these credentials but its ACLs do not let this principal use ${what}.`, { reason: 'unauthorized', url: leader });
  }
  // A just-elected leader answers 503 "Master has not finished recovery" until its registry is read: no leader yet, in effect.
  if (answer.status === 503) {
    throw attachError(`${leader} leads but is still recovering (${what} answered 503: ${answer.body.slice(0, 120)}): try again in a moment.`, { reason: 'no-leader', url: leader });
  }
  if (answer.status !== 200) throw attachError(`${leader} answered ${what} with HTTP ${answer.status}: ${answer.body.slice(0, 200)}`, { reason: 'not-mesos', url: leader });
}

function describeNetworkError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message;
  if (code === 'ECONNREFUSED') return `connection refused (nothing listens there)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${message})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `no route to the host (${message})`;
  return message;
}

/** The SHA-256 fingerprint of the certificate an https server presents (to pin it on purpose). */
export function presentedFingerprint(url: string, timeoutMs: number): Promise<string | undefined> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: u.hostname, port: Number(u.port || 443), servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname, rejectUnauthorized: false }, () => {
      const fp = socket.getPeerCertificate()?.fingerprint256;
      socket.destroy();
      resolve(fp || undefined);
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
  });
}
