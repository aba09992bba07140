import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import type { ClusterLayout } from '@shared/cluster/layout';
import { type AgentSpecInput, AgentSpecSchema, agentsOf, type ClusterSpec, validateSpec } from '@shared/cluster/spec';
import type { ClusterSummary, LaunchProgress } from '@shared/cluster/status';
import { describeIssues } from '@shared/validation';
import { destroyCluster, type DestroyReport, removeAgentNode } from './destroy';
import { describedBy, type DiscoveredCluster, observeContainers, summarize } from './discovery';
import { bringUp, writeRecord } from './launcher';
import { clusterFilter, containerName, LABEL } from './naming';
import { allocateAgent, allocateLayout, mergeReserved, type Reserved, reservedBy } from './port-allocation';
import { PortClaims } from './port-claims';
import { PreflightError, preflight } from './preflight';
import { DockerEventsWatch } from './docker-events';
import { fetchMesosVersion } from './mesos-version';
import { autoNetworkFor } from './network-mode';
import { checkWorkRoot, workRootFor } from './work-root';
import { daemonHost } from '../docker/daemon-host';
import { HELPER_LABEL } from '../docker/helper-container';

export interface EngineOptions {
  /** The Docker client in use (it changes when the user picks another endpoint). */
  docker: () => Dockerode;
  /** Where agents' work dirs go, a posix path on the Docker host; by default workRootFor() the daemon. */
  workRoot?: string;
  /** For MESOSCOPE_WORK_ROOT; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Extra labels on everything the engine creates: startCluster's reaper finds its clusters by them. */
  labels?: Record<string, string>;
  /** Where the app reaches nodes; loopback. */
  hostAddress?: string;
  /** 'host' on Linux; Docker Desktop needs 'bridge'. Used when a spec says 'auto'. */
  autoNetwork?: () => Promise<'host' | 'bridge'>;
  readyTimeoutMs?: number;
  pullTimeoutMs?: number;
  pollMs?: number;
}

type NodeAction = 'stop' | 'start' | 'restart' | 'pause' | 'unpause';

export class SpecError extends Error {
  override readonly name = 'SpecError';
}

export class UnknownCluster extends Error {
  override readonly name = 'UnknownCluster';
}

/**
 * Launches, watches, changes and destroys local Mesos clusters. Everything it knows is in Docker
 * (labels), so a second engine — the app restarted — sees the same clusters.
 */
export class ClusterEngine {
  private readonly events = new EventEmitter();
  private readonly mesosVersions = new Map<string, ClusterSummary['mesos']>();
  /** Ports of launches under way (this process's and others'), not yet visible in Docker's labels. */
  private readonly claims = new PortClaims();
  /** Allocation is read-then-claim: one at a time, or two launches pick the same ports. */
  private allocation: Promise<unknown> = Promise.resolve();
  private readonly dockerEvents: DockerEventsWatch;
  /** Launches under way, so that destroy can stop one before removing what it made. */
  private readonly inFlight = new Map<string, { controller: AbortController; done: Promise<unknown> }>();

  constructor(private readonly options: EngineOptions) {
    this.events.setMaxListeners(100);
    this.dockerEvents = new DockerEventsWatch(() => this.docker, () => this.changed());
  }

  private get docker(): Dockerode {
    return this.options.docker();
  }

  async list(): Promise<ClusterSummary[]> {
    const clusters = summarize(await observeContainers(this.docker));
    return Promise.all(clusters.map(async (c) => ({ ...c, mesos: await this.mesosOf(c) })));
  }

  async get(name: string): Promise<ClusterSummary> {
    const cluster = (await this.list()).find((c) => c.name === name);
    if (!cluster) throw new UnknownCluster(`No cluster named "${name}".`);
    return cluster;
  }

  /**
   * Validate, check, allocate, then bring the cluster up; resolves when every node is ready. Aborting
   * the signal stops the launch where it is (the cluster is then partial: Resume or Destroy).
   */
  async create(input: unknown, options: { signal?: AbortSignal } = {}): Promise<ClusterSummary> {
    const validation = validateSpec(input);
    if (!validation.ok) throw new SpecError(describeIssues(validation.issues));
    const spec = validation.spec;
    if (this.inFlight.has(spec.name)) throw new PreflightError(`name: "${spec.name}" is being launched already.`);
    await this.tracked(spec.name, options.signal, async (signal) => {
      await preflight(this.docker, spec);
      signal.throwIfAborted();
      const network = spec.network === 'auto' ? await this.autoNetwork(spec) : spec.network;
      const layout = await this.exclusively(async () => {
        this.refuseIfHeldElsewhere(spec.name);
        const allocated = await allocateLayout(spec, {
          hostAddress: this.options.hostAddress ?? '127.0.0.1',
          network,
          workRoot: await this.workRoot(),
          reserved: await this.reservedByOthers(spec.name),
        });
        this.claims.claim(spec.name, reservedBy(allocated));
        return allocated;
      });
      await this.bringUpAndRecord(spec, layout, signal);
    });
    return this.get(spec.name);
  }

