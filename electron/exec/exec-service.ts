import { randomUUID } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import type { ExecEvent, ExecParams, ExecTarget, TerminalSize } from '@shared/exec/schema';
import type { Sandbox } from '@shared/logs/schema';
import { taskContainerName } from '@shared/tasks';
import { findNode, shortName } from '../logs/log-service';
import { type LiveExec, runExecSession } from './exec-session';

export interface ExecServiceDeps {
  cluster: (name: string) => Promise<ClusterSummary>;
  docker: () => Dockerode;
  /** Where a task runs: its agent's /state names the executor's container (LogService.sandbox). */
  sandbox: (cluster: string, taskId: string, frameworkId?: string, agentId?: string) => Promise<Sandbox>;
  /** Sessions at once, over all windows and sockets. */
  maxSessions?: number;
}

/** A shell where there is bash, else sh: the images a task runs in may have either. */
export const DEFAULT_SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

export const MAX_SESSIONS = 32;

interface Resolved {
  container: string;
  title: string;
}

/**
 * Terminals into containers: finds the container a target names (a node's, or the one the Docker
 * containerizer started for a task), refuses one that is not running with its state in words, and
 * keeps the live sessions by id for the calls that name them (input, resize, acknowledgements).
 */
export class ExecService {
  private readonly sessions = new Map<string, LiveExec>();
  private starting = 0;

  constructor(private readonly deps: ExecServiceDeps) {}

  get size(): number {
    return this.sessions.size;
  }

  async session(params: ExecParams, emit: (event: ExecEvent) => void, signal: AbortSignal): Promise<void> {
    const max = this.deps.maxSessions ?? MAX_SESSIONS;
    if (this.sessions.size + this.starting >= max) throw new ApiError('refused', `${max} terminals are open already: close one first.`);
    this.starting += 1;
    let started = false;
    try {
      const docker = this.deps.docker();
      const { container, title } = await this.resolve(params.target);
      await assertRunning(docker, container, title);
      if (signal.aborted) return;
      const sessionId = randomUUID();
      await runExecSession(
        { docker, container, title, command: params.command ?? DEFAULT_SHELL, tty: params.tty, size: params.size, sessionId, emit, signal },
        (live) => {
          if (!started) {
            started = true;
            this.starting -= 1;
          }
          this.sessions.set(sessionId, live);
          return () => this.sessions.delete(sessionId);
        },
      );
    } finally {
      if (!started) this.starting -= 1;
    }
  }

  input(sessionId: string, data: Buffer, eof: boolean): void {
    this.live(sessionId).write(data, eof);
  }

  resize(sessionId: string, size: TerminalSize): Promise<void> {
    return this.live(sessionId).resize(size);
  }

  /** An id that is unknown (the session ended meanwhile) is ignored, as for logs. */
  ack(sessionId: string, bytes: number): void {
    this.sessions.get(sessionId)?.ack(bytes);
  }

  private live(sessionId: string): LiveExec {
    const live = this.sessions.get(sessionId);
    if (!live) throw new ApiError('not-found', `No terminal session "${sessionId}": it has ended.`);
    return live;
  }

  private async resolve(target: ExecTarget): Promise<Resolved> {
    if (target.kind === 'node') {
      const node = findNode(await this.deps.cluster(target.cluster), target.node);
      if (!node.containerId) throw new ApiError('not-found', `${node.name} has no container (the cluster is partial: Resume creates it).`);
      return { container: node.name, title: `${shortName(node)} · ${node.name}` };
    }
    const sandbox = await this.deps.sandbox(target.cluster, target.taskId, target.frameworkId, target.agentId);
    const name = sandbox.containerId ? taskContainerName(sandbox.containerId) : undefined;
    const exists = name ? await this.deps.docker().getContainer(name).inspect().then(() => true, notFoundAsFalse) : false;
    if (!name || !exists) {
      throw new ApiError(
        'not-found',
        `Task "${target.taskId}" has no Docker container of its own${name ? ` (no ${name}: Docker removed it)` : ''}: a command task runs in the Mesos containerizer, inside its agent's container; open a terminal on the agent instead.`,
      );
    }
    return { container: name, title: `task ${target.taskId} · ${name}` };
  }
}

function notFoundAsFalse(err: unknown): false {
  if ((err as { statusCode?: number }).statusCode === 404) return false;
  throw err;
}

/** A stopped or paused container is refused before any exec, its state in words. */
async function assertRunning(docker: Dockerode, container: string, title: string): Promise<void> {
  const info = await docker
    .getContainer(container)
    .inspect()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode === 404) throw new ApiError('not-found', `${title}: Docker has no such container.`);
      throw err;
    });
  const s = info.State;
  if (s.Paused) throw new ApiError('refused', `${title} is paused: unpause it to open a terminal.`);
  if (!s.Running) {
    const how = s.OOMKilled ? 'OOM killed' : s.Status === 'created' ? 'created, never started' : `exited ${s.ExitCode}`;
    throw new ApiError('refused', `${title} is not running (${how}): a terminal needs a running container.`);
  }
}
