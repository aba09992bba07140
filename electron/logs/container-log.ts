import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Credit } from './log-streams';
import { type Assembled, LineAssembler } from './line-assembler';

export type StreamName = 'stdout' | 'stderr';

/**
 * Splits Docker's multiplexed log stream (8-byte frame headers: stream type, then the payload length)
 * with dockerode's own demuxer, into lines per stream, in the order the frames came. The sinks are
 * plain writers, called synchronously, so stdout and stderr lines keep their relative order.
 */
export function demultiplexLines(
  docker: Pick<Dockerode, 'modem'>,
  source: NodeJS.ReadableStream,
  onLines: (lines: Assembled, stream: StreamName) => void,
): { flush: () => void } {
  const assemblers = { stdout: new LineAssembler(), stderr: new LineAssembler() };
  const sink = (stream: StreamName) => ({
    write: (chunk: Buffer) => {
      const lines = assemblers[stream].push(chunk);
      if (lines.bytes > 0) onLines(lines, stream);
      return true;
    },
  });
  docker.modem.demuxStream(source, sink('stdout') as never, sink('stderr') as never);
  return {
    flush: () => {
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = assemblers[stream].flush();
        if (rest.bytes > 0) onLines(rest, stream);
      }
    },
  };
}

export interface ContainerLogOptions {
  docker: Dockerode;
  containerId: string;
  follow: boolean;
  /** The last N lines to start with; undefined: all. */
  tailLines?: number;
  credit: Credit;
  signal: AbortSignal;
  onLines: (lines: Assembled, stream: StreamName) => void;
}

/**
 * A container's log through Docker: the last `tailLines` lines, then (following) what it writes until
 * it stops. Each line carries Docker's RFC 3339 timestamp. The stream is paused while the viewer has
 * not taken enough of what was sent (the credit), which Docker absorbs: it reads from its log file.
 */
export async function readContainerLog(options: ContainerLogOptions): Promise<'ended' | 'aborted'> {
  const { docker, credit, signal } = options;
  const container = docker.getContainer(options.containerId);
  const info = await container.inspect();
  const logOptions = { stdout: true, stderr: true, timestamps: true, tail: options.tailLines ?? 'all', abortSignal: signal };
  const raw = options.follow
    ? ((await container.logs({ ...logOptions, follow: true } as never)) as unknown as NodeJS.ReadableStream)
    : Readable.from([(await container.logs({ ...logOptions, follow: false } as never)) as unknown as Buffer]);
  return new Promise((resolve, reject) => {
    let paused = false;
    const relieve = () => {
      if (!paused || signal.aborted) return;
      void credit.ready(signal).then(() => {
        paused = false;
        raw.resume();
      });
    };
    const onLines = (lines: Assembled, stream: StreamName) => {
      options.onLines(lines, stream);
      if (!credit.hasRoom && !paused) {
        paused = true;
        raw.pause();
        relieve();
      }
    };
    let flush = () => {};
    if (info.Config.Tty) {
      // A TTY container's log is not multiplexed: one stream of raw bytes.
      const lines = new LineAssembler();
      raw.on('data', (chunk: Buffer) => {
        const out = lines.push(chunk);
        if (out.bytes > 0) onLines(out, 'stdout');
      });
      flush = () => {
        const rest = lines.flush();
        if (rest.bytes > 0) onLines(rest, 'stdout');
      };
    } else {
      flush = demultiplexLines(docker, raw, onLines).flush;
    }
    const onAbort = () => {
      (raw as Readable).destroy?.();
      resolve('aborted');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    raw.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      flush();
      resolve('ended');
    });
    raw.on('error', (err: Error) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) resolve('aborted');
      else reject(err);
    });
  });
}
