import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type Dockerode from 'dockerode';
import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterSpec } from '@shared/cluster/spec';
import { clusterFilter, LABEL } from './naming';
import { get } from '../mesos/http';
import { mesosContainerIdOf } from '@shared/tasks';

export interface DestroyReport {
  cluster: string;
  containers: number;
  taskContainers: number;
  volumes: number;
  networks: number;
  workDirs: string[];
  /** What could not be removed; empty when the cluster is gone without a trace. */
  leftovers: string[];
}

/**
 * Removes every container, network and volume a cluster made, the task containers its agents started,
 * and the agents' work dirs. Task containers are found through the agents' container ids (their
 * sandboxes and, while running, their /containers), never by the `mesos-` prefix alone: other
 * clusters' and other tools' Mesos tasks share that prefix.
 */
export async function destroyCluster(
  docker: Dockerode,
  name: string,
  described: { spec: ClusterSpec; layout: ClusterLayout } | null,
): Promise<DestroyReport> {
  const report: DestroyReport = { cluster: name, containers: 0, taskContainers: 0, volumes: 0, networks: 0, workDirs: [], leftovers: [] };
  const agents = described?.layout.agents ?? [];

  // Before the agents stop: ask them which containers they run.
  const ids = new Set<string>();
  await Promise.all(agents.map(async (a) => (await containerIdsFromAgent(described?.layout.hostAddress ?? '127.0.0.1', a.port)).forEach((id) => ids.add(id))));

  // Each removal is tried on its own: one failure is reported, not a reason to stop. The record
  // containers go last, so that whatever could not be removed can still be found and destroyed.
  const attempt = async (what: string, remove: () => Promise<unknown>): Promise<boolean> => {
    try {
      await remove();
      return true;
    } catch (err) {
      report.leftovers.push(`${what} (${((err as Error).message ?? String(err)).split('\n')[0]})`);
      return false;
    }
  };

  const all = await docker.listContainers({ all: true, filters: clusterFilter(name) });
  const records = all.filter((c) => c.Labels[LABEL.record] !== undefined);
  const nodes = all.filter((c) => c.Labels[LABEL.record] === undefined);
  await Promise.all(
    nodes.map(async (c) => {
      if (await attempt(`container ${c.Names[0] ?? c.Id}`, () => docker.getContainer(c.Id).remove({ force: true, v: true }))) report.containers += 1;
    }),
  );

  for (const agent of agents) for (const id of await containerIdsFromSandboxes(agent.workDir)) ids.add(id);
  report.taskContainers = await removeTaskContainers(docker, ids);

  for (const network of await docker.listNetworks({ filters: clusterFilter(name) })) {
    if (await attempt(`network ${network.Name}`, () => docker.getNetwork(network.Id).remove())) report.networks += 1;
  }
  const { Volumes } = await docker.listVolumes({ filters: clusterFilter(name) });
  for (const volume of Volumes ?? []) {
    if (await attempt(`volume ${volume.Name}`, () => docker.getVolume(volume.Name).remove())) report.volumes += 1;
  }

  // Agents' work dirs are <workRoot>/<cluster>/agent-<n>: the cluster's folder goes as a whole.
  const firstWorkDir = described?.layout.agents[0]?.workDir;
  // The path comes from labels: remove it only if it has the shape the engine gives work dirs.
  if (described && firstWorkDir && isAgentWorkDir(firstWorkDir, name)) {
    const clusterDir = dirname(firstWorkDir);
    if (await exists(clusterDir)) {
      await attempt(`work dir ${clusterDir}`, () => removeRootOwnedDir(docker, clusterDir, described.spec.images.agent));
      report.workDirs.push(clusterDir);
      if (await exists(clusterDir)) report.leftovers.push(`work dir ${clusterDir}`);
    }
  }

  if (report.leftovers.length === 0) {
    for (const c of records) {
      if (await attempt(`container ${c.Names[0] ?? c.Id}`, () => docker.getContainer(c.Id).remove({ force: true }))) report.containers += 1;
    }
  }
  return report;
}

