import { posix } from 'node:path';
import type Dockerode from 'dockerode';
import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterSpec } from '@shared/cluster/spec';
import { clusterFilter, LABEL } from './naming';
import { get } from '../mesos/http';
import { mesosContainerIdOf } from '@shared/tasks';
import { removeHostDir } from './host-dirs';

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

  // Agents' work dirs are <workRoot>/<cluster>/agent-<n> on the Docker host: the cluster's folder goes
  // as a whole, through a helper container, after its sandboxes named the task containers. The paths
  // come from labels: only those with the shape the engine gives work dirs are touched.
  // A task container still running can write into its sandbox while the folder goes: what is left then
  // goes in a second pass, once the task containers its sandboxes named are gone.
  const clusterDirs = new Set(agents.map((a) => a.workDir).filter((dir) => isAgentWorkDir(dir, name)).map((dir) => posix.dirname(dir)));
  const removeDirs = async (dirs: Iterable<string>, final: boolean): Promise<string[]> => {
    const left: string[] = [];
    for (const clusterDir of dirs) {
      try {
        const removed = await removeHostDir(docker, described?.spec.images.agent ?? '', clusterDir);
        removed.runs.forEach((id) => ids.add(id));
        if (removed.existed && !report.workDirs.includes(clusterDir)) report.workDirs.push(clusterDir);
        if (removed.left) left.push(clusterDir);
      } catch (err) {
        if (final) report.leftovers.push(`work dir ${clusterDir} (${((err as Error).message ?? String(err)).split('\n')[0]})`);
        else left.push(clusterDir);
      }
    }
    return left;
  };
  const leftBehind = await removeDirs(described ? clusterDirs : [], false);
  report.taskContainers = await removeTaskContainers(docker, ids);
  for (const dir of await removeDirs(leftBehind, true)) report.leftovers.push(`work dir ${dir}`);

  for (const network of await docker.listNetworks({ filters: clusterFilter(name) })) {
    if (await attempt(`network ${network.Name}`, () => docker.getNetwork(network.Id).remove())) report.networks += 1;
  }
  const { Volumes } = await docker.listVolumes({ filters: clusterFilter(name) });
  for (const volume of Volumes ?? []) {
    if (await attempt(`volume ${volume.Name}`, () => docker.getVolume(volume.Name).remove())) report.volumes += 1;
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
  if (!isAgentWorkDir(slot.workDir)) return void (await removeTaskContainers(docker, ids));
  const first = await removeHostDir(docker, image, slot.workDir);
  first.runs.forEach((id) => ids.add(id));
  await removeTaskContainers(docker, ids);
  // A task container still running could write into its sandbox while the folder went: once more.
  if (first.left) await removeHostDir(docker, image, slot.workDir);
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

/**
 * Agents run as root and write root-owned folders, which may be on another machine (Docker Desktop's
 * VM): remove one through a helper container of an image the cluster already has.
 */
export async function removeRootOwnedDir(docker: Dockerode, dir: string, image: string): Promise<void> {
  const removed = await removeHostDir(docker, image, dir);
  if (removed.left) throw new Error(`${dir} could not be removed on the Docker host`);
}
