import zookeeper from 'node-zookeeper-client';
import {
  GetStateResponseSchema,
  MasterStateSchema,
  MetricsSnapshotSchema,
  parseOperatorEvent,
  type GetState,
  type MasterState,
  type OperatorEvent,
} from '@shared/dashboard/operator';
import type { Master } from '@shared/dashboard/view';
import { MasterInfoSchema, type MasterInfo } from '@shared/mesos/v1';
import { accessRequest, type HttpAccess } from './access';
import { JSON_TYPE, MesosHttpError, openStream, post } from './http';
import { RecordIODecoder } from './recordio';
import { backoffDelay, HeartbeatWatchdog } from './stream-keepalive';

/**
 * node-zookeeper-client throws, from its socket's data handler, when a reply carries an error code it
 * does not know: nothing can catch that, and it ended the app (a ZooKeeper restarted under a cluster's
 * stop and start, e2e clusters.spec). Such a code becomes SYSTEM_ERROR, which the call's callback gets.
 */
const zkException = zookeeper.Exception as unknown as { create: (code: number, path?: string) => Error };
const ZK_CODES = new Set(Object.values(zookeeper.Exception).filter((v): v is number => typeof v === 'number'));
const createZkException = zkException.create;
zkException.create = (code, path) => createZkException(ZK_CODES.has(code) ? code : zookeeper.Exception.SYSTEM_ERROR, path);

/**
 * A read-only client of a Mesos cluster's masters (docs/mesos/api.md §1, §2, §6): finds the leader (ZooKeeper's
 * lowest `json.info_` member, else `/master/redirect` on each known master), asks it GET_STATE,
 * `/master/state` (the only place with offers, §0.13) and `/metrics/snapshot`, and follows the operator
 * SUBSCRIBE stream. The stream is watched: nothing for `missedHeartbeats` intervals means it is broken
 * (§2.3); it is then reopened with backoff, on the leader found anew, and its SUBSCRIBED (a GET_STATE
 * taken with the stream) is marked `resync`: the consumer replaces its state with it, so nothing that
 * happened while disconnected is missed or counted twice. Malformed records are reported as
 * `problem` items; nothing is thrown into the void.
 */

export interface MasterClientOptions {
  /** Base URLs of the masters (`http://127.0.0.1:5050`); any one will do. */
  masters: readonly string[];
  /** `zk://host:port[,host:port]/path`: leader detection through ZooKeeper first (§6). */
  zk?: string;
  /** Per request (default 5 s). */
  requestTimeoutMs?: number;
  /** Waits between reconnection attempts; the last one repeats. */
  backoffMs?: readonly number[];
  /** Heartbeat intervals without a byte before the stream counts as broken (default 5, §2.3). */
  missedHeartbeats?: number;
  /** Time allowed for a ZooKeeper answer (default 3 s) before falling back to /master/redirect. */
  zkTimeoutMs?: number;
  /**
   * A master's URL as the cluster names it (in redirects and ZooKeeper) → one this machine reaches. On a
   * bridge network masters name each other by container hostname, which only resolves inside it.
   */
  reachable?: (url: string) => string;
  /** Credentials and TLS of a cluster Mesoscope did not start (none for its own). */
  access?: HttpAccess;
}

export interface Leader {
  /** Base URL of the elected master. */
  url: string;
  /** Every master known (configured or in the ZooKeeper group), the leader marked. */
  masters: Master[];
}

export type StreamItem =
  | { kind: 'subscribed'; leader: Leader; state: GetState; heartbeatIntervalSeconds: number; resync: boolean }
  | { kind: 'event'; event: OperatorEvent }
  | { kind: 'heartbeat' }
  /** A record that is not JSON, or not an event we can read: reported and skipped. */
  | { kind: 'problem'; error: string }
  | { kind: 'disconnected'; reason: string; retryInMs: number };

const MAX_REDIRECTS = 4;

const baseOf = (url: string) => new URL(url).origin;

export class MasterClient {
  private leader: Leader | null = null;