/**
 * One agent taken out of a running cluster: its container, the task containers it started, and its
 * work dir (so a later agent with the same index starts clean).
 */
export async function removeAgentNode(
  docker: Dockerode,
  hostAddress: string,
  slot: { port: number; workDir: string },
  containerName: string,
  image: string,
): Promise<void> {
  const ids = new Set(await containerIdsFromAgent(hostAddress, slot.port));
  await docker.getContainer(containerName).remove({ force: true, v: true }).catch(() => undefined);
  for (const id of await containerIdsFromSandboxes(slot.workDir)) ids.add(id);
  await removeTaskContainers(docker, ids);
  if (isAgentWorkDir(slot.workDir) && (await exists(slot.workDir))) await removeRootOwnedDir(docker, slot.workDir, image);
}

/** `<absolute root>/<cluster>/agent-<n>`, as allocateLayout makes them. */
function isAgentWorkDir(path: string, cluster?: string): boolean {
  const match = /^(\/.+)\/([a-z0-9-]+)\/agent-\d+$/.exec(path);
  return match !== null && !path.split('/').includes('..') && (cluster === undefined || match[2] === cluster);
}

/** Removes the `mesos-<ContainerID>` containers of these ContainerIDs; returns how many. */
async function removeTaskContainers(docker: Dockerode, ids: Set<string>): Promise<number> {
  if (ids.size === 0) return 0;
  let removed = 0;
  for (const task of await docker.listContainers({ all: true, filters: { name: ['^/mesos-'] } })) {
    const id = mesosContainerIdOf(task.Names[0] ?? '');
    if (id === undefined || !ids.has(id)) continue;
    await docker.getContainer(task.Id).remove({ force: true, v: true }).catch(() => undefined);
    removed += 1;
  }
  return removed;
}

/** ContainerIDs a running agent reports (`GET /containers`); nothing when it does not answer. */
async function containerIdsFromAgent(host: string, port: number): Promise<string[]> {
  try {
    const res = await get(`http://${host}:${port}/containers`, { timeoutMs: 1500 });
    if (res.status !== 200) return [];
    const containers = JSON.parse(res.body) as { container_id?: string }[];
    return containers.flatMap((c) => (c.container_id ? [c.container_id] : []));
  } catch {
    return [];
  }
}

/** ContainerIDs named by the sandbox runs in a work dir: slaves/*\/frameworks/*\/executors/*\/runs/<id> (docs/mesos/api.md §5.3). */
export async function containerIdsFromSandboxes(workDir: string): Promise<string[]> {
  const ids: string[] = [];
  const list = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== 'latest');
  for (const agent of await list(join(workDir, 'slaves'))) {
    for (const fw of await list(join(workDir, 'slaves', agent, 'frameworks'))) {
      for (const executor of await list(join(workDir, 'slaves', agent, 'frameworks', fw, 'executors'))) {
        ids.push(...(await list(join(workDir, 'slaves', agent, 'frameworks', fw, 'executors', executor, 'runs'))));
      }
    }
  }
  return ids;
}

/**
 * Agents run as root and write root-owned sandboxes, which the app's user may not delete: remove the
 * folder from a short-lived container of an image the cluster already has.
 */
export async function removeRootOwnedDir(docker: Dockerode, dir: string, image: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
    return;
  } catch {
    // Not ours to delete: fall through to the container.
  }
  const parent = dirname(dir);
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['rm'],
    Cmd: ['-rf', `/parent/${dir.slice(parent.length + 1)}`],
    Labels: { [LABEL.cluster]: 'cleanup' },
    HostConfig: { Binds: [`${parent}:/parent`], NetworkMode: 'none' },
  });
  try {
    await container.start();
    await container.wait();
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
