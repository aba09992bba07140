import type Dockerode from 'dockerode';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import type { FollowParams, LogEvent, LogNode, LogSource, ReadRange, Sandbox, SandboxEntry } from '@shared/logs/schema';
import type { AgentReach } from '@shared/contract/attach';
import type { HttpAccess } from '../mesos/access';
import { AgentClient, FilesClient, FilesError, runOfPath, runsOfTask, type ExecutorRun } from '../mesos/agent-client';
import { Batcher } from './batcher';
import { readContainerLog } from './container-log';
import type { DownloadableFile } from './downloads';
import { type FileSearch, followFile, lineStartAtOrAfter, readLines, searchFile } from './file-reader';
import { LineAssembler } from './line-assembler';
import type { Credit, LogStreams } from './log-streams';

/**
 * The main side of logs and sandboxes: finds what a source names (a node's container, a master's or
 * agent's log file, a task's sandbox on its agent) and reads it. Node logs come from Docker; all the
 * rest through the /files API of the node that has the file.
 */

export interface LogServiceDeps {
  /** The cluster's nodes (the engine's, or an attached cluster's masters and agents); throws for an unknown one. */
  cluster: (name: string) => Promise<LogCluster>;
  /** Credentials and TLS for an attached cluster's /files and /state (none for launched ones). */
  access?: (cluster: string) => Promise<HttpAccess | undefined>;
  docker: () => Dockerode;
  streams: LogStreams;
  /** /files requests; default 10 s. */
  timeoutMs?: number;
  pollMs?: number;
}

/** Where a follow starts by default: the last 256 KiB, from a line start. */
export const DEFAULT_TAIL_BYTES = 256 * 1024;
/** How long a followed task's sandbox is waited for (its image may be pulling). */
const SANDBOX_WAIT_MS = 60_000;

interface OpenStream {
  id: string;
  credit: Credit;
}

interface FileTarget {
  files: FilesClient;
  path: string;
  title: string;
  agentId?: string;
  node?: string;
  /** Whether whoever writes the file is done. */
  ended: () => Promise<boolean>;
}

/** What logs need of a cluster: its name and nodes (an attached cluster's have full URLs as addresses and no container). */
export type LogCluster = Pick<ClusterSummary, 'name' | 'nodes'> & {
  /** Agent id → base URL, as the agent registered with its master (attached clusters: the master is the only source). */
  agentUrls?: Readonly<Record<string, string>>;
};

/** A node's base URL: launched nodes give host:port (plain HTTP), attached ones a whole URL. */
export const nodeBaseUrl = (address: string) => (address.includes('://') ? address : `http://${address}`);

/** `zookeeper`, `master-1`, `agent-2`: how people (and the CLI) name nodes. */
export function shortName(node: Pick<NodeStatus, 'role' | 'index'>): string {
  return node.role === 'zookeeper' ? 'zookeeper' : `${node.role}-${node.index}`;
}

/** A node by short name (`agent-2`, `zookeeper`, `zookeeper-1`) or container name. */
export function findNode(cluster: LogCluster, name: string): NodeStatus {
  const node = cluster.nodes.find((n) => n.name === name || shortName(n) === name || `${n.role}-${n.index}` === name);
  if (!node) {
    const known = cluster.nodes.map(shortName).join(', ');
    throw new ApiError('not-found', `Cluster "${cluster.name}" has no node "${name}" (it has ${known}).`);
  }
  return node;
}

export class LogService {
  /** Per cluster: agent id → base URL, learnt from the agents' /state. */
  private readonly agentUrls = new Map<string, Map<string, string>>();

  constructor(private readonly deps: LogServiceDeps) {}