  constructor(private readonly options: MasterClientOptions) {
    if (options.masters.length === 0 && !options.zk) throw new Error('MasterClient needs master URLs or a ZooKeeper URL');
  }

  /** The leader found last (null before the first discovery). */
  get lastLeader(): Leader | null {
    return this.leader;
  }

  // ---- leader discovery (§6, §1.7) ----

  async discoverLeader(signal?: AbortSignal): Promise<Leader> {
    let zkError: unknown;
    if (this.options.zk) {
      try {
        return (this.leader = await this.fromZooKeeper(this.options.zk));
      } catch (err) {
        zkError = err;
      }
    }
    try {
      return (this.leader = await this.fromRedirect(signal));
    } catch (err) {
      const why = zkError ? `; ZooKeeper: ${(zkError as Error).message}` : '';
      throw new Error(`no leading master found: ${(err as Error).message}${why}`, { cause: err });
    }
  }

  private async fromZooKeeper(zkUrl: string): Promise<Leader> {
    const url = new URL(zkUrl.replace(/^zk:/, 'http:'));
    const connect = zkUrl.replace(/^zk:\/\//, '').split('/')[0]!;
    const path = url.pathname || '/mesos';
    const timeoutMs = this.options.zkTimeoutMs ?? 3000;
    const client = zookeeper.createClient(connect, { sessionTimeout: Math.max(timeoutMs, 2000), spinDelay: 100, retries: 0 });
    try {
      const infos = await withTimeout(`ZooKeeper at ${connect}`, timeoutMs, async () => {
        await new Promise<void>((resolve) => {
          client.once('connected', () => resolve());
          client.connect();
        });
        const children = await new Promise<string[]>((resolve, reject) => client.getChildren(path, (err, c) => (err ? reject(err) : resolve(c))));
        // The leader is the member with the lowest sequence; other children (log_replicas) are skipped.
        const members = children
          .map((name) => ({ name, seq: /^json\.info_(\d+)$/.exec(name)?.[1] }))
          .filter((m): m is { name: string; seq: string } => m.seq !== undefined)
          .sort((a, b) => Number(a.seq) - Number(b.seq));
        const out: MasterInfo[] = [];
        for (const m of members) {
          const data = await new Promise<Buffer>((resolve, reject) => client.getData(`${path}/${m.name}`, (err, d) => (err ? reject(err) : resolve(d))));
          const parsed = MasterInfoSchema.safeParse(JSON.parse(data.toString('utf8')));
          if (parsed.success) out.push(parsed.data);
        }
        return out;
      });
      if (infos.length === 0) throw new Error(`no master in ${path}`);
      const urls = infos.map((i) => this.reach(masterInfoUrl(i, this.zkScheme)));
      const masters = mergeMasters(this.options.masters, urls[0]!, infos, (u) => this.reach(u), this.zkScheme);
      return { url: urls[0]!, masters };
    } finally {
      client.close();
    }
  }

  private async fromRedirect(signal?: AbortSignal): Promise<Leader> {
    const failures: string[] = [];
    for (const m of this.options.masters) {
      try {
        const answer = await request('GET', `${baseOf(m)}/master/redirect`, { timeoutMs: this.timeout, signal, follow: false, access: this.options.access });
        // 307 to `//<leader>:<port>` (§1.7); 503 "No leader elected".
        if (answer.status === 307 && answer.location) {
          const url = this.reach(baseOf(new URL(answer.location, m).toString()));
          return { url, masters: mergeMasters(this.options.masters, url, []) };
        }
        failures.push(`${m}: ${answer.status} ${answer.body}`.trim());
      } catch (err) {
        if (signal?.aborted) throw err;
        failures.push(`${m}: ${(err as Error).message}`);
      }
    }
    throw new Error(failures.join('; ') || 'no master configured');
  }

  /**
   * ZooKeeper's MasterInfo names no scheme: masters of a connection that trusts a TLS certificate (a CA or
   * a pin) are reached over https, with Mesos' SSL on the same port; others over http.
   */
  private get zkScheme(): 'http' | 'https' {
    return this.options.access?.tls ? 'https' : 'http';
  }

  private reach(url: string): string {
    return this.options.reachable ? baseOf(this.options.reachable(url)) : url;
  }

  private get timeout(): number {
    return this.options.requestTimeoutMs ?? 5000;
  }

  private async leaderUrl(signal?: AbortSignal): Promise<string> {
    return (this.leader ?? (await this.discoverLeader(signal))).url;
  }

  // ---- calls ----

  /** v1 GET_STATE on the leader (a standby's 307 is followed). */
  async getState(signal?: AbortSignal): Promise<GetState> {
    const url = `${await this.leaderUrl(signal)}/api/v1`;
    const answer = await abortable(signal, post(url, JSON.stringify({ type: 'GET_STATE' }), { timeoutMs: this.timeout, access: this.options.access }));
    if (answer.status !== 200) throw new MesosHttpError(answer.status, answer.body, answer.url);
    return GetStateResponseSchema.parse(JSON.parse(answer.body)).get_state;
  }

  /** `/master/state` of the leader: offers, agents as it lists them, leader_info (§1.2). */
  async masterState(signal?: AbortSignal): Promise<MasterState> {
    return MasterStateSchema.parse(await this.getJson('/master/state', signal));
  }

  /** `/metrics/snapshot` of the leader: any master answers it (no redirect), so ask the leader itself (§1.7). */
  async metrics(signal?: AbortSignal): Promise<Record<string, number>> {
    return MetricsSnapshotSchema.parse(await this.getJson('/metrics/snapshot', signal));
  }

  private async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const url = `${await this.leaderUrl(signal)}${path}`;
    const answer = await request('GET', url, { timeoutMs: this.timeout, signal, follow: true, access: this.options.access });
    if (answer.status !== 200) throw new MesosHttpError(answer.status, answer.body, answer.url);
    return JSON.parse(answer.body);
  }

