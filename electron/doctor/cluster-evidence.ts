import type Dockerode from 'dockerode';
import type { ClusterSummary } from '@shared/cluster/status';
import type { DockerEvent, LogLine } from '@shared/doctor/evidence';
import { isEvidenceLine } from '@shared/doctor/evidence-lines';
import type { ClusterEngine } from '../engine/cluster-engine';
import { ClusterDockerEvents } from '../recorder/docker-events';
import { followNodeLogs } from '../recorder/node-logs';

/**
 * The doctor's live evidence for one cluster: the Docker events of its node and task containers and
 * its masters' and agents' log lines (the lines the doctor can use: isEvidenceLine), kept in bounded
 * buffers. It runs beside the cluster's dashboard monitor (MonitorRegistry.alongside), starting with
 * what happened in the last `lookbackMs`, so a task that died before anyone looked is explained too.
 * Nodes added later (Add agent, a fault's own agent) are followed as soon as the engine reports them.
 * The flight recorder takes its evidence from here (follow()), so a cluster is followed once.
 */

export interface ClusterEvidenceDeps {
  docker: () => Dockerode;
  engine: Pick<ClusterEngine, 'get' | 'onChange'>;
}

export interface ClusterEvidenceOptions {
  /** Evidence this far before the start is gathered too (default 10 min). */
  lookbackMs?: number;
  /** The buffers' bounds: the oldest items go first (defaults 5 000 events, 20 000 lines). */
  maxDockerEvents?: number;
  maxLogLines?: number;
  /** Which log lines to keep (default: the doctor's evidence). */
  keep?: (line: LogLine) => boolean;
  /** Engine changes are looked at no more often than this (default 500 ms). */
  refreshMs?: number;
  now?: () => number;
}

export interface EvidenceListener {
  docker?: (event: DockerEvent) => void;
  logs?: (lines: LogLine[]) => void;
}

export class ClusterEvidence {
  readonly since: number;
  private readonly docker: DockerEvent[] = [];
  private readonly lines: LogLine[] = [];
  private readonly listeners = new Set<EvidenceListener>();
  private readonly controller = new AbortController();
  private readonly followers = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly tasks: Promise<unknown>[] = [];
  private events: ClusterDockerEvents | undefined;
  private latest: ClusterSummary | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | null = null;
  private offChange: (() => void) | undefined;
  private readonly maxDocker: number;
  private readonly maxLines: number;

  constructor(
    readonly cluster: string,
    private readonly deps: ClusterEvidenceDeps,
    private readonly options: ClusterEvidenceOptions = {},
  ) {
    this.since = (options.now ?? Date.now)() - (options.lookbackMs ?? 600_000);
    this.maxDocker = options.maxDockerEvents ?? 5000;
    this.maxLines = options.maxLogLines ?? 20_000;
  }

  start(): void {
    this.offChange = this.deps.engine.onChange(() => this.scheduleRefresh());
    this.refreshing = this.refresh();
  }

  async stop(): Promise<void> {
    this.offChange?.();
    clearTimeout(this.refreshTimer);
    this.controller.abort();
    for (const f of this.followers.values()) f.controller.abort();
    await this.refreshing?.catch(() => undefined);
    await Promise.allSettled([...this.tasks, ...[...this.followers.values()].map((f) => f.done)]);
  }

  /** The cluster as the engine last described it (spec, layout, Mesos version), once known. */
  get summary(): ClusterSummary | undefined {
    return this.latest;
  }

  dockerEvents(): readonly DockerEvent[] {
    return this.docker;
  }

  logs(): readonly LogLine[] {
    return this.lines;
  }

  /**
   * Hands on the evidence held from `since` on, then every new item, until the signal aborts (the
   * Recorder's evidence sources). Resolves when it aborts.
   */
  follow(listener: EvidenceListener, signal: AbortSignal, since = this.since): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (listener.docker) for (const e of this.docker) if (e.at >= since) listener.docker(e);
    const held = this.lines.filter((l) => l.at >= since);
    if (listener.logs && held.length > 0) listener.logs(held);
    this.listeners.add(listener);
    return new Promise((resolve) => {
      const end = () => {
        this.listeners.delete(listener);
        resolve();
      };
      signal.addEventListener('abort', end, { once: true });
      this.controller.signal.addEventListener('abort', end, { once: true });
    });
  }

  private scheduleRefresh(): void {
    if (this.controller.signal.aborted || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshing = (this.refreshing ?? Promise.resolve()).then(() => this.refresh());
    }, this.options.refreshMs ?? 500);
  }

  /** Follows the cluster's Docker events (once) and the log of every master and agent container it has now. */
  private async refresh(): Promise<void> {
    let summary: ClusterSummary;
    try {
      summary = await this.deps.engine.get(this.cluster);
    } catch {
      return; // destroyed, or Docker away: the next change looks again
    }
    const signal = this.controller.signal;
    if (signal.aborted) return;
    this.latest = summary;
    if (!this.events) {
      this.events = new ClusterDockerEvents(this.deps.docker, { name: summary.name, layout: summary.layout });
      this.tasks.push(this.events.follow((e) => this.addDocker(e), signal, { since: this.since }));
    } else {
      this.events.setLayout(summary.layout);
    }
    const wanted = new Map(
      summary.nodes.filter((n) => n.role !== 'zookeeper' && n.containerId).map((n) => [n.containerId!, { role: n.role, index: n.index }] as const),
    );
    for (const [id, follower] of this.followers) {
      if (wanted.has(id)) continue;
      follower.controller.abort();
      this.followers.delete(id);
    }
    for (const [id, node] of wanted) {
      if (this.followers.has(id)) continue;
      // Its own controller, aborted when its node goes and by stop(): a listener on the cluster's signal
      // per follower would outlive the followers of nodes that came and went.
      const controller = new AbortController();
      const chosen = this.options.keep ?? isEvidenceLine;
      // A line with no words (a bare glog prefix) says nothing beside a task.
      const keep = (line: LogLine) => line.text.trim() !== '' && chosen(line);
      const done = followNodeLogs(this.deps.docker, [{ node, container: id }], (lines) => this.addLogs(lines), controller.signal, { since: this.since, keep });
      this.followers.set(id, { controller, done });
    }
  }

  private addDocker(event: DockerEvent): void {
    this.docker.push(event);
    trim(this.docker, this.maxDocker);
    for (const l of [...this.listeners]) l.docker?.(event);
  }

  private addLogs(lines: LogLine[]): void {
    this.lines.push(...lines);
    trim(this.lines, this.maxLines);
    for (const l of [...this.listeners]) l.logs?.(lines);
  }
}

/** Drops the oldest items once a list is a quarter over its bound (amortized: not on every push). */
function trim<T>(list: T[], max: number): void {
  if (list.length > max + (max >> 2)) list.splice(0, list.length - max);
}
