import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { accessRequest, type HttpAccess } from './access';
import { MesosHttpError } from './http';

/**
 * Plain clients of a Mesos node's `/files` process (the same on master and agent, docs/mesos/api.md §5.2) and of
 * an agent's `/state` (§5.1). The traps they take care of:
 * - `/files/read` counts bytes, and its `data` is the raw file bytes dropped into a JSON string (bytes
 *   ≥ 0x80 unescaped, not validated as UTF-8): the body is decoded as latin1 before JSON.parse, so
 *   each character of `data` is one byte, and the bytes come back exactly with Buffer.from(…, 'latin1').
 * - No offset means -1, which reads nothing and answers the file's size in `offset` (§0.18).
 * - One read returns at most 16 pages (64 KiB): callers read in 64 KiB steps.
 * - A missing or unattached path is a 404 with an empty body; a directory a 400.
 * Connections are kept alive: following a fast log is hundreds of reads a second.
 */

/** The cap on one /files/read (16 pages of 4 KiB, docs/mesos/api.md §0.18). */
export const READ_CHUNK = 64 * 1024;

export class FilesError extends Error {
  override readonly name = 'FilesError';
  constructor(
    readonly kind: 'not-found' | 'invalid' | 'unreachable' | 'http',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FilesClientOptions {
  /** Per request (default 10 s). */
  timeoutMs?: number;
  agent?: http.Agent;
  /** Credentials and TLS of a cluster Mesoscope did not start. */
  access?: HttpAccess;
}

const BrowseEntrySchema = z.looseObject({
  path: z.string(),
  mode: z.string(),
  size: z.number(),
  mtime: z.number(),
  nlink: z.number().optional(),
  uid: z.string().optional(),
  gid: z.string().optional(),
});
export type BrowseEntry = z.infer<typeof BrowseEntrySchema>;

const sharedAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
// Node keys its TLS sockets by the CA and verification options too, so clusters never share one wrongly.
const sharedTlsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });

/** `/files/*` of one master or agent (`http://127.0.0.1:5051`). */
export class FilesClient {
  constructor(
    readonly baseUrl: string,
    protected readonly options: FilesClientOptions = {},
  ) {}

  /** The file's size in bytes (offset -1). */
  async size(path: string, signal?: AbortSignal): Promise<number> {
    return (await this.readRaw(path, -1, undefined, signal)).offset;
  }

  /** Up to `length` bytes (at most 64 KiB) from `offset`; an offset at or past the end gives no bytes. */
  async read(path: string, offset: number, length = READ_CHUNK, signal?: AbortSignal): Promise<Buffer> {
    if (offset < 0) throw new FilesError('invalid', `offset must be ≥ 0, not ${offset}`);
    return (await this.readRaw(path, offset, Math.min(length, READ_CHUNK), signal)).data;
  }

