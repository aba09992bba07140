import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { ApiError } from '@shared/errors';
import type { ExecEvent, TerminalSize } from '@shared/exec/schema';
import { Credit } from '../logs/log-streams';
import { OutputBatcher } from './output-batcher';
import { stopExecProcesses, SESSION_ENV } from './stop-exec';

/** Output not yet acknowledged by the terminal before the exec's stream is paused (Docker then holds it). */
export const OUTPUT_WINDOW = 1024 * 1024;
/** Input the command has not read yet before more is refused: a command that never reads cannot make us hold a paste. */
export const MAX_PENDING_INPUT = 1024 * 1024;

export interface ExecSessionOptions {
  docker: Dockerode;
  /** Container id or name. */
  container: string;
  /** What the terminal's header says: the node or task, and the container. */
  title: string;
  command: string[];
  tty: boolean;
  size?: TerminalSize;
  sessionId: string;
  emit: (event: ExecEvent) => void;
  /** Aborted: the user closed the terminal; the command is ended. */
  signal: AbortSignal;
  window?: number;
}

/** What the registry holds of a live session: the calls that name it. */
export interface LiveExec {
  write(data: Buffer, eof: boolean): void;
  resize(size: TerminalSize): Promise<void>;
  ack(bytes: number): void;
}

/**
 * One `docker exec` into a running container, attached through Docker's hijacked stream: stdin in,
 * output out (one raw stream with a TTY, stdout and stderr demultiplexed without), the TTY resized
 * through exec.resize. It ends when the command ends (the container stopping ends it too); when the
 * user closes it first, the stream is cut and the command's processes are ended, since Docker leaves
 * an exec's process running when its client goes away (moby issue 9098).
 */
export async function runExecSession(options: ExecSessionOptions, register: (live: LiveExec) => () => void): Promise<void> {
  const { docker, signal, emit } = options;
  const container = docker.getContainer(options.container);
  const exec = await container.exec({
    Cmd: options.command,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    Env: [...(options.tty ? ['TERM=xterm-256color'] : []), `${SESSION_ENV}=${options.sessionId}`],
    ...(options.tty && options.size ? { ConsoleSize: [options.size.rows, options.size.cols] } : {}),
  });
  if (signal.aborted) return;
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: options.tty })) as Duplex;
  const credit = new Credit(options.window ?? OUTPUT_WINDOW);
  let paused = false;
  const batcher = new OutputBatcher((data, stream) => {
    credit.spend(data.length);
    emit({ kind: 'output', data: data.toString('base64'), bytes: data.length, stream });
  });
  const resize = async (size: TerminalSize) => {
    if (!options.tty) throw new ApiError('refused', 'This session has no TTY to resize.');
    await exec.resize({ h: size.rows, w: size.cols });
  };
  const unregister = register({
    write(data, eof) {
      if (stream.destroyed || stream.writableEnded) throw new ApiError('refused', 'The session has ended: its input is closed.');
      if (stream.writableLength + data.length > MAX_PENDING_INPUT) {
        throw new ApiError('refused', `The command is not reading its input: ${stream.writableLength} bytes are still waiting (at most ${MAX_PENDING_INPUT}).`);
      }
      if (data.length > 0) stream.write(data);
      if (eof) stream.end();
    },
    resize,
    ack(bytes) {
      credit.ack(bytes);
    },
  });

  try {
    // The size first: the session is open once the command sees it (a command typed at once ran
    // `stty size` before the resize landed and read 0 0, on a busy machine).
    if (options.tty && options.size) await firstResize(resize, options.size, signal);
    emit({ kind: 'open', sessionId: options.sessionId, container: options.container, title: options.title, command: options.command });

    const onOutput = (chunk: Buffer, name: 'stdout' | 'stderr') => {
      batcher.add(chunk, name);
      if (!credit.hasRoom && !paused) {
        paused = true;
        stream.pause();
        void credit.ready(signal).then(() => {
          paused = false;
          if (!signal.aborted) stream.resume();
        });
      }
    };
    if (options.tty) stream.on('data', (chunk: Buffer) => onOutput(chunk, 'stdout'));
    else {
      const sink = (name: 'stdout' | 'stderr') => ({ write: (chunk: Buffer) => (onOutput(chunk, name), true) });
      docker.modem.demuxStream(stream, sink('stdout') as never, sink('stderr') as never);
    }

    const outcome = await new Promise<'ended' | 'aborted' | Error>((resolve) => {
      // Closed while the exec was starting: an abort listener added now would never fire.
      if (signal.aborted) return resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
      stream.once('end', () => resolve('ended'));
      stream.once('close', () => resolve('ended'));
      stream.once('error', (err: Error) => resolve(signal.aborted ? 'aborted' : err));
    });
    if (outcome === 'aborted') {
      batcher.dispose();
      stream.destroy();
      unregister();
      await stopExecProcesses(container, exec, options.sessionId);
      return;
    }
    batcher.flush();
    emit(await ending(container, exec, outcome instanceof Error ? outcome : undefined));
  } finally {
    batcher.dispose();
    unregister();
    if (!stream.destroyed) stream.destroy();
  }
}

/**
 * The TTY's first size. Docker before API 1.42 ignores an exec's ConsoleSize, so the size is set by a
 * resize once the exec has started, and a resize that comes before the exec's process is up may fail:
 * like the docker CLI (initTtySize), it is tried again, 10 times at growing intervals, and the default
 * size stays if none took.
 */
async function firstResize(resize: (size: TerminalSize) => Promise<void>, size: TerminalSize, signal: AbortSignal): Promise<void> {
  for (let retry = 0; retry <= 10 && !signal.aborted; retry += 1) {
    if (retry > 0) await new Promise((r) => setTimeout(r, retry * 10));
    if (await resize(size).then(() => true, () => false)) return;
  }
}

/** How the session ended, in words: the command's exit, or the container stopping under it. */
async function ending(container: Dockerode.Container, exec: Dockerode.Exec, streamError: Error | undefined): Promise<ExecEvent> {
  // Docker may still mark the exec running for a moment after its stream closed.
  let exitCode: number | null = null;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info) break;
    if (!info.Running) {
      exitCode = info.ExitCode ?? null;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // A command killed by a signal may be the container stopping under it: Docker says so a moment later.
  const killed = exitCode === null || exitCode > 128;
  let state = await container.inspect().then((i) => i.State, () => undefined);
  for (let attempt = 0; killed && state?.Running && attempt < 20; attempt += 1) {
    await new Promise((r) => setTimeout(r, 100));
    state = await container.inspect().then((i) => i.State, () => undefined);
  }
  if (!state) return { kind: 'end', exitCode, reason: streamError ? `the connection to Docker was lost (${streamError.message})` : 'the container is gone' };
  if (!state.Running) {
    const how = state.OOMKilled ? 'OOM killed' : `exited ${state.ExitCode}`;
    return { kind: 'end', exitCode, reason: `the container stopped (${how})` };
  }
  if (streamError) return { kind: 'end', exitCode, reason: `the stream from Docker failed (${streamError.message})` };
  return { kind: 'end', exitCode, reason: exitCode === null ? 'the command ended' : `the command ended (exit ${exitCode})` };
}
