import { setTimeout as sleep } from 'node:timers/promises';
import type { DockerEndpointStatus } from '@shared/attach/connection';
import type { DockerEvent, LogLine } from '@shared/doctor/evidence';
import { isEvidenceLine } from '@shared/doctor/evidence-lines';
import { CompanionRegistry } from '../dashboard/companion-registry';
import { type FileLogTarget, followFileLogs } from '../recorder/file-logs';
import type { AttachedAgent, AttachedDocker } from './attached-docker';

/**
 * The doctor's log evidence for attached clusters: the chosen lines (isEvidenceLine) of their masters'
 * and agents' Mesos log files, followed through /files while the cluster's monitor runs (pass
 * `companion` to MonitorRegistry.alongside), from `lookbackMs` before it started. Nodes without
 * --log_dir give none. Docker events only from the Docker endpoints the user named for its agents
 * (attached-docker.ts): the containers are on the cluster's own hosts. The nodes are looked up when the monitor starts (again for a minute while none is found); an agent
 * that registers later is not followed.
 */

export interface AttachedEvidenceOptions {
  lookbackMs?: number;
  maxLogLines?: number;
  maxDockerEvents?: number;
}

/** The cluster's named Docker endpoints, and how to list its agents (asked again as they change); undefined when it names none. */
export type AttachedDockerSource = () => Promise<{ docker: AttachedDocker; agents: () => Promise<AttachedAgent[]> } | undefined>;

export class AttachedEvidence {
  /** An attached cluster has no spec nor layout of ours. */
  readonly summary = undefined;
  private readonly lines: LogLine[] = [];
  private readonly docker: DockerEvent[] = [];
  private dockerFollower: AttachedDocker | undefined;
  private dockerDone: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly targets: () => Promise<FileLogTarget[]>,
    private readonly options: AttachedEvidenceOptions = {},
    private readonly dockerSource?: AttachedDockerSource,
  ) {}

  start(): void {
    this.startDocker();
    const since = Date.now() - (this.options.lookbackMs ?? 600_000);
    const max = this.options.maxLogLines ?? 20_000;
    const { signal } = this.controller;
    this.done = this.findTargets(signal)
      .then((targets) =>
        followFileLogs(
          targets,
          (lines) => {
            this.lines.push(...lines);
            if (this.lines.length > max + (max >> 2)) this.lines.splice(0, this.lines.length - max);
          },
          signal,
          // A line with no words (a bare glog prefix) says nothing beside a task.
          { since, keep: (line) => line.text.trim() !== '' && isEvidenceLine(line) },
        ),
      )
      .catch(() => undefined);
  }

  private startDocker(): void {
    if (!this.dockerSource) return;
    const since = Date.now() - (this.options.lookbackMs ?? 600_000);
    const max = this.options.maxDockerEvents ?? 5000;
    const { signal } = this.controller;
    this.dockerDone = (async () => {
      const source = await this.dockerSource!();
      if (!source || signal.aborted) return;
      this.dockerFollower = source.docker;
      const onEvent = (e: DockerEvent) => {
        this.docker.push(e);
        if (this.docker.length > max + (max >> 2)) this.docker.splice(0, this.docker.length - max);
      };
      await source.docker.follow(source.agents, onEvent, signal, since);
    })().catch(() => undefined);
  }

  /** The named Docker endpoints and whether they answer (none named: empty). */
  dockerStatus(): DockerEndpointStatus[] {
    return this.dockerFollower?.status() ?? [];
  }

  /** The nodes' log files; a monitor that has no view yet (no leader elected) gives none: asked again for a minute. */
  private async findTargets(signal: AbortSignal): Promise<FileLogTarget[]> {
    for (let attempt = 0; ; attempt++) {
      const targets = await this.targets().catch(() => []);
      if (targets.length > 0 || attempt >= 12 || signal.aborted) return targets;
      await sleep(5000, undefined, { signal }).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all([this.done, this.dockerDone]);
  }

  dockerEvents(): readonly DockerEvent[] {
    return this.docker;
  }

  logs(): readonly LogLine[] {
    return this.lines;
  }
}

/** One AttachedEvidence per attached cluster whose monitor runs. */
export class AttachedEvidenceRegistry extends CompanionRegistry<AttachedEvidence> {
  constructor(
    targets: (cluster: string) => Promise<FileLogTarget[]>,
    options: AttachedEvidenceOptions = {},
    dockerSource?: (cluster: string) => ReturnType<AttachedDockerSource>,
  ) {
    super((cluster) => new AttachedEvidence(() => targets(cluster), options, dockerSource && (() => dockerSource(cluster))));
  }
}
