import type Dockerode from 'dockerode';
import type { ClusterLayout } from '@shared/cluster/layout';
import { type DockerEvent, NodeRoleSchema } from '@shared/doctor/evidence';
import { mesosContainerIdOf } from '@shared/tasks';
import { LABEL } from '../engine/naming';

/**
 * The Docker events of one cluster, as the doctor's evidence: its node containers (by the Mesoscope
 * labels Docker copies into every event) and the task containers its agents start. Task containers
 * carry no label of ours (the docker containerizer makes them: `mesos-<ContainerID>`), so one is
 * claimed by where its sandbox lives: a bind mount inside one of the cluster's agent work dirs (the
 * same path on host and agent, docs/mesos/api.md §7.4). Never by the `mesos-` prefix alone: other clusters'
 * tasks share it. The stream reconnects with backoff and resumes where it stopped (`since`).
 */

/** Actions worth keeping; exec_*, attach, resize, top, archive and the like are noise here. */
const KEPT = new Set(['create', 'start', 'die', 'oom', 'kill', 'stop', 'pause', 'unpause', 'restart', 'destroy', 'rename', 'update', 'health_status']);

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export interface ClusterRef {
  name: string;
  /** Absent for clusters we did not launch: then a TaskClaim decides. */
  layout?: ClusterLayout;
}

type Claim = { agentIndex: number } | null;

/**
 * Which agent's task container this is, from its mounts' sources (undefined: not this cluster's). Given
 * for clusters without a layout of ours (attached ones: by each agent's --work_dir); without it the
 * layout's agent work dirs decide.
 */
export type TaskClaim = (mountSources: readonly string[]) => number | undefined;