  private async readRaw(path: string, offset: number, length: number | undefined, signal?: AbortSignal): Promise<{ offset: number; data: Buffer }> {
    const query = new URLSearchParams({ path, offset: String(offset) });
    if (length !== undefined) query.set('length', String(length));
    const body = await this.get(`/files/read?${query}`, signal, path);
    const fast = decodeReadBody(body);
    if (fast) return fast;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('latin1'));
    } catch {
      // Mesos writes bytes ≥ 0x80 raw but escapes control characters, so this means a broken answer.
      throw new FilesError('http', `${this.baseUrl}/files/read answered something that is not JSON for ${path}`);
    }
    const { offset: at, data } = z.object({ offset: z.number(), data: z.string() }).parse(parsed);
    return { offset: at, data: Buffer.from(data, 'latin1') };
  }

  /** The entries of a directory (a file lists as empty, as Mesos does). */
  async browse(path: string, signal?: AbortSignal): Promise<BrowseEntry[]> {
    const body = await this.get(`/files/browse?${new URLSearchParams({ path })}`, signal, path);
    return z.array(BrowseEntrySchema).parse(JSON.parse(body.toString('utf8')));
  }

  /** Virtual path → real path of everything attached (`/master/log`, `/slave/log`, sandboxes). */
  async debug(signal?: AbortSignal): Promise<Record<string, string>> {
    const body = await this.get('/files/debug', signal, '/files/debug');
    return z.record(z.string(), z.string()).parse(JSON.parse(body.toString('utf8')));
  }

  /** The raw bytes of a file, as a stream, with its length and the name Mesos gives it. */
  download(path: string, signal?: AbortSignal): Promise<{ stream: Readable; size: number | undefined; name: string }> {
    return new Promise((resolve, reject) => {
      const url = `${this.baseUrl}/files/download?${new URLSearchParams({ path })}`;
      const req = accessRequest(url, { agent: false, signal }, this.options.access, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          reject(this.statusError(status, '', path));
          return;
        }
        const length = Number(res.headers['content-length']);
        const fromHeader = /filename="?([^";]+)"?/.exec(String(res.headers['content-disposition'] ?? ''))?.[1];
        resolve({ stream: res, size: Number.isFinite(length) ? length : undefined, name: fromHeader ?? path.split('/').pop() ?? 'download' });
      });
      req.setTimeout(this.options.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer from ${url}`)));
      req.once('error', (err) => reject(this.networkError(err)));
      req.end();
    });
  }

  protected get(pathAndQuery: string, signal: AbortSignal | undefined, what: string): Promise<Buffer> {
    const url = `${this.baseUrl}${pathAndQuery}`;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new FilesError('unreachable', 'aborted'));
      const agent = this.options.agent ?? (url.startsWith('https:') ? sharedTlsAgent : sharedAgent);
      const req = accessRequest(url, { agent, headers: { Accept: 'application/json' }, signal }, this.options.access, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', (err) => reject(this.networkError(err)));
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          if (status === 200) resolve(body);
          else reject(this.statusError(status, body.toString('utf8').trim(), what));
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.once('error', (err) => reject(this.networkError(err)));
      req.end();
    });
  }

  private statusError(status: number, body: string, what: string): FilesError {
    if (status === 404) return new FilesError('not-found', `${what}: no such file on ${this.baseUrl} (or it is not attached, or its sandbox was removed)`, 404);
    if (status === 400) return new FilesError('invalid', `${what}: ${body || 'bad request'}`, 400);
    if (status === 401) return new FilesError('http', `${this.baseUrl} refused the credentials (401 Unauthorized): the agent's --http_credentials do not hold them`, 401);
    return new FilesError('http', new MesosHttpError(status, body, `${this.baseUrl}/files`).message, status);
  }

  private networkError(err: Error): FilesError {
    if (err instanceof FilesError) return err;
    return new FilesError('unreachable', `${this.baseUrl} cannot be reached: ${err.message}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };
const DATA_KEY = Buffer.from('"data":"');
const OFFSET_KEY = Buffer.from('"offset":');

/**
 * The /files/read body `{"data":"…","offset":N}` decoded straight from its bytes: the string's escapes
 * undone into a Buffer, raw bytes copied as they are. It does what JSON.parse of the latin1 text and
 * Buffer.from(…, 'latin1') do, without the string in between (following a fast log reads hundreds of
 * these a second). Anything unexpected (a \u escape past one byte, another shape) returns undefined,
 * and the caller parses the JSON the plain way.
 */
export function decodeReadBody(body: Buffer): { offset: number; data: Buffer } | undefined {
  const keyAt = body.indexOf(DATA_KEY);
  const offsetAt = body.indexOf(OFFSET_KEY);
  if (keyAt < 0 || offsetAt < 0) return undefined;
  const offset = Number(/^-?\d+/.exec(body.toString('latin1', offsetAt + OFFSET_KEY.length, offsetAt + OFFSET_KEY.length + 24))?.[0]);
  if (!Number.isFinite(offset)) return undefined;
  const out = Buffer.allocUnsafe(body.length);
  let o = 0;
  let i = keyAt + DATA_KEY.length;
  for (;;) {
    const q = body.indexOf(QUOTE, i);
    const b = body.indexOf(BACKSLASH, i);
    if (q < 0) return undefined;
    if (b < 0 || q < b) {
      o += body.copy(out, o, i, q);
      // The data string must end before "offset" or after it, never around it.
      if (keyAt < offsetAt && q > offsetAt) return undefined;
      return { offset, data: Buffer.from(out.subarray(0, o)) };
    }
    o += body.copy(out, o, i, b);
    const e = body[b + 1] ?? 0;
    if (e === 0x75) {
      const code = Number.parseInt(body.toString('latin1', b + 2, b + 6), 16);
      if (!(code >= 0 && code <= 0xff)) return undefined;
      out[o++] = code;
      i = b + 6;
    } else {
      const byte = ESCAPES[e];
      if (byte === undefined) return undefined;
      out[o++] = byte;
      i = b + 2;
    }
  }
}

// ---- agent /state (docs/mesos/api.md §5.1) ----

const AgentTaskSchema = z.looseObject({ id: z.string(), state: z.string().optional() });
const ExecutorSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  container: z.string().optional(),
  directory: z.string(),
  tasks: z.array(AgentTaskSchema).default([]),
  queued_tasks: z.array(AgentTaskSchema).default([]),
  completed_tasks: z.array(AgentTaskSchema).default([]),
});
const AgentFrameworkSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  executors: z.array(ExecutorSchema).default([]),
  completed_executors: z.array(ExecutorSchema).default([]),
});
export const AgentStateSchema = z.looseObject({
  id: z.string(),
  hostname: z.string().optional(),
  log_dir: z.string().optional(),
  flags: z.record(z.string(), z.string()).optional(),
  frameworks: z.array(AgentFrameworkSchema).default([]),
  completed_frameworks: z.array(AgentFrameworkSchema).default([]),
});
export type AgentState = z.infer<typeof AgentStateSchema>;
export type AgentExecutor = z.infer<typeof ExecutorSchema>;

/** Where one executor run lives, as the agent's /state tells. */
export interface ExecutorRun {
  frameworkId: string;
  executor: AgentExecutor;
  /** In `executors` of a framework still running here (its output may grow). */
  running: boolean;
}

/** An agent: its /files and its /state. */
export class AgentClient extends FilesClient {
  async state(signal?: AbortSignal): Promise<AgentState> {
    const body = await this.get('/state', signal, '/state');
    return AgentStateSchema.parse(JSON.parse(body.toString('utf8')));
  }
}

/** Every executor run in an agent's state, running first, then completed ones newest first. */
export function executorRuns(state: AgentState): ExecutorRun[] {
  const runs: ExecutorRun[] = [];
  for (const fw of state.frameworks) {
    for (const executor of fw.executors) runs.push({ frameworkId: fw.id, executor, running: true });
  }
  for (const fw of [...state.frameworks, ...state.completed_frameworks]) {
    // The agent appends completed executors: the newest run is last.
    for (const executor of [...fw.completed_executors].reverse()) runs.push({ frameworkId: fw.id, executor, running: false });
  }
  return runs;
}

/**
 * The runs that hold task `taskId`: an executor listing it among its tasks, or a command executor
 * (whose id is the task id, docs/mesos/api.md §0.11) that lists no tasks any more.
 */
export function runsOfTask(state: AgentState, taskId: string, frameworkId?: string): ExecutorRun[] {
  return executorRuns(state).filter(({ frameworkId: fw, executor }) => {
    if (frameworkId && fw !== frameworkId) return false;
    const listed = [...executor.tasks, ...executor.queued_tasks, ...executor.completed_tasks].some((t) => t.id === taskId);
    return listed || executor.id === taskId;
  });
}

/** The run whose sandbox holds `path` (the executor directory or a file below it). */
export function runOfPath(state: AgentState, path: string): ExecutorRun | undefined {
  return executorRuns(state).find(({ executor }) => path === executor.directory || path.startsWith(`${executor.directory}/`));
}
