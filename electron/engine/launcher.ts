import type Dockerode from 'dockerode';
import type { ClusterLayout } from '@shared/cluster/layout';
import type { ClusterSpec } from '@shared/cluster/spec';
import type { LaunchProgress } from '@shared/cluster/status';
import { lastLogLines } from './container-logs';
import { ensureImage, type PullProgress } from './images';
import { LABEL, networkName, recordName } from './naming';
import { type NodeContainer, nodeContainers } from './node-containers';
import { agentRegisteredAt, electedLeaderSeenBy, leaderSeenBy, waitFor, zookeeperOk } from './readiness';
import { daemonSocket } from '../docker/daemon-socket';

export interface BringUpOptions {
  docker: Dockerode;
  spec: ClusterSpec;
  layout: ClusterLayout;
  onProgress?: (progress: LaunchProgress) => void;
  pullTimeoutMs?: number;
  /** How long each node may take to become ready once started. */
  readyTimeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** The endpoint's URL: a unix socket's path is one candidate for the daemon's own socket. */
  endpointUrl?: string;
  /** Extra labels on everything the launch creates (the reaper's session). */
  labels?: Record<string, string>;
}

/** What readiness verified, per role. */
const READY_DETAIL = {
  zookeeper: 'answers ruok with imok',
  master: 'sees an elected leader',
  agent: 'registered with the leader',
} as const;

/** A node that did not come up: its name, the cause, and the last lines it logged. */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    message: string,
    readonly node: string | null,
    readonly logLines: string[] = [],
  ) {
    super(logLines.length ? `${message}\nLast log lines of ${node}:\n  ${logLines.join('\n  ')}` : message);
  }
}

/**
 * Mesos workaround: a real agent with the Docker containerizer lists every `mesos-` container at start
 * and then inspects each; one removed in between (a task container of another cluster on the same
 * daemon, being torn down) fails its recovery and the agent exits ("Failed to perform recovery: …"
 * naming the docker command). Started again, it lists afresh. Seen with clusters launched while others
 * were destroyed (bench:up in CI).
 */
const DOCKER_RECOVERY_RACE = /Failed to perform recovery:.*docker/;
/** How many times a node that lost that race is started again. */
const RECOVERY_RESTARTS = 2;

/** The error of a node that exited because its Docker recovery lost the race above. */
export function isDockerRecoveryRace(err: unknown): boolean {
  // A LaunchError's message holds the node's last log lines, the failure line kept among them (lastLogLines).
  return err instanceof Error && DOCKER_RECOVERY_RACE.test(err.message);
}

/**
 * Brings a cluster up: images, then ZooKeeper, then the masters (in parallel) until one leads, then
 * the agents (in parallel) until each is registered. Whatever exists already is kept, so the same
 * plan resumes a half-made cluster. Returns the leading master's address.
 */
