import Dockerode from 'dockerode';
import type { ClusterSpecInput } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import { connectionInfo } from '@shared/cluster/connection';
import { ClusterEngine, SpecError } from './engine/cluster-engine';
import { PortInUse } from './engine/port-allocation';
import { PreflightError } from './engine/preflight';
import type { DestroyReport } from './engine/destroy';
import { dockerOptionsFor, resolveDockerEndpoint } from './docker/endpoint';
import { sessionFor } from './engine/session-reaper';

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
  /** Docker endpoint; by default found as the docker CLI finds it (DOCKER_HOST, the current context, …). */
  dockerHost?: string;
  /** Where agents' work dirs go: a posix path on the Docker host (same path there and in the agent). */
  workRoot?: string;
  readyTimeoutMs?: number;
  /**
   * The reaper removes this process's clusters after it ends, even by kill -9 (engine/reaper.ts):
   * false turns it off; `image` (an image with perl; default the agent image), `graceMs` (default 10 s).
   */
  reaper?: false | { image?: string; graceMs?: number };
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
  const docker = new Dockerode(dockerOptionsFor(endpoint));
  // Before anything is created: the reaper holds this process's session.
  const { workRoot, labels } = await sessionFor(docker, spec, { endpointUrl: endpoint.url, workRoot: options.workRoot, reaper: options.reaper });
  const engine = new ClusterEngine({ docker: () => docker, workRoot, labels, readyTimeoutMs: options.readyTimeoutMs });
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
