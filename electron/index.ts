import Dockerode from 'dockerode';
import type { ClusterSpecInput } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import { connectionInfo } from '@shared/cluster/connection';
import { ClusterEngine, SpecError } from './engine/cluster-engine';
import { PortInUse } from './engine/port-allocation';
import { PreflightError } from './engine/preflight';
import type { DestroyReport } from './engine/destroy';
import { dockerOptions, resolveDockerEndpoint } from './docker/endpoint';
import { defaultWorkRoot } from './engine/work-root';

export type { ClusterSpecInput } from '@shared/cluster/spec';
export type { ClusterSummary } from '@shared/cluster/status';
export type { DestroyReport } from './engine/destroy';

export interface RunningCluster {
  name: string;
  /** host:port of the first master (it redirects to the leader). */
  master: string;
  /** zk://host:port/mesos, for MESOS_MASTER. */
  zk: string;
  summary: ClusterSummary;
  /** Remove everything the cluster made; resolves with what was removed. */
  destroy(): Promise<DestroyReport>;
}

export interface StartOptions {
  /** Docker endpoint; defaults to DOCKER_HOST, else the default socket. */
  dockerHost?: string;
  /** Where agents' work dirs go (same path on host and in the container). */
  workRoot?: string;
  readyTimeoutMs?: number;
}

/**
 * For test code: launch a cluster and resolve when every node is ready (ZooKeeper answers, a master
 * leads, every agent is registered). Always `destroy()` it, e.g. in afterAll.
 *
 *   const cluster = await startCluster({ name: 'it', agents: { count: 2 } });
 *   // … point a framework at cluster.zk …
 *   await cluster.destroy();
 */
export async function startCluster(spec: ClusterSpecInput, options: StartOptions = {}): Promise<RunningCluster> {
  const endpoint = resolveDockerEndpoint(options.dockerHost ?? null);
  const docker = new Dockerode(dockerOptions(endpoint.url));
  const engine = new ClusterEngine({
    docker: () => docker,
    workRoot: options.workRoot ?? defaultWorkRoot(),
    readyTimeoutMs: options.readyTimeoutMs,
  });
  let summary: ClusterSummary;
  try {
    summary = await engine.create(spec);
  } catch (err) {
    // A launch that got as far as creating containers must not leave them behind in a test run.
    if (!(err instanceof SpecError || err instanceof PreflightError || err instanceof PortInUse) && typeof spec.name === 'string') {
      await engine.destroy(spec.name).catch(() => undefined);
    }
    throw err;
  }
  const info = connectionInfo(summary);
  return { name: summary.name, master: info.master, zk: info.zk, summary, destroy: () => engine.destroy(summary.name) };
}