  async nodes(clusterName: string): Promise<LogNode[]> {
    const cluster = await this.deps.cluster(clusterName);
    return Promise.all(
      cluster.nodes.map(async (n): Promise<LogNode> => {
        let logFile: string | null = null;
        let noLogFile: string | undefined;
        if (n.role !== 'zookeeper' && n.state === 'running') {
          const virtual = n.role === 'master' ? '/master/log' : '/slave/log';
          // Attached only when the node runs with --log_dir (docs/mesos/api.md §5.1).
          const debug = await this.files(nodeBaseUrl(n.address), 2000, await this.accessOf(cluster.name))
            .debug()
            .catch((err: unknown) => {
              noLogFile = `${shortName(n)} does not answer from here: ${(err as Error).message}`;
              return {} as Record<string, string>;
            });
          if (virtual in debug) logFile = virtual;
          else noLogFile ??= noLogFileText(n, virtual);
        }
        return { node: shortName(n), container: n.name, role: n.role, state: n.state, logFile, ...(noLogFile ? { noLogFile } : {}) };
      }),
    );
  }

  async sandbox(clusterName: string, taskId: string, frameworkId?: string, agentId?: string): Promise<Sandbox> {
    const cluster = await this.deps.cluster(clusterName);
    const candidates = agentId ? [await this.agentClient(cluster, agentId)] : await this.allAgents(cluster);
    const found: Array<{ agentId: string; run: ExecutorRun }> = [];
    const failures: Array<{ baseUrl: string; err: unknown }> = [];
    await Promise.all(
      candidates.map(async (agent) => {
        try {
          const state = await agent.state();
          this.remember(cluster.name, state.id, agent.baseUrl);
          for (const run of runsOfTask(state, taskId, frameworkId)) found.push({ agentId: state.id, run });
        } catch (err) {
          failures.push({ baseUrl: agent.baseUrl, err });
        }
      }),
    );
    if (found.length === 0) {
      // One agent named and it does not answer: say so, not "no sandbox" (the sandbox may well be there).
      const [only] = failures;
      if (agentId && only && failures.length === 1 && isUnreachable(only.err)) throw agentUnreachable(agentId, only.baseUrl, (only.err as Error).message);
      const said = failures.map(({ baseUrl, err }) => (isUnreachable(err) ? `agent unreachable at ${new URL(baseUrl).host} from here` : (err as Error).message));
      const why = said.length ? ` (not answering: ${said.join('; ')})` : '';
      throw new ApiError(
        'not-found',
        `No sandbox of task "${taskId}"${frameworkId ? ` of framework ${frameworkId}` : ''} on the agents of "${cluster.name}"${why}: it never started, or its sandbox was removed.`,
      );
    }
    const frameworks = [...new Set(found.map((f) => f.run.frameworkId))];
    if (frameworks.length > 1) {
      throw new ApiError('invalid-input', `Several frameworks ran a task "${taskId}" (${frameworks.join(', ')}): name the framework.`, { frameworks });
    }
    // A running run first (executorRuns orders them so), then the newest completed one.
    const { agentId: at, run } = found.find((f) => f.run.running) ?? (found[0] as (typeof found)[number]);
    return {
      agentId: at,
      frameworkId: run.frameworkId,
      taskId,
      executorId: run.executor.id,
      containerId: run.executor.container,
      directory: run.executor.directory,
      running: run.running,
    };
  }

  /**
   * Whether this machine reaches each agent the master registered (attached clusters): any HTTP answer
   * from its /files/debug counts; a refused or silent connection is said with the agent's address.
   */
  async agentReach(clusterName: string): Promise<AgentReach[]> {
    const cluster = await this.deps.cluster(clusterName);
    const access = await this.accessOf(cluster.name);
    // Only agents the master has active: a removed one is not expected to answer.
    const active = new Set(cluster.nodes.filter((n) => n.role === 'agent' && n.state === 'running').map((n) => n.address));
    const agents = Object.entries(cluster.agentUrls ?? {}).filter(([, url]) => active.has(url));
    return Promise.all(
      agents.map(async ([agentId, url]): Promise<AgentReach> => {
        const address = new URL(url).host;
        try {
          await this.files(url, 3000, access).debug();
          return { agentId, address, reachable: true };
        } catch (err) {
          if (!isUnreachable(err)) return { agentId, address, reachable: true };
          return { agentId, address, reachable: false, problem: `unreachable at ${address} from here (${(err as Error).message.replace(/^.*cannot be reached: /, '')})` };
        }
      }),
    );
  }

