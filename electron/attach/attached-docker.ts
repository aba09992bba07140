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

export class AttachedDocker {
  private readonly statuses = new Map<string, DockerEndpointStatus>();
  private readonly tasks: Promise<unknown>[] = [];

  constructor(private readonly options: AttachedDockerOptions) {}

  /** Follows every named endpoint of these agents until the signal aborts; resolves then. */
  async follow(agents: readonly AttachedAgent[], onEvent: (e: DockerEvent) => void, signal: AbortSignal, since: number): Promise<void> {
    const byUrl = new Map<string, Array<AttachedAgent & { workDir?: string; problem?: string }>>();
    for (const agent of agents) {
      const url = endpointFor(this.options.endpoints, agent.hostname);
      if (!url) continue;
      const state = await new AgentClient(agent.address, { access: this.options.access, timeoutMs: 5000 }).state(signal).catch((err: Error) => err);
      const workDir = state instanceof Error ? undefined : state.flags?.work_dir;
      const problem = state instanceof Error ? `its /state did not answer (${state.message})` : workDir ? undefined : 'its /state names no --work_dir';
      byUrl.set(url, [...(byUrl.get(url) ?? []), { ...agent, workDir: workDir?.replace(/\/+$/, ''), problem }]);
    }
    for (const [url, list] of byUrl) {
      const agentsText = list.map((a) => `agent ${a.index} (${a.hostname})`).join(', ');
      const problems = list.filter((a) => a.problem).map((a) => `agent ${a.index}: ${a.problem}, so its containers cannot be told apart`);
      this.set(url, { url, agents: list.map((a) => a.index), state: 'connecting', message: `Connecting to ${url} for ${agentsText}.`, problems });
      let docker: Dockerode;
      try {
        docker = (this.options.docker ?? dockerForEndpoint)(url);
      } catch (err) {
        this.set(url, { ...this.statuses.get(url)!, state: 'unreachable', message: `Docker endpoint ${url} cannot be used: ${(err as Error).message}` });
        continue;
      }
      const claim = (sources: readonly string[]) =>
        list.find((a) => a.workDir && sources.some((s) => s === a.workDir || s.startsWith(`${a.workDir}/`)))?.index;
      const events = new ClusterDockerEvents(() => docker, { name: this.options.cluster }, claim);
      this.tasks.push(this.watch(url, docker, agentsText, signal), events.follow(onEvent, signal, { since, backoffMs: 1000 }));
    }
    await Promise.allSettled(this.tasks);
  }

  /** Every named endpoint this cluster's agents use, and whether its daemon answers. */
  status(): DockerEndpointStatus[] {
    return [...this.statuses.values()];
  }

  private async watch(url: string, docker: Dockerode, agentsText: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const error = await ping(docker, this.options.pingTimeoutMs ?? 5000);
      const current = this.statuses.get(url)!;
      this.set(
        url,
        error === undefined
          ? { ...current, state: 'following', message: `Following Docker events on ${url} for ${agentsText}.` }
          : { ...current, state: 'unreachable', message: `Docker endpoint ${url} (for ${agentsText}) does not answer: ${error}. The doctor has no Docker evidence from it.` },
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.checkEveryMs ?? 15_000);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  private set(url: string, status: DockerEndpointStatus): void {
    this.statuses.set(url, status);
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