export async function bringUp(options: BringUpOptions): Promise<{ leader: string }> {
  const { docker, spec, layout } = options;
  const started = Date.now();
  const emit = (node: string | null, step: LaunchProgress['step'], detail: string, pull?: PullProgress) =>
    options.onProgress?.({ cluster: spec.name, node, step, detail, pull, elapsedMs: Date.now() - started });
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const wait = { timeoutMs: readyTimeoutMs, intervalMs: options.pollMs ?? 50, signal: options.signal };
  const host = layout.hostAddress;

  await ensureImages(docker, spec, nodeContainers(spec, layout), emit, options.pullTimeoutMs);
  options.signal?.throwIfAborted();
  // Asked of the daemon through helper containers of the agent image, which is present now.
  const socket = await daemonSocket(docker, options.endpointUrl, spec.images.agent);
  const nodes = nodeContainers(spec, layout, { dockerSocket: socket.path, labels: options.labels });
  await ensureNetworkAndVolumes(docker, spec, layout, nodes, options.labels);
  await writeRecord(docker, spec, layout, options.labels);

  const bring = async (node: NodeContainer, what: string, probe: () => Promise<unknown>) => {
    for (let restarts = 0; ; restarts += 1) {
      options.signal?.throwIfAborted();
      const container = await createAndStart(docker, node, emit);
      emit(node.name, 'waiting', what);
      try {
        await untilReadyOrExited(docker, container, node.name, () => waitFor(probe, `${node.name}: ${what}`, wait));
        break;
      } catch (err) {
        if (restarts < RECOVERY_RESTARTS && isDockerRecoveryRace(err)) {
          emit(node.name, 'starting', 'its Docker recovery failed: a container vanished while it looked (another cluster on this daemon); starting it again');
          continue;
        }
        emit(node.name, 'failed', (err as Error).message.split('\n')[0] ?? '');
        throw err;
      }
    }
    emit(node.name, 'ready', READY_DETAIL[node.role]);
  };

  const [zookeeper, ...rest] = nodes;
  if (!zookeeper) throw new Error('no ZooKeeper node');
  await bring(zookeeper, 'ZooKeeper answering ruok', () => zookeeperOk(host, layout.zookeeper.port));

  const masters = rest.filter((n) => n.role === 'master');
  await allSettledOrThrow(
    masters.map((m) =>
      bring(
        m,
        // A leader that stopped without closing its ZooKeeper session still leads until the session expires.
        'a leading master elected (after a restart, up to the ZooKeeper session timeout, 10 s)',
        () => electedLeaderSeenBy(host, portOf(layout, m)),
      ),
    ),
  );

  // From the host, the leader is reached at the host address on its (published) port.
  const leaderFromHost = async () => {
    for (const m of layout.masters) {
      const seen = await leaderSeenBy(host, m.port).catch(() => undefined);
      if (seen) return `${host}:${seen.split(':').at(-1)}`;
    }
    return undefined;
  };
  const agents = rest.filter((n) => n.role === 'agent');
  await allSettledOrThrow(
    agents.map((a) =>
      bring(a, 'registered with the leading master', async () => {
        const leader = await leaderFromHost();
        // The hostname the agent advertises: the host address in host mode, its name on a bridge.
        const advertised = layout.network === 'host' ? host : a.name;
        return leader ? agentRegisteredAt(leader, advertised, portOf(layout, a)) : undefined;
      }),
    ),
  );

  const leader = await leaderFromHost();
  if (!leader) throw new LaunchError('The masters lost their leader right after the launch.', null);
  return { leader };
}

/**
 * Like Promise.all, but waits for every node before failing: a launch must not settle (and let
 * destroy go ahead) while a sibling is still creating its container.
 */
async function allSettledOrThrow(steps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function portOf(layout: ClusterLayout, node: NodeContainer): number {
  const slots: { index: number; port: number }[] = node.role === 'master' ? layout.masters : layout.agents;
  const slot = slots.find((s) => s.index === node.index);
  if (!slot) throw new Error(`no port for ${node.name}`);
  return slot.port;
}

type Emit = (node: string | null, step: LaunchProgress['step'], detail: string, pull?: PullProgress) => void;

async function ensureImages(docker: Dockerode, spec: ClusterSpec, nodes: NodeContainer[], emit: Emit, timeoutMs?: number) {
  const images = [...new Set(nodes.map((n) => n.create.Image as string))];
  await Promise.all(
    images.map(async (image) => {
      const users = nodes.filter((n) => n.create.Image === image).map((n) => n.name);
      let lastEmit = 0;
      try {
        const result = await ensureImage(docker, image, spec.pullPolicy, {
          timeoutMs,
          onProgress: (pull) => {
            // Pull progress comes many times a second; the UI needs ~10 updates a second.
            if (Date.now() - lastEmit < 100) return;
            lastEmit = Date.now();
            for (const name of users) emit(name, 'pulling', `pulling ${image}`, pull);
          },
        });
        if (result === 'pulled') for (const name of users) emit(name, 'pulling', `pulled ${image}`);
      } catch (err) {
        for (const name of users) emit(name, 'failed', (err as Error).message);
        throw new LaunchError((err as Error).message, users[0] ?? null);
      }
    }),
  );
}

async function ensureNetworkAndVolumes(docker: Dockerode, spec: ClusterSpec, layout: ClusterLayout, nodes: NodeContainer[], extra: Record<string, string> = {}) {
  const labels = { ...extra, [LABEL.cluster]: spec.name };
  if (layout.network === 'bridge') {
    const name = networkName(spec.name);
    const existing = await docker.listNetworks({ filters: { name: [`^${name}$`] } });
    if (existing.length === 0) await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels });
  }
  for (const volume of nodes.flatMap((n) => n.volumes)) {
    // Creating an existing volume with the same name is a no-op in Docker.
    await docker.createVolume({ Name: volume, Labels: labels });
  }
}