export class ClusterDockerEvents {
  /** Task containers already looked at: which agent's, or null when not this cluster's. */
  private readonly claims = new Map<string, Claim>();
  private lastNano = 0;
  /** Events passed on lately, by id, action and time: a reconnection replays the last second. */
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly docker: () => Dockerode,
    private cluster: ClusterRef,
    private readonly claimTask?: TaskClaim,
  ) {}

  /** The cluster's layout changed (an agent added or removed): claim task containers by the new one. */
  setLayout(layout: ClusterLayout): void {
    this.cluster = { ...this.cluster, layout };
    this.reclaim();
  }

  /** Agents changed (a TaskClaim knows more now): task containers not claimed so far are looked at again. */
  reclaim(): void {
    for (const [id, claim] of this.claims) if (claim === null) this.claims.delete(id);
  }

  /** Follows the events until the signal aborts; each of the cluster's events goes to onEvent, in order. */
  async follow(onEvent: (e: DockerEvent) => void, signal: AbortSignal, options: { since?: number; backoffMs?: number } = {}): Promise<void> {
    let delay = options.backoffMs ?? 250;
    let since = options.since !== undefined ? options.since / 1000 : Date.now() / 1000;
    while (!signal.aborted) {
      try {
        await this.round(onEvent, signal, since);
        delay = options.backoffMs ?? 250;
      } catch {
        // Docker away or the stream broke: try again below.
      }
      if (signal.aborted) return;
      // Resume where we stopped; an event seen twice is dropped by its timeNano.
      if (this.lastNano > 0) since = Math.floor(this.lastNano / 1e9);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }

  private async round(onEvent: (e: DockerEvent) => void, signal: AbortSignal, since: number): Promise<void> {
    const stream = (await this.docker().getEvents({ since: Math.floor(since), filters: { type: ['container'] }, abortSignal: signal } as never)) as unknown as NodeJS.ReadableStream;
    let rest = '';
    // Events are classified one at a time, in order: a task container's inspect must not let a later event overtake it.
    let queue = Promise.resolve();
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => {
        rest += chunk.toString('utf8');
        let nl = rest.indexOf('\n');
        while (nl >= 0) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          nl = rest.indexOf('\n');
          if (!line) continue;
          let raw: RawEvent;
          try {
            raw = JSON.parse(line) as RawEvent;
          } catch {
            continue;
          }
          queue = queue.then(async () => {
            const event = await this.classify(raw);
            if (event && !signal.aborted) onEvent(event);
          });
        }
      });
      stream.on('end', () => void queue.then(() => resolve()));
      stream.on('error', reject);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** The event as evidence, or null when it is not about this cluster (or not worth keeping). */
  async classify(raw: RawEvent): Promise<DockerEvent | null> {
    const action = (raw.Action ?? raw.status ?? '').split(':')[0]!.trim();
    if ((raw.Type ?? 'container') !== 'container' || !KEPT.has(action)) return null;
    const nano = raw.timeNano ?? (raw.time ?? 0) * 1e9;
    const attrs = raw.Actor?.Attributes ?? {};
    const dockerId = raw.Actor?.ID ?? raw.id ?? '';
    const key = `${dockerId}:${action}:${nano}`;
    if (this.recent.has(key) || (nano > 0 && nano < this.lastNano - 5e9)) return null;
    const name = (attrs.name ?? '').replace(/^\//, '');
    const at = nano > 0 ? nano / 1e6 : Date.now();
    const base = { at, action, container: name, dockerId, ...(attrs.image ? { image: attrs.image } : {}), ...details(action, attrs) };

    let event: DockerEvent | null = null;
    if (attrs[LABEL.cluster] === this.cluster.name && attrs[LABEL.record] === undefined) {
      const role = NodeRoleSchema.safeParse(attrs[LABEL.role]);
      const index = Number(attrs[LABEL.index]);
      if (role.success && Number.isInteger(index) && index >= 1) event = { ...base, role: role.data, node: { role: role.data, index } };
    } else {
      const mesosContainerId = mesosContainerIdOf(name);
      const claim = mesosContainerId ? await this.claim(dockerId, action) : null;
      if (mesosContainerId && claim) event = { ...base, role: 'task', mesosContainerId, agentIndex: claim.agentIndex };
    }
    if (!event) return null;
    if (nano > 0) {
      this.lastNano = Math.max(this.lastNano, nano);
      this.recent.set(key, nano);
      for (const [k, n] of this.recent) if (n < this.lastNano - 5e9) this.recent.delete(k);
    }
    // Docker's die event has the exit code; whether the kernel's OOM killer did it is in the container's state.
    if (action === 'die' && event.oomKilled === undefined) {
      const oom = await this.inspect(dockerId).then((i) => i?.State?.OOMKilled);
      if (oom !== undefined) event.oomKilled = oom;
    }
    if (action === 'destroy') this.claims.delete(dockerId);
    return event;
  }

  /** Whether a `mesos-<uuid>` container is this cluster's: its sandbox bind lies in one of our agents' work dirs. */
  private async claim(dockerId: string, action: string): Promise<Claim> {
    if (this.claims.has(dockerId)) return this.claims.get(dockerId)!;
    // Gone already: it cannot be inspected, and one never seen before was not ours to follow.
    if (action === 'destroy') return null;
    const info = await this.inspect(dockerId);
    const sources = (info?.Mounts ?? []).map((m) => m.Source ?? '');
    const index = this.claimTask ? this.claimTask(sources) : this.layoutClaim(sources);
    const claim = index !== undefined ? { agentIndex: index } : null;
    if (info) this.claims.set(dockerId, claim);
    return claim;
  }

  private layoutClaim(sources: readonly string[]): number | undefined {
    const agent = this.cluster.layout?.agents.find((a) => sources.some((s) => s === a.workDir || s.startsWith(`${a.workDir}/`)));
    return agent?.index ?? this.newAgentIndex(sources);
  }

  /**
   * An agent added after the layout was read (Add agent, a fault's own agent) starts tasks at once:
   * its work dir is `<work root>/<cluster>/agent-<n>` like its siblings' (electron/engine/port-allocation.ts).
   */
  private newAgentIndex(sources: readonly string[]): number | undefined {
    const sibling = this.cluster.layout?.agents[0]?.workDir;
    const clusterDir = sibling?.slice(0, sibling.lastIndexOf('/'));
    if (!clusterDir) return undefined;
    for (const source of sources) {
      if (!source.startsWith(`${clusterDir}/agent-`)) continue;
      const index = Number(/^(\d+)(?:\/|$)/.exec(source.slice(clusterDir.length + '/agent-'.length))?.[1]);
      if (Number.isInteger(index) && index >= 1) return index;
    }
    return undefined;
  }

  private async inspect(dockerId: string): Promise<{ Mounts?: Array<{ Source?: string }>; State?: { OOMKilled?: boolean } } | null> {
    try {
      return (await this.docker().getContainer(dockerId).inspect()) as never;
    } catch {
      return null;
    }
  }
}

function details(action: string, attrs: Record<string, string>): Partial<DockerEvent> {
  const out: Partial<DockerEvent> = {};
  if (action === 'die' && attrs.exitCode !== undefined && /^-?\d+$/.test(attrs.exitCode)) out.exitCode = Number(attrs.exitCode);
  if (action === 'kill' && attrs.signal) out.signal = attrs.signal;
  // An `oom` event says it outright.
  if (action === 'oom') out.oomKilled = true;
  return out;
}