  /** Create and start whatever a half-made (or stopped) cluster is missing, and wait until ready. */
  async resume(name: string): Promise<ClusterSummary> {
    const { spec, layout } = await this.describe(name);
    await this.up(spec, layout);
    return this.get(name);
  }

  /** Stop every node, agents first and ZooKeeper last, so no node sees its dependencies vanish first. */
  async stop(name: string): Promise<ClusterSummary> {
    const cluster = await this.get(name);
    for (const role of ['agent', 'master', 'zookeeper'] as const) {
      await Promise.all(
        cluster.nodes
          .filter((n) => n.role === role && n.containerId && (n.state === 'running' || n.state === 'paused'))
          .map(async (n) => {
            const container = this.docker.getContainer(n.containerId as string);
            if (n.state === 'paused') await container.unpause();
            await container.stop({ t: 10 });
          }),
      );
    }
    this.changed();
    return this.get(name);
  }

  async destroy(name: string): Promise<DestroyReport> {
    // A launch still running would go on creating containers after they were removed.
    const launch = this.inFlight.get(name);
    if (launch) {
      launch.controller.abort();
      await launch.done.catch(() => undefined);
    }
    const members = await observeContainers(this.docker, name);
    const { Volumes } = await this.docker.listVolumes({ filters: clusterFilter(name) });
    if (!launch && members.length === 0 && (Volumes ?? []).length === 0) throw new UnknownCluster(`No cluster named "${name}".`);
    const report = await destroyCluster(this.docker, name, describedBy(members));
    this.mesosVersions.delete(name);
    this.changed();
    return report;
  }