  // ---- the operator stream (§2.3) ----

  /**
   * Follows the operator event stream until `signal` aborts, reconnecting with backoff. Every
   * (re)connection starts with a `subscribed` item holding the state to start from.
   */
  async *subscribe(signal: AbortSignal): AsyncGenerator<StreamItem> {
    let failures = 0;
    let subscribedBefore = false;
    while (!signal.aborted) {
      let reason: string;
      try {
        // A broken stream may mean a new leader: look again each time.
        const leader = await this.discoverLeader(signal);
        for await (const item of this.stream(leader, signal, subscribedBefore)) {
          if (item.kind === 'subscribed') {
            subscribedBefore = true;
            failures = 0;
          }
          yield item;
        }
        reason = 'the master ended the stream';
      } catch (err) {
        reason = (err as Error).message;
      }
      if (signal.aborted) return;
      const retryInMs = backoffDelay(this.options.backoffMs, failures);
      failures += 1;
      yield { kind: 'disconnected', reason, retryInMs };
      await sleep(retryInMs, signal);
    }
  }

  private async *stream(leader: Leader, signal: AbortSignal, resync: boolean): AsyncGenerator<StreamItem> {
    const pending = openStream(`${leader.url}/api/v1`, JSON.stringify({ type: 'SUBSCRIBE' }), { timeoutMs: this.timeout, access: this.options.access });
    pending.then((o) => signal.aborted && o.request.destroy(), () => undefined);
    const opened = await abortable(signal, pending);
    const { request: req, response } = opened;
    // A 307 was followed: the leader is whoever answered.
    const answered = this.reach(baseOf(opened.url));
    const current: Leader = answered === leader.url ? leader : { url: answered, masters: mergeMasters(this.options.masters, answered, []) };
    this.leader = current;
    const watchdog = new HeartbeatWatchdog((reason) => response.destroy(new Error(reason)), this.options.missedHeartbeats);
    const arm = (seconds: number) => watchdog.arm(seconds);
    const onAbort = () => req.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    let interval = 15;
    arm(interval);
    const decoder = new RecordIODecoder();
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        arm(interval);
        // A framing error cannot be resynchronised inside the stream: it throws, and we reconnect.
        for (const record of decoder.push(chunk)) {
          let json: unknown;
          try {
            json = JSON.parse(record.toString('utf8'));
          } catch (err) {
            yield { kind: 'problem', error: `unparsable operator event: ${(err as Error).message}` };
            continue;
          }
          const parsed = parseOperatorEvent(json);
          if (!parsed.ok) {
            yield { kind: 'problem', error: parsed.error };
            continue;
          }
          const event = parsed.event;
          if (event.type === 'SUBSCRIBED' && !('unknown' in event)) {
            interval = event.subscribed.heartbeat_interval_seconds ?? 15;
            arm(interval);
            yield { kind: 'subscribed', leader: current, state: event.subscribed.get_state, heartbeatIntervalSeconds: interval, resync };
          } else if (event.type === 'HEARTBEAT') {
            yield { kind: 'heartbeat' };
          } else {
            yield { kind: 'event', event };
          }
        }
      }
      decoder.end();
    } finally {
      watchdog.stop();
      signal.removeEventListener('abort', onAbort);
      req.destroy();
    }
  }
}

