import type Dockerode from 'dockerode';
import { type DockerEndpointEntry, endpointFor } from '@shared/attach/docker-endpoint';
import type { DockerEndpointStatus } from '@shared/attach/connection';
import type { DockerEvent } from '@shared/doctor/evidence';
import type { HttpAccess } from '../mesos/access';
import type { LogCluster } from '../logs/log-service';
import { AgentClient } from '../mesos/agent-client';
import { ClusterDockerEvents } from '../recorder/docker-events';
import { dockerForEndpoint } from './docker-client';

/**
 * The Docker events of an attached cluster's task containers, from the Docker endpoints the user named
 * for its agents. Each endpoint's daemon is followed once; a `mesos-<ContainerID>` container there is
 * the agent's whose --work_dir (from its /state flags) holds the container's sandbox bind mount — the
 * same claim as for a launched cluster, with the work dirs read from Mesos instead of our layout. An
 * endpoint that does not answer is said so in words (status()), and tried again while followed.
 */

export interface AttachedAgent {
  index: number;
  /** The agent's hostname as Mesos reports it (what endpoints are named by). */
  hostname: string;
  /** Its HTTP address, for /state. */
  address: string;
}

/** The running agents of an attached cluster's nodes (attached-nodes.ts), by the hostname they registered with. */
export function attachedAgents(cluster: LogCluster): AttachedAgent[] {
  return cluster.nodes
    .filter((n) => n.role === 'agent' && n.state === 'running' && n.address)
    .map((n) => ({ index: n.index, hostname: new URL(n.address!).hostname.replace(/^\[(.*)\]$/, '$1'), address: n.address! }));
}

export interface AttachedDockerOptions {
  cluster: string;
  endpoints: readonly DockerEndpointEntry[];
  access?: HttpAccess;
  docker?: (url: string) => Dockerode;
  /** Each endpoint is pinged this often while followed (default 15 s), with this timeout (default 5 s). */
  checkEveryMs?: number;
  pingTimeoutMs?: number;
}

interface Group {
  docker: Dockerode;
  events: ClusterDockerEvents;
  agents: Array<AttachedAgent & { workDir?: string; problem?: string }>;
}

export class AttachedDocker {
  private readonly statuses = new Map<string, DockerEndpointStatus>();
  private readonly groups = new Map<string, Group>();
  private readonly tasks: Promise<unknown>[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly options: AttachedDockerOptions) {}

  /**
   * Follows every named endpoint of the cluster's agents until the signal aborts; resolves then. The
   * agents are asked again at each check, so one that registers later is followed too.
   */
  async follow(agents: () => Promise<readonly AttachedAgent[]>, onEvent: (e: DockerEvent) => void, signal: AbortSignal, since: number): Promise<void> {
    while (!signal.aborted) {
      await this.addAgents(await agents().catch(() => []), onEvent, signal, since);
      await Promise.all([...this.groups].map(([url, group]) => this.check(url, group)));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.checkEveryMs ?? 15_000);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
    await Promise.allSettled(this.tasks);
  }

  /** Every named endpoint this cluster's agents use, and whether its daemon answers. */
  status(): DockerEndpointStatus[] {
    return [...this.statuses.values()];
  }

  private async addAgents(agents: readonly AttachedAgent[], onEvent: (e: DockerEvent) => void, signal: AbortSignal, since: number): Promise<void> {
    for (const agent of agents) {
      const url = endpointFor(this.options.endpoints, agent.hostname);
      const key = `${agent.index}@${agent.address}`;
      if (!url || this.seen.has(key) || signal.aborted) continue;
      const state = await new AgentClient(agent.address, { access: this.options.access, timeoutMs: 5000 }).state(signal).catch((err: Error) => err);
      const workDir = state instanceof Error ? undefined : state.flags?.work_dir?.replace(/\/+$/, '');
      // Asked again at the next check: an agent that did not answer may yet.
      if (state instanceof Error) continue;
      this.seen.add(key);
      const problem = workDir ? undefined : 'its /state names no --work_dir';
      let group = this.groups.get(url);
      if (!group) {
        let docker: Dockerode;
        try {
          docker = (this.options.docker ?? dockerForEndpoint)(url);
        } catch (err) {
          this.statuses.set(url, { url, agents: [agent.index], state: 'unreachable', message: `Docker endpoint ${url} cannot be used: ${(err as Error).message}`, problems: [] });
          continue;
        }
        const list: Group['agents'] = [];
        const claim = (sources: readonly string[]) => list.find((a) => a.workDir && sources.some((s) => s === a.workDir || s.startsWith(`${a.workDir}/`)))?.index;
        group = { docker, agents: list, events: new ClusterDockerEvents(() => docker, { name: this.options.cluster }, claim) };
        this.groups.set(url, group);
        this.tasks.push(group.events.follow(onEvent, signal, { since, backoffMs: 1000 }));
      }
      const at = group.agents.findIndex((a) => a.index === agent.index);
      if (at >= 0) group.agents.splice(at, 1);
      group.agents.push({ ...agent, workDir, problem });
      group.agents.sort((a, b) => a.index - b.index);
      group.events.reclaim();
    }
  }

  private async check(url: string, group: Group): Promise<void> {
    const error = await ping(group.docker, this.options.pingTimeoutMs ?? 5000);
    const agentsText = group.agents.map((a) => `agent ${a.index} (${a.hostname})`).join(', ');
    const base = {
      url,
      agents: group.agents.map((a) => a.index),
      problems: group.agents.filter((a) => a.problem).map((a) => `agent ${a.index}: ${a.problem}, so its containers cannot be told apart`),
    };
    this.statuses.set(
      url,
      error === undefined
        ? { ...base, state: 'following', message: `Following Docker events on ${url} for ${agentsText}.` }
        : { ...base, state: 'unreachable', message: `Docker endpoint ${url} (for ${agentsText}) does not answer: ${error}. The doctor has no Docker evidence from it.` },
    );
  }
}

/** undefined when the daemon answers; else why not, in words. */
async function ping(docker: Dockerode, timeoutMs: number): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs / 1000} s`), timeoutMs)));
  try {
    return await Promise.race([docker.ping().then(() => undefined, (err: Error) => err.message || String(err)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