  async browse(clusterName: string, agentId: string, path: string): Promise<SandboxEntry[]> {
    const agent = await this.agentClient(await this.deps.cluster(clusterName), agentId);
    const entries = await agent.browse(path).catch(filesToApi);
    return entries
      .map((e) => ({
        path: e.path,
        name: e.path.split('/').pop() ?? e.path,
        directory: e.mode.startsWith('d'),
        size: e.size,
        mtime: Math.round(e.mtime * 1000),
        mode: e.mode,
      }))
      .sort((a, b) => Number(b.directory) - Number(a.directory) || a.name.localeCompare(b.name));
  }

  async read(source: LogSource, where: { from: number } | { before: number }, maxBytes: number): Promise<ReadRange> {
    const target = await this.fileTarget(source);
    const range = await readLines(target.files, target.path, where, maxBytes).catch(filesToApi);
    const file = { path: target.path, ...(target.agentId ? { agentId: target.agentId } : {}), ...(target.node ? { node: target.node } : {}) };
    return { ...range, title: target.title, file };
  }

  async search(
    source: LogSource,
    options: { query: string; caseSensitive: boolean; from: number; direction: 'forward' | 'backward'; maxBytes: number },
  ): Promise<FileSearch> {
    const target = await this.fileTarget(source);
    return searchFile(target.files, target.path, options).catch(filesToApi);
  }

  /** A sandbox file to download: found now (so that a missing file fails the call), opened when fetched. */
  async download(clusterName: string, agentId: string, path: string): Promise<DownloadableFile> {
    const agent = await this.agentClient(await this.deps.cluster(clusterName), agentId);
    // A directory answers 400 "Cannot read a directory" (docs/mesos/api.md §5.2): refused with that message.
    const size = await agent.size(path).catch(filesToApi);
    return {
      name: path.split('/').pop() || 'download',
      size,
      open: async (signal) => {
        const { stream, size: length } = await agent.download(path, signal).catch(filesToApi);
        return { stream, size: length };
      },
    };
  }

  /**
   * Follow a source until `signal` aborts: `open`, then batches of lines, then `end` (the task ended,
   * the container stopped, or the end of a source not followed).
   */
  async follow(params: FollowParams, emit: (event: LogEvent) => void, signal: AbortSignal): Promise<void> {
    const stream = this.deps.streams.open();
    signal.addEventListener('abort', stream.close, { once: true });
    const batcher = new Batcher((event) => {
      stream.credit.spend(event.bytes);
      emit(event);
    });
    try {
      const reason =
        params.source.kind === 'node'
          ? await this.followNode(params, stream, batcher, emit, signal)
          : await this.followFile(params, stream, batcher, emit, signal);
      if (signal.aborted) return;
      batcher.flush();
      emit({ kind: 'end', reason });
    } catch (err) {
      batcher.dispose();
      throw err instanceof FilesError ? filesError(err) : err;
    } finally {
      stream.close();
      signal.removeEventListener('abort', stream.close);
    }
  }

  private async followNode(params: FollowParams, { id: streamId, credit }: OpenStream, batcher: Batcher, emit: (e: LogEvent) => void, signal: AbortSignal): Promise<string> {
    const source = params.source as Extract<LogSource, { kind: 'node' }>;
    const cluster = await this.deps.cluster(source.cluster);
    const node = findNode(cluster, source.node);
    if (!node.containerId) throw new ApiError('not-found', `${node.name} has no container (the cluster is partial: Resume creates it).`);
    emit({ kind: 'open', streamId, title: `${shortName(node)} · container log`, timestamps: true });
    const outcome = await readContainerLog({
      docker: this.deps.docker(),
      containerId: node.containerId,
      follow: params.follow,
      tailLines: params.tailLines,
      credit,
      signal,
      onLines: (lines, stream) => batcher.add(lines, { stderr: stream === 'stderr' }),
    });
    if (outcome === 'aborted') return 'closed';
    return params.follow ? `${node.name} stopped` : 'end of the log';
  }

