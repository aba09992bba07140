import { connect } from 'node:net';
import { get } from '../mesos/http';

/**
 * Readiness probes, checked rather than assumed (as testcontainers' wait strategies): each answers
 * quickly whether the node is ready now; `waitFor` polls one until it is, or the time is up.
 */

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

export class ReadinessTimeout extends Error {
  override readonly name = 'ReadinessTimeout';
}

/** Polls `probe` until it returns a value (not undefined). */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  let lastError = '';
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      throw new ReadinessTimeout(`${what} not within ${Math.round(options.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** ZooKeeper's four-letter word: `ruok` answered with `imok`. */
export function zookeeperOk(host: string, port: number, timeoutMs = 1000): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok ? true : undefined);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => socket.end('ruok'));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => done(answer === 'imok'));
    socket.on('error', () => done(false));
  });
}

/**
 * The leader a master knows of, as `host:port`: `/master/redirect` answers 307 to the leader
 * (itself when leading) and 503 while none is elected.
 */
export async function leaderSeenBy(host: string, port: number, timeoutMs = 1000): Promise<string | undefined> {
  const res = await get(`http://${host}:${port}/master/redirect`, { timeoutMs, follow: false });
  if (res.status !== 307) return undefined;
  // Protocol-relative: //<leader hostname>:<port> (docs/mesos/api.md §0.6)
  const location = res.location ?? '';
  return location.replace(/^(https?:)?\/\//, '').replace(/\/.*$/, '') || undefined;
}

/**
 * The agent's id once the leading master lists it as active under the hostname and port it advertises
 * (MESOS_HOSTNAME, --port). Not its pid: on a bridge network that holds the container's IP.
 */
export async function agentRegisteredAt(leader: string, agentHostname: string, agentPort: number, timeoutMs = 1000): Promise<string | undefined> {
  const res = await get(`http://${leader}/master/slaves`, { timeoutMs, follow: false });
  if (res.status !== 200) return undefined;
  const body = JSON.parse(res.body) as { slaves?: { id: string; hostname: string; port: number; active?: boolean }[] };
  const agent = body.slaves?.find((s) => s.hostname === agentHostname && s.port === agentPort && s.active !== false);
  return agent?.id;
}

/**
 * The leader a master knows of (`leaderSeenBy`), once that leader says it is elected (`master/elected`
 * in its metrics). After a whole-cluster restart, ZooKeeper still holds the stopped leader's entry until
 * its session expires (up to 10 s), and a master redirects to that stale leader, often at its own address:
 * the redirect alone would call a master ready before any election.
 */
export async function electedLeaderSeenBy(host: string, port: number, timeoutMs = 2000): Promise<string | undefined> {
  const seen = await leaderSeenBy(host, port, timeoutMs);
  if (!seen) return undefined;
  const res = await get(`http://${host}:${seen.split(':').at(-1)}/metrics/snapshot`, { timeoutMs, follow: false });
  if (res.status !== 200) return undefined;
  return (JSON.parse(res.body) as Record<string, number>)['master/elected'] === 1 ? seen : undefined;
}