  /** "Remove all Mesoscope resources": every cluster, and anything else carrying a Mesoscope label. */
  async removeAll(): Promise<DestroyReport[]> {
    const names = new Set((await observeContainers(this.docker)).map((c) => c.labels[LABEL.cluster] ?? ''));
    const reports = [];
    for (const name of names) if (name) reports.push(await this.destroy(name));
    const docker = this.docker;
    for (const n of await docker.listNetworks({ filters: clusterFilter() })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    const { Volumes } = await docker.listVolumes({ filters: clusterFilter() });
    for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
    // Helper containers a crash left behind (they normally live for one command).
    for (const c of await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } })) {
      await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    return reports;
  }

  async nodeAction(cluster: string, node: string, action: NodeAction): Promise<void> {
    const summary = await this.get(cluster);
    const target = summary.nodes.find((n) => n.name === node);
    if (!target?.containerId) throw new UnknownCluster(`Cluster "${cluster}" has no node "${node}" (or it has no container).`);
    const container = this.docker.getContainer(target.containerId);
    await (action === 'stop'
      ? container.stop({ t: 10 })
      : action === 'start'
        ? container.start()
        : action === 'restart'
          ? container.restart({ t: 10 })
          : action === 'pause'
            ? container.pause()
            : container.unpause());
    this.changed();
  }

  /** Add an agent to a running cluster; resolves when it is registered. */
  async addAgent(cluster: string, agentInput: AgentSpecInput = {}): Promise<ClusterSummary> {
    const { spec, layout } = await this.describe(cluster);
    const parsed = AgentSpecSchema.safeParse(agentInput);
    if (!parsed.success) throw new SpecError(`agent: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    if (this.inFlight.has(cluster)) throw new PreflightError(`"${cluster}" is being launched or changed already.`);
    const next: ClusterSpec = { ...spec, agents: { ...spec.agents, count: undefined, list: [...agentsOf(spec), parsed.data] } };
    const grown = await this.exclusively(async () => {
      this.refuseIfHeldElsewhere(cluster);
      const slot = await allocateAgent(spec, layout, parsed.data, {
        reserved: await this.reservedByOthers(cluster),
        workRoot: await this.workRoot(),
      });
      const withSlot = { ...layout, agents: [...layout.agents, slot] };
      this.claims.claim(cluster, reservedBy(withSlot));
      return withSlot;
    });
    await this.up(next, grown);
    return this.get(cluster);
  }

  async removeAgent(cluster: string, index: number): Promise<ClusterSummary> {
    const { spec, layout } = await this.describe(cluster);
    const position = layout.agents.findIndex((a) => a.index === index);
    if (position < 0) throw new UnknownCluster(`Cluster "${cluster}" has no agent ${index}.`);
    if (layout.agents.length === 1) throw new SpecError('agents: a cluster keeps at least one agent; destroy the cluster instead.');
    const agents = agentsOf(spec).filter((_, i) => i !== position);
    const next: ClusterSpec = { ...spec, agents: { ...spec.agents, count: undefined, list: agents } };
    const slot = layout.agents[position] as ClusterLayout['agents'][number];
    await removeAgentNode(this.docker, layout.hostAddress, slot, containerName(cluster, 'agent', index), spec.images.agent);
    // Recorded last: had the removal stopped half-way, the agent shows as missing, never as invisible.
    await writeRecord(this.docker, next, { ...layout, agents: layout.agents.filter((a) => a.index !== index) }, this.options.labels);
    this.changed();
    return this.get(cluster);
  }

  onProgress(listener: (progress: LaunchProgress) => void): () => void {
    this.events.on('progress', listener);
    return () => this.events.off('progress', listener);
  }

  /** Called with the clusters whenever Docker reports a change to any Mesoscope container. */
  onChange(listener: () => void): () => void {
    this.events.on('changed', listener);
    return () => this.events.off('changed', listener);
  }

  /**
   * Forward Docker's events about Mesoscope containers as changes until the signal aborts (see
   * DockerEventsWatch: reconnects with backoff, a change after each reconnection).
   */
  watchDocker(signal: AbortSignal): Promise<void> {
    return this.dockerEvents.run(signal);
  }

  /** The Docker endpoint changed: drop the old event stream (the watch reconnects to the new one). */
  reconnectEvents(): void {
    this.mesosVersions.clear();
    this.dockerEvents.reconnect();
  }

  private changed(): void {
    this.events.emit('changed');
  }

  private up(spec: ClusterSpec, layout: DiscoveredCluster['layout']): Promise<void> {
    if (this.inFlight.has(spec.name)) return Promise.reject(new PreflightError(`"${spec.name}" is being launched or changed already.`));
    return this.tracked(spec.name, undefined, (signal) => this.bringUpAndRecord(spec, layout, signal));
  }

  /** Runs a launch so that destroy can stop it and wait for it; its ports stay reserved until it ends. */
  private async tracked(name: string, external: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    external?.addEventListener('abort', () => controller.abort(), { once: true });
    const done = work(controller.signal);
    this.inFlight.set(name, { controller, done });
    try {
      await done;
    } finally {
      if (this.inFlight.get(name)?.done === done) this.inFlight.delete(name);
      this.claims.release(name);
    }
  }

  private async bringUpAndRecord(spec: ClusterSpec, layout: DiscoveredCluster['layout'], signal: AbortSignal): Promise<void> {
    try {
      const { leader } = await bringUp({
        docker: this.docker,
        spec,
        layout,
        onProgress: (p) => this.events.emit('progress', p),
        readyTimeoutMs: this.options.readyTimeoutMs,
        pullTimeoutMs: this.options.pullTimeoutMs,
        pollMs: this.options.pollMs,
        signal,
        endpointUrl: endpointUrlOf(this.docker),
        labels: this.options.labels,
      });
      this.mesosVersions.set(spec.name, await fetchMesosVersion(leader));
    } finally {
      this.changed();
    }
  }

  private async describe(name: string) {
    const described = describedBy(await observeContainers(this.docker, name));
    if (!described) throw new UnknownCluster(`No cluster named "${name}".`);
    return described;
  }

  private refuseIfHeldElsewhere(name: string): void {
    const holder = this.claims.holder(name);
    if (holder !== undefined) throw new PreflightError(`name: "${name}" is being launched or changed by another Mesoscope process (pid ${holder}).`);
  }

  /** One allocation at a time in this process, and in every other one on the machine. */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.allocation.then(() => this.claims.exclusively(work));
    this.allocation = result.catch(() => undefined);
    return result;
  }

  /** Ports of every other cluster: those in Docker's labels, and those of launches under way. */
  private async reservedByOthers(except?: string): Promise<Reserved> {
    const clusters = summarize(await observeContainers(this.docker)).filter((c) => c.name !== except);
    return mergeReserved([...clusters.map((c) => reservedBy(c.layout)), this.claims.others(except)]);
  }

  private async workRoot(): Promise<string> {
    if (this.options.workRoot) {
      checkWorkRoot(this.options.workRoot);
      return this.options.workRoot;
    }
    return workRootFor(await daemonHost(this.docker), this.options.env);
  }

  /** What `network: auto` means on this daemon: decided by what it can do (see network-mode.ts). */
  private autoNetwork(spec: ClusterSpec): Promise<'host' | 'bridge'> {
    if (this.options.autoNetwork) return this.options.autoNetwork();
    return autoNetworkFor(this.docker, [spec.images.agent, spec.images.master, spec.images.zookeeper], this.options.hostAddress);
  }

  private async mesosOf(cluster: DiscoveredCluster): Promise<ClusterSummary['mesos']> {
    if (this.mesosVersions.has(cluster.name)) return this.mesosVersions.get(cluster.name) ?? null;
    const master = cluster.nodes.find((n) => n.role === 'master' && n.state === 'running');
    if (!master) return null;
    const version = await fetchMesosVersion(master.address);
    if (version) this.mesosVersions.set(cluster.name, version);
    return version;
  }
}

/** The endpoint a client was made for, as a URL: its socket path is one candidate for the daemon's own. */
function endpointUrlOf(docker: Dockerode): string | undefined {
  const socketPath = (docker.modem as { socketPath?: unknown }).socketPath;
  return typeof socketPath === 'string' ? `unix://${socketPath}` : undefined;
}
