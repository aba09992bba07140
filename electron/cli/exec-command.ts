import type { MesoscopeClient } from '@shared/api/client';
import { ApiError } from '@shared/errors';
import { type ExecParamsInput, type ExecTarget, MAX_INPUT_BYTES } from '@shared/exec/schema';
import { type Command, EXIT, need, UsageError } from './command';

/**
 * `mesoscope exec <cluster> (<node> | --task <id>) [-- CMD…]`: docker exec through the API. With a
 * TTY when stdin and stdout are terminals (raw mode, window size followed), else stdin piped and
 * stdout / stderr apart; the command's exit code is the process's.
 */
export const execCommand: Command = {
  name: 'exec',
  args: '<cluster> (<node> | --task <id>) [-T] [-- CMD…]',
  summary: "Run a command (default: a shell) in a node's or a task's container; exits with its code.",
  help: `Nodes are named zookeeper, master-N, agent-N (or by container name); --task names a task run by the
Docker containerizer (its container mesos-<ContainerID>). With a TTY when stdin and stdout are terminals,
as docker exec -it; -T: never. Without a TTY, stdin is passed on until its end and stdout and stderr
stay apart. The exit code is the command's; before it runs, the usual codes (4: no such cluster, node or
task; 3: the container is not running). A session ends when the command ends or the container stops.`,
  example: "mesoscope exec demo agent-1\nmesoscope exec demo --task web-1-1 -- cat /etc/hostname\necho 'GET x' | mesoscope exec demo --task redis-1-1 -- redis-cli",
  clusterArg: true,
  options: { task: { type: 'string' }, framework: { type: 'string' }, 'no-tty': { type: 'boolean', short: 'T', default: false } },
  optionHelp: { task: 'ID', framework: 'ID' },
  run: async (ctx) => {
    const [cluster, node, ...extra] = ctx.positionals;
    const task = ctx.values.task as string | undefined;
    need(cluster, '<cluster>');
    if ((node && task) || (!node && !task)) throw new UsageError('name a node or --task <id> (one of them)');
    if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}": put the command after --`);
    const framework = ctx.values.framework as string | undefined;
    const target: ExecTarget = task
      ? { kind: 'task', cluster: cluster as string, taskId: task, ...(framework ? { frameworkId: framework } : {}) }
      : { kind: 'node', cluster: cluster as string, node: node as string };
    const tty = process.stdin.isTTY === true && process.stdout.isTTY === true && ctx.values['no-tty'] !== true;
    return execSession(await ctx.api(), {
      target,
      ...(ctx.afterDashes.length ? { command: ctx.afterDashes } : {}),
      tty,
      ...(tty ? { size: { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 } } : {}),
    }, ctx.interrupted);
  },
};

async function execSession(api: MesoscopeClient, params: ExecParamsInput, interrupted: AbortSignal): Promise<number> {
  const tty = params.tty === true;
  const stdin = process.stdin;
  let sessionId = '';
  let taken = 0;
  // Input goes one call at a time, in order; stdin is paused while a call is out, so a fast producer waits.
  let sending: Promise<unknown> = Promise.resolve();
  let inputFailed = false;
  const send = (data: Buffer, eof = false) => {
    sending = sending.then(async () => {
      if (inputFailed) return;
      let at = 0;
      do {
        const piece = data.subarray(at, at + MAX_INPUT_BYTES);
        at += MAX_INPUT_BYTES;
        await api.call('exec.input', { sessionId, data: piece.toString('base64'), eof: eof && at >= data.length }).catch((err: Error) => {
          // The session ended meanwhile (its end says why), or the command stopped reading: said once.
          inputFailed = true;
          if (!(err instanceof ApiError && err.code === 'not-found')) console.error(`mesoscope: input not sent: ${err.message}`);
        });
      } while (at < data.length && !inputFailed);
    });
    return sending;
  };
  const onInput = (chunk: Buffer) => {
    stdin.pause();
    void send(chunk).then(() => stdin.resume());
  };
  const onInputEnd = () => void send(Buffer.alloc(0), true);
  const onResize = () => {
    if (sessionId) void api.call('exec.resize', { sessionId, cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 }).catch(() => undefined);
  };
  let rawSet = false;

  try {
    return await new Promise<number>((resolve, reject) => {
      const stop = api.subscribe(
        'exec.session',
        params,
        (event) => {
          if (event.kind === 'open') {
            sessionId = event.sessionId;
            if (tty && stdin.isTTY) {
              stdin.setRawMode(true);
              rawSet = true;
              process.stdout.on('resize', onResize);
            }
            stdin.on('data', onInput);
            stdin.once('end', onInputEnd);
            stdin.resume();
          } else if (event.kind === 'output') {
            const bytes = Buffer.from(event.data, 'base64');
            const out = event.stream === 'stderr' ? process.stderr : process.stdout;
            out.write(bytes, () => {
              taken += event.bytes;
              void api.call('exec.ack', { sessionId, bytes: taken }).catch(() => undefined);
            });
          } else {
            stop();
            if (event.exitCode === null || !event.reason.startsWith('the command ended')) console.error(`mesoscope: ${event.reason}`);
            resolve(event.exitCode ?? EXIT.failed);
          }
        },
        (error) => reject(error),
      );
      interrupted.addEventListener(
        'abort',
        () => {
          stop();
          console.error('mesoscope: interrupted: the command was ended');
          resolve(130);
        },
        { once: true },
      );
    });
  } finally {
    if (rawSet) stdin.setRawMode(false);
    process.stdout.off('resize', onResize);
    stdin.off('data', onInput);
    stdin.off('end', onInputEnd);
    stdin.pause();
    // Output written just before the end reaches the terminal before the process exits.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  }
}