/** `address.ip`/`address.port` first; the packed `ip` is a last resort (§6, transcripts/ha). */
/** A master's base URL from its MasterInfo, which names no scheme: the caller says whether it speaks TLS. */
export function masterInfoUrl(info: MasterInfo, scheme: 'http' | 'https' = 'http'): string {
  const host = info.address?.ip ?? info.address?.hostname ?? (info.ip !== undefined ? unpackIp(info.ip) : info.hostname);
  return `${scheme}://${host}:${info.address?.port ?? info.port}`;
}

const unpackIp = (ip: number) => [ip & 255, (ip >>> 8) & 255, (ip >>> 16) & 255, ip >>> 24].join('.');

function mergeMasters(configured: readonly string[], leaderUrl: string, infos: MasterInfo[], reach: (url: string) => string = (u) => u, scheme: 'http' | 'https' = 'http'): Master[] {
  const byUrl = new Map<string, Master>();
  for (const m of configured) byUrl.set(baseOf(m), { url: baseOf(m), leader: false });
  for (const info of infos) {
    const url = reach(masterInfoUrl(info, scheme));
    byUrl.set(url, { url, id: info.id, hostname: info.hostname ?? info.address?.hostname, version: info.version, leader: false });
  }
  if (!byUrl.has(leaderUrl)) byUrl.set(leaderUrl, { url: leaderUrl, leader: false });
  return [...byUrl.values()].map((m) => ({ ...m, leader: m.url === leaderUrl }));
}

interface Answer {
  url: string;
  status: number;
  body: string;
  location?: string;
}

/** A GET with the exact `Accept: application/json` (§0.5), its own connection, 307s followed on request. */
function request(method: 'GET', url: string, opts: { timeoutMs: number; signal?: AbortSignal; follow: boolean; access?: HttpAccess }): Promise<Answer> {
  const once = (target: string) =>
    new Promise<Answer>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new Error('aborted'));
      const req = accessRequest(target, { method, agent: false, headers: { Accept: JSON_TYPE }, signal: opts.signal }, opts.access);
      req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`no answer from ${target} within ${opts.timeoutMs} ms`)));
      req.once('error', reject);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => resolve({ url: target, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
      });
      req.end();
    });
  return (async () => {
    let current = url;
    for (let hop = 0; ; hop++) {
      const answer = await once(current);
      if (!opts.follow || answer.status !== 307 || !answer.location || hop >= MAX_REDIRECTS) return answer;
      current = new URL(answer.location, current).toString();
    }
  })();
}

async function withTimeout<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([fn(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects as soon as `signal` aborts; a late result of `p` is dropped (its own timeout bounds it). */
function abortable<T>(signal: AbortSignal | undefined, p: Promise<T>): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
