import type Dockerode from 'dockerode';

/** Every short-lived helper carries this label, so a crash that leaves one behind can be found. */
export const HELPER_LABEL = 'io.mesoscope.helper';

export interface HelperRun {
  image: string;
  /** The command, run without the image's entrypoint. */
  cmd: string[];
  /** Bind mounts; a source that does not exist on the Docker host is an error, never created. */
  mounts?: { source: string; target: string; readOnly?: boolean }[];
  /** Bind sources Docker creates on its host when missing (how a work root comes into being). */
  binds?: string[];
  network?: 'none' | 'host';
  labels?: Record<string, string>;
  timeoutMs?: number;
}

export interface HelperResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class HelperError extends Error {
  override readonly name = 'HelperError';
}

/**
 * Runs a command in a short-lived container on the Docker host and returns what it printed: how the
 * engine looks at and changes paths on the Docker host (work dirs, the daemon's socket), which need
 * not be on this machine's file system at all (Docker Desktop keeps them inside its VM).
 */
export async function runHelper(docker: Dockerode, run: HelperRun): Promise<HelperResult> {
  const container = await docker.createContainer({
    Image: run.image,
    Entrypoint: [],
    Cmd: run.cmd,
    Labels: { [HELPER_LABEL]: 'true', ...run.labels },
    User: '0',
    HostConfig: {
      NetworkMode: run.network ?? 'none',
      Binds: run.binds,
      Mounts: (run.mounts ?? []).map((m) => ({ Type: 'bind' as const, Source: m.source, Target: m.target, ReadOnly: m.readOnly ?? false })),
    },
  });
  try {
    await container.start();
    const timeoutMs = run.timeoutMs ?? 30_000;
    const waited = (await Promise.race([
      container.wait(),
      new Promise((_, reject) => setTimeout(() => reject(new HelperError(`helper ${run.cmd.join(' ')} did not end within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ])) as { StatusCode: number };
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: waited.StatusCode, ...demux(raw) };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Docker's multiplexed log frames (no TTY): 8-byte headers, stream 1 stdout, 2 stderr. */
function demux(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    const size = raw.readUInt32BE(at + 4);
    const body = raw.subarray(at + 8, at + 8 + size);
    (stream === 2 ? err : out).push(body);
    at += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