  private async followFile(params: FollowParams, { id: streamId, credit }: OpenStream, batcher: Batcher, emit: (e: LogEvent) => void, signal: AbortSignal): Promise<string> {
    const target = await this.waitForTarget(params, emit, signal);
    if (!target) return 'closed';
    const { files, path } = target;
    const size = await files.size(path, signal);
    const wanted =
      params.fromOffset !== undefined ? Math.min(params.fromOffset, size) : Math.max(0, size - (params.tailBytes ?? DEFAULT_TAIL_BYTES));
    const start = await lineStartAtOrAfter(files, path, wanted, signal);
    const file = { path, ...(target.agentId ? { agentId: target.agentId } : {}), ...(target.node ? { node: target.node } : {}) };
    emit({ kind: 'open', streamId, title: target.title, timestamps: false, offset: start, size, file });
    const lines = new LineAssembler();
    let lineOffset = start;
    const outcome = await followFile({
      files,
      path,
      start,
      follow: params.follow,
      ended: target.ended,
      credit,
      signal,
      pollMs: this.deps.pollMs,
      onBytes: (bytes) => {
        const out = lines.push(bytes);
        if (out.bytes === 0) return;
        batcher.add(out, { offset: lineOffset });
        lineOffset += out.bytes;
      },
      onProblem: (message) => emit({ kind: 'problem', message }),
    });
    if (outcome === 'aborted') return 'closed';
    const rest = lines.flush();
    if (rest.bytes > 0) batcher.add(rest, { offset: lineOffset });
    if (outcome === 'eof') return 'end of the file';
    return target.title.startsWith('std') ? 'the task ended' : 'the writer ended';
  }

  /**
   * The file of a source; for a task followed, also one not started yet: its sandbox is asked for
   * every second (saying so) for up to `SANDBOX_WAIT_MS`. Undefined when the follow was closed meanwhile.
   */
  private async waitForTarget(params: FollowParams, emit: (e: LogEvent) => void, signal: AbortSignal): Promise<FileTarget | undefined> {
    const deadline = Date.now() + SANDBOX_WAIT_MS;
    for (;;) {
      try {
        return await this.fileTarget(params.source);
      } catch (err) {
        const { source } = params;
        if (!(params.follow && source.kind === 'task' && err instanceof ApiError && err.code === 'not-found' && Date.now() < deadline)) throw err;
        emit({ kind: 'problem', message: `Waiting for the sandbox of task ${source.taskId}: it has not started yet.` });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (signal.aborted) return undefined;
      }
    }
  }

  /** A source that is a file, with the client of the node that has it. */
  private async fileTarget(source: LogSource): Promise<FileTarget> {
    const cluster = await this.deps.cluster(source.cluster);
    switch (source.kind) {
      case 'node': {
        throw new ApiError('invalid-input', 'A node container log is not a file: follow it (logs.follow) instead of reading ranges.');
      }
      case 'node-file': {
        const node = findNode(cluster, source.node);
        if (node.role === 'zookeeper') throw new ApiError('invalid-input', 'ZooKeeper has no Mesos log file: follow its container log.');
        const path = node.role === 'master' ? '/master/log' : '/slave/log';
        const files = this.files(nodeBaseUrl(node.address), undefined, await this.accessOf(cluster.name));
        const debug = await files.debug().catch(filesToApi);
        if (!(path in debug)) throw new ApiError('not-found', noLogFileText(node, path));
        return { files, path, title: `${shortName(node)} · ${path}`, node: shortName(node), ended: async () => false };
      }
      case 'task': {
        const sandbox = await this.sandbox(cluster.name, source.taskId, source.frameworkId, source.agentId);
        const agent = await this.agentClient(cluster, sandbox.agentId);
        return {
          files: agent,
          path: `${sandbox.directory}/${source.file}`,
          title: `${source.file} of task ${source.taskId}`,
          agentId: sandbox.agentId,
          ended: () => this.runEnded(agent, sandbox.directory),
        };
      }
      case 'sandbox': {
        const agent = await this.agentClient(cluster, source.agentId);
        return {
          files: agent,
          path: source.path,
          title: source.path.split('/').pop() ?? source.path,
          agentId: source.agentId,
          ended: () => this.runEnded(agent, source.path),
        };
      }
    }
  }

