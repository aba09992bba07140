import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type Dockerode from 'dockerode';
import { pack as tarPack, type Pack } from 'tar-stream';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, BUNDLE_RECORDING, type BundleManifest, type BundleProgress } from '@shared/bundle/schema';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import type { Verdicts } from '@shared/doctor/verdict';
import { taskContainerName } from '@shared/tasks';
import { APP_NAME, APP_VERSION } from '../app-version';
import { leaderUrl } from '../faults/cluster-probe';
import { readSpan } from '../logs/file-reader';
import { nodeBaseUrl, shortName } from '../logs/log-service';
import type { HttpAccess } from '../mesos/access';
import { AgentClient, type AgentState, executorRuns, FilesClient } from '../mesos/agent-client';
import { get } from '../mesos/http';
import { Redactor } from './redact';
import { redactRecording } from './redact-recording';

/**
 * Writes a support bundle: one `.tar.gz` with everything about a cluster that someone helping needs
 * (docs/support-bundle-format.md). Each part is asked for on its own; one that cannot be had is named
 * in MISSING.txt with why, never silently dropped. Entries are written as they come (tar-stream), so
 * only one part is held in memory at a time (besides the JSON documents read first for their secrets).
 * Every part goes through one Redactor (redact.ts): secrets by name in JSON, and the values found so
 * replaced everywhere.
 */

export interface SupportBundleDeps {
  docker: () => Dockerode;
  cluster: (name: string) => Promise<ClusterSummary>;
  /** The doctor's verdicts on the cluster now. */
  verdicts: (cluster: string) => Promise<Verdicts>;
  /** A short recording of the cluster as it is now, written to `path`; and the recording under way, if any. */
  snapshot: (cluster: string, path: string) => Promise<{ current: string | undefined }>;
  /** HTTP requests to the nodes; default 10 s. */
  timeoutMs?: number;
  /** A cluster Mesoscope did not start, when the name is one (electron/attach/attached-bundle.ts). */
  attached?: (name: string) => Promise<AttachedBundleSource | undefined>;
}

/**
 * An attached cluster as a bundle source: its masters and agents as the monitor sees them (addresses
 * are whole URLs), reached with the connection's credentials; its containers are not ours to read.
 */
export interface AttachedBundleSource {
  summary: Pick<ClusterSummary, 'name' | 'nodes' | 'layout' | 'mesos'>;
  /** The saved connection (no secret), written instead of a spec. */
  connection: unknown;
  leader: string;
  access: HttpAccess | undefined;
  /** Why Docker parts are missing (MISSING.txt). */
  noDocker: string;
}

export interface BundleOptions {
  /** Each task's stdout / stderr: at most its last this many MB. */
  taskOutputMb: number;
  onProgress?: (p: Extract<BundleProgress, { kind: 'progress' }>) => void;
  signal?: AbortSignal;
}

const UNKNOWN_ENVIRONMENT =
  'no Docker container to read it from (a task of the Mesos containerizer, or its container was removed since): the values of its secret variables are unknown, so its output is not redacted of them';

/** A node's container log: its last this many lines. */
const CONTAINER_LOG_LINES = 50_000;
/** A Mesos log file: its last this many bytes. */
const MESOS_LOG_BYTES = 10 * 1024 * 1024;

class BundleWriter {
  readonly parts: BundleManifest['parts'] = [];
  readonly missing: BundleManifest['missing'] = [];
  private readonly pack: Pack = tarPack();
  private readonly done: Promise<void>;

  constructor(
    readonly path: string,
    private readonly redactor: Redactor,
    private readonly onProgress?: BundleOptions['onProgress'],
  ) {
    this.done = pipeline(this.pack, createGzip(), createWriteStream(path));
    // A failed write surfaces from finish(); this keeps it from being unhandled meanwhile.
    this.done.catch(() => undefined);
  }

  /** A part as it is (`json`, `try` redact theirs first). */
  async add(path: string, content: Buffer | string): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    await new Promise<void>((resolve, reject) => this.pack.entry({ name: path, size: data.length, mtime: new Date(), mode: 0o644 }, data, (err) => (err ? reject(err) : resolve())));
    this.parts.push({ path, bytes: data.length });
    this.onProgress?.({ kind: 'progress', part: path, written: this.parts.length, missing: this.missing.length });
  }

  json(path: string, value: unknown): Promise<void> {
    return this.add(path, `${JSON.stringify(this.redactor.json(value), null, 2)}\n`);
  }

  miss(path: string, err: unknown): void {
    this.missing.push({ path, why: err instanceof Error ? err.message : String(err) });
    this.onProgress?.({ kind: 'progress', part: path, written: this.parts.length, missing: this.missing.length });
  }

  /** Adds what `make` returns, or names the part in MISSING.txt with why not. */
  async try(path: string, make: () => Promise<Buffer | string | { json: unknown } | { redacted: Buffer } | undefined>): Promise<void> {
    try {
      const value = await make();
      if (value === undefined) return;
      if (typeof value === 'string') await this.add(path, this.redactor.text(value));
      else if (Buffer.isBuffer(value)) await this.add(path, this.redactor.bytes(value));
      else if ('redacted' in value) await this.add(path, value.redacted);
      else await this.json(path, value.json);
    } catch (err) {
      this.miss(path, err);
    }
  }

  async finish(): Promise<void> {
    this.pack.finalize();
    await this.done;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; err: unknown };