/** The cluster's current description, as a never-started container's labels (see LABEL.record). */
export async function writeRecord(docker: Dockerode, spec: ClusterSpec, layout: ClusterLayout, extraLabels: Record<string, string> = {}): Promise<void> {
  const generation = Date.now();
  await docker.createContainer({
    name: recordName(spec.name, generation),
    Image: spec.images.zookeeper,
    Entrypoint: ['true'],
    Cmd: [],
    Labels: {
      ...extraLabels,
      [LABEL.cluster]: spec.name,
      [LABEL.record]: String(generation),
      [LABEL.spec]: JSON.stringify(spec),
      [LABEL.layout]: JSON.stringify(layout),
    },
    HostConfig: { NetworkMode: 'none' },
  });
  const older = await docker.listContainers({ all: true, filters: { label: [`${LABEL.cluster}=${spec.name}`, LABEL.record] } });
  await Promise.all(
    older
      .filter((c) => c.Labels[LABEL.record] !== String(generation))
      .map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)),
  );
}

async function createAndStart(docker: Dockerode, node: NodeContainer, emit: Emit): Promise<Dockerode.Container> {
  let container = docker.getContainer(node.name);
  let info = await container.inspect().catch(() => null);
  if (!info) {
    emit(node.name, 'creating', 'creating the container');
    try {
      container = await docker.createContainer(node.create);
    } catch (err) {
      emit(node.name, 'failed', (err as Error).message);
      throw new LaunchError(`${node.name} could not be created: ${(err as Error).message}`, node.name);
    }
    info = await container.inspect();
  }
  if (info.State.Paused) await container.unpause();
  else if (!info.State.Running) {
    emit(node.name, 'starting', 'starting the container');
    try {
      await container.start();
    } catch (err) {
      emit(node.name, 'failed', (err as Error).message);
      throw new LaunchError(`${node.name} could not be started: ${(err as Error).message}`, node.name);
    }
  }
  return container;
}

/** Readiness races the container's exit: a node that dies while we wait fails at once, with its logs. */
async function untilReadyOrExited(docker: Dockerode, container: Dockerode.Container, name: string, ready: () => Promise<unknown>) {
  const controller = new AbortController();
  // @types/dockerode types wait() by its callback form only.
  const waitNotRunning = container.wait as unknown as (this: Dockerode.Container, opts: object) => Promise<unknown>;
  const exited = waitNotRunning
    .call(container, { condition: 'not-running', abortSignal: controller.signal })
    .then(async () => {
      const info = await container.inspect();
      const cause = info.State.OOMKilled ? 'was killed for lack of memory' : `exited with code ${info.State.ExitCode}`;
      throw new LaunchError(`${name} ${cause} before it was ready.`, name, await lastLogLines(docker, container.id));
    });
  exited.catch(() => undefined);
  try {
    await Promise.race([ready(), exited]);
  } catch (err) {
    if (err instanceof LaunchError) throw err;
    throw new LaunchError((err as Error).message, name, await lastLogLines(docker, container.id));
  } finally {
    controller.abort();
  }
}