  /** The executor whose sandbox holds `path` is no longer running (or unknown to the agent). */
  private async runEnded(agent: AgentClient, path: string): Promise<boolean> {
    const run = runOfPath(await agent.state(), path);
    return !run?.running;
  }

  private files(baseUrl: string, timeoutMs = this.deps.timeoutMs, access?: HttpAccess): FilesClient {
    return new FilesClient(baseUrl, { timeoutMs, access });
  }

  private accessOf(cluster: string): Promise<HttpAccess | undefined> {
    return this.deps.access ? this.deps.access(cluster) : Promise.resolve(undefined);
  }

  private async allAgents(cluster: LogCluster): Promise<AgentClient[]> {
    const access = await this.accessOf(cluster.name);
    return cluster.nodes
      .filter((n) => n.role === 'agent' && n.state === 'running')
      .map((n) => new AgentClient(nodeBaseUrl(n.address), { timeoutMs: this.deps.timeoutMs ?? 5000, access }));
  }

  private remember(cluster: string, agentId: string, url: string): void {
    const known = this.agentUrls.get(cluster) ?? new Map<string, string>();
    known.set(agentId, url);
    this.agentUrls.set(cluster, known);
  }

  /** The agent of that id: remembered, else found by asking each agent of the cluster its /state. */
  private async agentClient(cluster: LogCluster, agentId: string): Promise<AgentClient> {
    const access = await this.accessOf(cluster.name);
    const known = this.agentUrls.get(cluster.name)?.get(agentId) ?? cluster.agentUrls?.[agentId];
    if (known) return new AgentClient(known, { timeoutMs: this.deps.timeoutMs, access });
    await Promise.all(
      (await this.allAgents(cluster)).map(async (agent) => {
        const state = await agent.state().catch(() => null);
        if (state) this.remember(cluster.name, state.id, agent.baseUrl);
      }),
    );
    const url = this.agentUrls.get(cluster.name)?.get(agentId);
    if (!url) throw new ApiError('not-found', `No running agent of "${cluster.name}" has the id ${agentId}.`);
    return new AgentClient(url, { timeoutMs: this.deps.timeoutMs, access });
  }
}

/** A node that serves no Mesos log: it runs without --log_dir (a launched one gets it from the spec's flags). */
const noLogFileText = (node: NodeStatus, path: string) =>
  `${shortName(node)} writes no Mesos log file: it runs without --log_dir, so ${path} is not served${node.containerId ? ' (add log_dir to its flags in the spec)' : ''}.`;

const isUnreachable = (err: unknown) => err instanceof FilesError && err.kind === 'unreachable';

/** An agent the master knows of that this machine cannot reach (another host's address, a firewall). */
export function agentUnreachable(agentId: string, baseUrl: string, cause: string): ApiError {
  const address = new URL(baseUrl).host;
  return new ApiError(
    'unavailable',
    `Agent ${agentId} is unreachable at ${address} from here (${cause.replace(/^.*cannot be reached: /, '')}): its sandboxes and task output cannot be read from this machine.`,
    { reason: 'agent-unreachable', agentId, address },
  );
}

function filesError(err: FilesError): ApiError {
  const code = err.kind === 'not-found' ? 'not-found' : err.kind === 'invalid' ? 'invalid-input' : 'unavailable';
  return new ApiError(code, err.message);
}

/** For `.catch`: a /files failure as the API's error. */
function filesToApi(err: unknown): never {
  throw err instanceof FilesError ? filesError(err) : err;
}