const settle = <T>(make: () => Promise<T>): Promise<Settled<T>> =>
  make().then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

const unwrap = <T>(s: Settled<T>): T => {
  if (!s.ok) throw s.err;
  return s.value;
};

interface AgentParts {
  node: NodeStatus;
  client: AgentClient;
  state: Settled<AgentState>;
}

export async function writeSupportBundle(deps: SupportBundleDeps, clusterName: string, target: string, options: BundleOptions): Promise<BundleManifest> {
  const attached = await deps.attached?.(clusterName);
  const cluster = attached?.summary ?? (await deps.cluster(clusterName));
  const access = attached?.access;
  const leader = async () => attached?.leader ?? (await leaderUrl(cluster as ClusterSummary));
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const docker = deps.docker();
  const aborted = () => {
    if (options.signal?.aborted) throw new Error('The support bundle was cancelled.');
  };
  const redactor = new Redactor();
  const partial = `${target}.partial`;
  const out = new BundleWriter(partial, redactor, options.onProgress);
  const work = await mkdtemp(join(tmpdir(), 'mesoscope-bundle-'));
  try {
    // First the documents where secrets sit by name (TaskInfos' environments and labels in the
    // masters' and agents' state, containers' Env), so that their values are known before any part
    // is written, and replaced in every part: logs and task output included.
    const reading = (part: string) => options.onProgress?.({ kind: 'progress', part: `reading ${part}`, written: 0, missing: 0 });
    redactor.learn(attached ? { connection: attached.connection, layout: cluster.layout, nodes: cluster.nodes } : { spec: (cluster as ClusterSummary).spec, layout: cluster.layout, nodes: cluster.nodes });
    const nodeInspects = new Map<NodeStatus, Settled<unknown>>();
    if (!attached) {
      for (const node of cluster.nodes) {
        aborted();
        reading(`nodes/${shortName(node)}/inspect.json`);
        nodeInspects.set(node, await settle(() => docker.getContainer(node.containerId ?? node.name).inspect()));
      }
    }
    reading('mesos/master-state.json');
    const masterState = await settle(async () => getJson(`${await leader()}/master/state`, timeoutMs, access));
    const agents: AgentParts[] = [];
    for (const node of cluster.nodes.filter((n) => n.role === 'agent')) {
      aborted();
      reading(`agents/${shortName(node)}/state.json`);
      const client = new AgentClient(nodeBaseUrl(node.address), { timeoutMs, access });
      agents.push({ node, client, state: await settle(() => client.state()) });
    }
    const taskInspects = new Map<string, Settled<unknown>>();
    for (const { state } of attached ? [] : agents) {
      if (!state.ok) continue;
      for (const { executor } of executorRuns(state.value)) {
        aborted();
        if (!executor.container || taskInspects.has(executor.container)) continue;
        taskInspects.set(executor.container, await settle(() => docker.getContainer(taskContainerName(executor.container as string)).inspect()));
      }
    }
    for (const s of [...nodeInspects.values(), masterState, ...agents.map((a) => a.state), ...taskInspects.values()]) if (s.ok) redactor.learn(s.value);

    if (attached) await out.json('cluster/connection.json', attached.connection);
    else await out.json('cluster/spec.json', (cluster as ClusterSummary).spec);
    await out.json('cluster/layout.json', cluster.layout);
    await out.json('cluster/nodes.json', cluster.nodes);
    await out.try('versions.json', async () => ({ json: { mesoscope: APP_VERSION, mesos: cluster.mesos, docker: attached ? null : await docker.version() } }));
    /** A part Docker gives: an attached cluster's containers are on its own hosts, named as missing. */
    const dockerPart = (path: string, make: () => Promise<Buffer | string | { json: unknown } | undefined>) =>
      attached ? Promise.resolve(out.miss(path, new Error(attached.noDocker))) : out.try(path, make);

    for (const node of cluster.nodes) {
      aborted();
      const dir = `nodes/${shortName(node)}`;
      await dockerPart(`${dir}/inspect.json`, async () => ({ json: unwrap(nodeInspects.get(node) as Settled<unknown>) }));
      await dockerPart(`${dir}/container.log`, () => containerLog(docker, node));
      if (node.role !== 'zookeeper') await out.try(`${dir}/mesos.log`, () => mesosLog(node, timeoutMs, access));
    }

    await out.try('mesos/master-state.json', async () => ({ json: unwrap(masterState) }));
    await out.try('mesos/master-metrics.json', async () => ({ json: await getJson(`${await leader()}/metrics/snapshot`, timeoutMs, access) }));

    for (const { node, state } of agents) {
      aborted();
      const dir = `agents/${shortName(node)}`;
      const base = nodeBaseUrl(node.address);
      await out.try(`${dir}/state.json`, async () => ({ json: unwrap(state) }));
      await out.try(`${dir}/flags.json`, async () => ({ json: await getJson(`${base}/flags`, timeoutMs, access) }));
      await out.try(`${dir}/metrics.json`, async () => ({ json: await getJson(`${base}/metrics/snapshot`, timeoutMs, access) }));
    }

    const maxBytes = Math.round(options.taskOutputMb * 1024 * 1024);
    for (const { client, state } of agents) {
      if (!state.ok) continue;
      for (const run of executorRuns(state.value)) {
        aborted();
        const { executor } = run;
        const listed = [...executor.tasks, ...executor.queued_tasks, ...executor.completed_tasks];
        const taskId = listed[0]?.id ?? executor.id;
        const dir = `tasks/${safeName(taskId)}`;
        for (const file of ['stdout', 'stderr'] as const) {
          await out.try(`${dir}/${file}`, async () => {
            const path = `${executor.directory}/${file}`;
            const size = await client.size(path);
            return readSpan(client, path, Math.max(0, size - maxBytes), size);
          });
        }
        const inspect = executor.container ? taskInspects.get(executor.container) : undefined;
        if (inspect) {
          await out.try(`${dir}/inspect.json`, async () => {
            // A task of the Mesos containerizer has no Docker container: nothing to miss.
            if (!inspect.ok && (inspect.err as { statusCode?: number }).statusCode === 404) return undefined;
            return { json: unwrap(inspect) };
          });
        }
        // Mesos shows no task's environment (neither state has it): a Docker container's Env is the only
        // place its secret values are learnt from. Without it, the output may hold them, and the reader is told.
        if (!attached && !inspect?.ok) out.miss(`${dir}/environment`, new Error(UNKNOWN_ENVIRONMENT));
      }
    }

    if (attached) {
      out.miss('tasks/*/inspect.json', new Error(attached.noDocker));
      out.miss('tasks/*/environment', new Error(`${attached.noDocker}: the values of the tasks' secret variables are unknown, so their output is not redacted of them`));
    }

    aborted();
    await out.try('doctor/verdicts.json', async () => ({ json: await deps.verdicts(cluster.name) }));
    const recordingPath = join(work, BUNDLE_RECORDING);
    let current: string | undefined;
    await out.try(BUNDLE_RECORDING, async () => {
      current = (await deps.snapshot(cluster.name, recordingPath)).current;
      return { redacted: await redactRecording(recordingPath, join(work, `redacted-${BUNDLE_RECORDING}`), redactor) };
    });
    if (current) await out.try('current-recording.mesorec', async () => ({ redacted: await redactRecording(current as string, join(work, 'redacted-current.mesorec'), redactor) }));

    if (out.missing.length > 0) {
      await out.add('MISSING.txt', redactor.text(`Parts of this bundle that could not be had, and why:\n\n${out.missing.map((m) => `${m.path}: ${m.why}`).join('\n')}\n`));
    }
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      cluster: cluster.name,
      createdAt: Date.now(),
      app: { name: APP_NAME, version: APP_VERSION },
      taskOutputMb: options.taskOutputMb,
      parts: [...out.parts],
      missing: [...out.missing],
    };
    await out.add('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    await out.finish();
    await rename(partial, target);
    return manifest;
  } catch (err) {
    await out.finish().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Task ids are free text: as a folder name, only what is safe in a path. */
const safeName = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || '_';

async function getJson(url: string, timeoutMs: number, access?: HttpAccess): Promise<unknown> {
  const res = await get(url, { timeoutMs, access });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as unknown;
}

/** A node's container log (stdout and stderr, Docker's timestamps), its last lines. */
async function containerLog(docker: Dockerode, node: NodeStatus): Promise<Buffer> {
  const container = docker.getContainer(node.containerId ?? node.name);
  const info = await container.inspect();
  const raw = (await container.logs({ stdout: true, stderr: true, timestamps: true, tail: CONTAINER_LOG_LINES, follow: false })) as unknown as Buffer;
  return info.Config.Tty ? raw : demultiplex(raw);
}

/** Docker's multiplexed frames (8-byte header: stream, 0, 0, 0, size as big-endian u32) as one text. */
export function demultiplex(raw: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    pieces.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(pieces);
}

/** A master's or agent's Mesos log file (--log_dir), its last MESOS_LOG_BYTES. */
async function mesosLog(node: NodeStatus, timeoutMs: number, access?: HttpAccess): Promise<Buffer> {
  if (node.state !== 'running') throw new Error(`the node is ${node.state}`);
  const files = new FilesClient(nodeBaseUrl(node.address), { timeoutMs, access });
  const virtual = node.role === 'master' ? '/master/log' : '/slave/log';
  const debug = await files.debug();
  if (!(virtual in debug)) throw new Error(`${shortName(node)} writes no Mesos log file (it runs without --log_dir)`);
  const size = await files.size(virtual);
  return readSpan(files, virtual, Math.max(0, size - MESOS_LOG_BYTES), size);
}

/** The bundle's size on disk. */
export async function bundleBytes(path: string): Promise<number> {
  return (await stat(path)).size;
}

export const bundleDir = (recordingsDir: string) => join(dirname(recordingsDir), 'bundles');
