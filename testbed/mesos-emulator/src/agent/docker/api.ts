// A small Docker Engine API client over the agent's --docker_socket (what the docker CLI calls
// do for a real agent, docs/mesos/api.md §7.4). No dependencies, so the bundle stays free of native modules.
import http from 'node:http';
import type { Duplex } from 'node:stream';

export class DockerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  State: string;
  Labels?: Record<string, string>;
}

export interface Inspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Pid: number; ExitCode: number; OOMKilled: boolean };
  NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> };
  HostConfig?: { NetworkMode?: string };
  [key: string]: unknown;
}

const API = '/v1.41';

export class DockerApi {
  constructor(readonly socketPath: string) {}

  private request(method: string, path: string, body?: unknown, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      const req = http.request({
        socketPath: this.socketPath,
        method,
        path: API + path,
        signal: opts.signal,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {},
      });
      if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error(`docker ${method} ${path}: no answer within ${opts.timeoutMs} ms`)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async json<T>(method: string, path: string, body?: unknown, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const r = await this.request(method, path, body, opts);
    if (r.status >= 400) throw new DockerError(r.status, errorMessage(r.text));
    return (r.text ? JSON.parse(r.text) : undefined) as T;
  }

  async ping(): Promise<void> {
    const r = await this.request('GET', '/_ping', undefined, { timeoutMs: 5000 });
    if (r.status !== 200) throw new DockerError(r.status, r.text);
  }

  async imageExists(ref: string): Promise<boolean> {
    const r = await this.request('GET', `/images/${encodeURIComponent(ref)}/json`, undefined, { timeoutMs: 10_000 });
    return r.status === 200;
  }

  /**
   * Pulls `ref` and resolves when the daemon is done. The daemon reports some failures as a status
   * (a missing manifest is 404) and others inside the progress stream; both become DockerError with
   * the daemon's message, which the docker CLI prints as "Error response from daemon: <message>".
   */
  pull(ref: string, signal?: AbortSignal): Promise<void> {
    const { name, tag } = splitRef(ref);
    return new Promise((resolve, reject) => {
      const req = http.request({
        socketPath: this.socketPath,
        method: 'POST',
        path: `${API}/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
        signal,
      });
      req.on('response', (res) => {
        let all = '';
        let text = '';
        let failure: string | undefined;
        res.on('data', (c: Buffer) => {
          const s = c.toString('utf8');
          if ((res.statusCode ?? 0) >= 400) all += s;
          text += s;
          const lines = text.split('\n');
          text = lines.pop() ?? '';
          for (const line of lines) failure ??= streamError(line);
        });
        res.on('end', () => {
          failure ??= streamError(text);
          if ((res.statusCode ?? 0) >= 400) reject(new DockerError(res.statusCode ?? 0, errorMessage(all) || failure || 'pull failed'));
          else if (failure) reject(new DockerError(500, failure));
          else resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  create(name: string, spec: Record<string, unknown>): Promise<{ Id: string }> {
    return this.json('POST', `/containers/create?name=${encodeURIComponent(name)}`, spec, { timeoutMs: 60_000 });
  }

  async start(id: string): Promise<void> {
    const r = await this.request('POST', `/containers/${id}/start`, undefined, { timeoutMs: 60_000 });
    if (r.status >= 400) throw new DockerError(r.status, errorMessage(r.text));
  }

  inspect(id: string): Promise<Inspect> {
    return this.json('GET', `/containers/${id}/json`, undefined, { timeoutMs: 10_000 });
  }

  /** Resolves with the exit code when the container stops. */
  async wait(id: string, signal?: AbortSignal): Promise<number> {
    const r = await this.json<{ StatusCode: number }>('POST', `/containers/${id}/wait`, undefined, { signal });
    return r.StatusCode;
  }

  async stop(id: string, graceSecs: number): Promise<void> {
    const r = await this.request('POST', `/containers/${id}/stop?t=${Math.max(0, Math.round(graceSecs))}`, undefined, { timeoutMs: (graceSecs + 30) * 1000 });
    if (r.status >= 400 && r.status !== 404) throw new DockerError(r.status, errorMessage(r.text));
  }

  async remove(id: string): Promise<void> {
    const r = await this.request('DELETE', `/containers/${id}?force=true&v=true`, undefined, { timeoutMs: 30_000 });
    if (r.status >= 400 && r.status !== 404) throw new DockerError(r.status, errorMessage(r.text));
  }

  /**
   * Runs a command in a running container (`docker exec`) and resolves with its exit code; rejects
   * when it has not ended within `timeoutMs`.
   */
  async exec(id: string, cmd: string[], timeoutMs: number): Promise<number> {
    const created = await this.json<{ Id: string }>('POST', `/containers/${id}/exec`, { Cmd: cmd, AttachStdout: false, AttachStderr: false }, { timeoutMs });
    await this.json('POST', `/exec/${created.Id}/start`, { Detach: true }, { timeoutMs });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.json<{ Running: boolean; ExitCode: number | null }>('GET', `/exec/${created.Id}/json`, undefined, { timeoutMs });
      if (!state.Running) return state.ExitCode ?? -1;
      if (Date.now() > deadline) throw new Error(`Command timed out after ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  list(filters: Record<string, string[]>): Promise<ContainerSummary[]> {
    return this.json('GET', `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify(filters))}`, undefined, { timeoutMs: 10_000 });
  }

  /**
   * Attaches to stdout and stderr before the container starts (nothing is missed); frames of the
   * multiplexed stream (8-byte headers, no TTY) go to `onOutput`.
   */
  attach(id: string, onOutput: (stream: 'stdout' | 'stderr', data: Buffer) => void): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const req = http.request({
        socketPath: this.socketPath,
        method: 'POST',
        path: `${API}/containers/${id}/attach?stream=1&stdout=1&stderr=1`,
        headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
      });
      req.on('upgrade', (_res, socket, head) => {
        const demux = demultiplexer(onOutput);
        if (head.length) demux(head);
        socket.on('data', demux);
        socket.on('error', () => undefined);
        resolve(socket);
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => reject(new DockerError(res.statusCode ?? 0, errorMessage(text) || `attach answered ${res.statusCode}`)));
      });
      req.on('error', reject);
      req.end();
    });
  }
}

function demultiplexer(onOutput: (stream: 'stdout' | 'stderr', data: Buffer) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const kind = buf[0] === 2 ? 'stderr' : 'stdout';
      onOutput(kind, buf.subarray(8, 8 + size));
      buf = buf.subarray(8 + size);
    }
  };
}

/** `127.0.0.1:5000/a/b:1` → name `127.0.0.1:5000/a/b`, tag `1`; no tag means `latest`; digests stay whole. */
export function splitRef(ref: string): { name: string; tag: string; registry: string | undefined } {
  const at = ref.indexOf('@');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  let name = ref;
  let tag = 'latest';
  if (at >= 0) {
    name = ref.slice(0, at);
    tag = ref.slice(at + 1);
  } else if (colon > slash) {
    name = ref.slice(0, colon);
    tag = ref.slice(colon + 1);
  }
  const first = name.split('/')[0] ?? '';
  const registry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
  return { name, tag, registry };
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string };
    return parsed.message ?? text.trim();
  } catch {
    return text.trim();
  }
}

function streamError(line: string): string | undefined {
  if (!line.trim()) return undefined;
  try {
    const parsed = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
    return parsed.errorDetail?.message ?? parsed.error;
  } catch {
    return undefined;
  }
}
