import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { ApiError } from '@shared/errors';
import type { ExecEvent, ExecParamsInput } from '@shared/exec/schema';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { ClusterSession } from '../scripting/cluster-session';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// Terminals through the API as the UI uses them, and `mesoscope exec`, against one emulator cluster:
// a node's container and a task's (Docker containerizer), input in, output out, resize, the exit
// code, the end when the container stops, nothing left running after a close, and hostile input.
const CLUSTER = `ex-it-${process.pid % 100_000}`;
const docker = new Dockerode();
let dir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let api: MesoscopeClient;
let session: ClusterSession;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-exec-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  core = await createCore({ env });
  api = createClient(createInProcessTransport(core.dispatcher));
  await api.call('clusters.create', {
    spec: {
      name: CLUSTER,
      agents: { count: 1 },
      pullPolicy: 'never',
      masters: { flags: { allocation_interval: '250ms' } },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    },
  });
  session = new ClusterSession(api, CLUSTER);
}, 180_000);

afterAll(async () => {
  session?.close();
  await api?.call('clusters.destroy', { name: CLUSTER }).catch(() => undefined);
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

/** A terminal as the renderer drives it: output decoded and acknowledged, input and resize by session id. */
function terminal(params: ExecParamsInput) {
  let text = '';
  let taken = 0;
  let sessionId = '';
  const events: ExecEvent[] = [];
  const waiters = new Set<() => void>();
  let failure: ApiError | undefined;
  const wake = () => waiters.forEach((w) => w());
  const stop = api.subscribe(
    'exec.session',
    params,
    (event) => {
      events.push(event);
      if (event.kind === 'open') sessionId = event.sessionId;
      if (event.kind === 'output') {
        text += Buffer.from(event.data, 'base64').toString('utf8');
        taken += event.bytes;
        void api.call('exec.ack', { sessionId, bytes: taken });
      }
      wake();
    },
    (error) => {
      failure = error;
      wake();
    },
  );
  const until = <T,>(what: string, check: () => T | undefined, timeoutMs = 20_000, failureIsAnswer = false): Promise<T> =>
    new Promise((resolve, reject) => {
      const test = () => {
        if (failure && !failureIsAnswer) return done(() => reject(failure));
        const value = check();
        if (value !== undefined && value !== false) done(() => resolve(value));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}; output so far:\n${text}`))), timeoutMs);
      const done = (then: () => void) => {
        clearTimeout(timer);
        waiters.delete(test);
        then();
      };
      waiters.add(test);
      test();
    });
  return {
    stop,
    events,
    text: () => text,
    id: () => sessionId,
    opened: () => until('open', () => sessionId || undefined),
    type: (input: string) => api.call('exec.input', { sessionId, data: Buffer.from(input).toString('base64') }),
    output: (pattern: RegExp) => until(`${pattern}`, () => pattern.exec(text) ?? undefined),
    ended: () => until('end', () => events.find((e): e is Extract<ExecEvent, { kind: 'end' }> => e.kind === 'end')),
    failed: () => until('an error', () => failure, 20_000, true),
  };
}

/** Processes in a container that carry a session's mark (what a closed session must not leave). */
async function marked(container: string, sessionId: string): Promise<number> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ['sh', '-c', `grep -lxF MESOSCOPE_EXEC_SESSION=${sessionId} /proc/[0-9]*/environ 2>/dev/null | wc -l`],
    AttachStdout: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  let out = '';
  const lines = { write: (b: Buffer) => ((out += b.toString()), true) };
  docker.modem.demuxStream(stream, lines as never, lines as never);
  await new Promise((r) => stream.once('end', r));
  return Number(out.trim());
}

const agentContainer = () => `mesoscope-${CLUSTER}-agent-1`;

describe('a terminal on a node', () => {
  it('takes typed input, answers, follows a resize and passes the exit code', async () => {
    const t = terminal({ target: { kind: 'node', cluster: CLUSTER, node: 'agent-1' }, size: { cols: 80, rows: 24 } });
    await t.opened();
    expect(t.events[0]).toMatchObject({ kind: 'open', container: agentContainer(), title: `agent-1 · ${agentContainer()}` });
    await t.type('echo "sum=$((6*7))"; tput cols; stty size\r');
    await t.output(/sum=42\r?\n80\r?\n24 80/);
    await api.call('exec.resize', { sessionId: t.id(), cols: 123, rows: 40 });
    await t.type('tput cols; stty size\r');
    await t.output(/123\r?\n40 123/);
    await t.type('exit 7\r');
    expect(await t.ended()).toMatchObject({ exitCode: 7, reason: 'the command ended (exit 7)' });
  }, 60_000);

  it('ends what it started when it is closed, and forgets the session', async () => {
    const t = terminal({ target: { kind: 'node', cluster: CLUSTER, node: 'agent-1' } });
    await t.opened();
    await t.type('sleep 1234 & echo started-$!\r');
    await t.output(/started-\d+/);
    expect(await marked(agentContainer(), t.id())).toBeGreaterThanOrEqual(2);
    t.stop();
    await expect.poll(() => marked(agentContainer(), t.id()), { timeout: 15_000 }).toBe(0);
    await expect(api.call('exec.input', { sessionId: t.id(), data: 'aGk=' })).rejects.toMatchObject({ code: 'not-found' });
  }, 60_000);
});

describe("a terminal on a task's container", () => {
  it('runs in the task container, and ends when the task is killed', async () => {
    const task = await session.run({ image: 'mesoscope/task-base:test', command: 'sleep 600' }, { until: 'TASK_RUNNING', timeoutMs: 60_000 });
    const t = terminal({ target: { kind: 'task', cluster: CLUSTER, taskId: task.id } });
    await t.opened();
    expect(t.events[0]).toMatchObject({ kind: 'open', container: expect.stringMatching(/^mesos-[0-9a-f-]{36}$/) });
    await t.type("tr '\\0' ' ' < /proc/1/cmdline; echo; echo END\r");
    await t.output(/sleep 600\s*\r?\nEND/);
    await session.kill(task.id);
    const end = await t.ended();
    expect(end.reason).toMatch(/^the container stopped|^the container is gone/);
    // Its container is kept, stopped: a new terminal is refused with the state named.
    const again = terminal({ target: { kind: 'task', cluster: CLUSTER, taskId: task.id } });
    expect(await again.failed()).toMatchObject({ code: 'refused', message: expect.stringMatching(/is not running \((exited \d+|OOM killed)\)/) });
  }, 120_000);
});

describe('hostile input', () => {
  it('refuses an unknown task, node or cluster and oversized input, clearly', async () => {
    const unknownTask = terminal({ target: { kind: 'task', cluster: CLUSTER, taskId: 'no-such-task' } });
    expect(await unknownTask.failed()).toMatchObject({ code: 'not-found', message: expect.stringContaining('No sandbox of task "no-such-task"') });
    const unknownNode = terminal({ target: { kind: 'node', cluster: CLUSTER, node: 'agent-9' } });
    expect(await unknownNode.failed()).toMatchObject({ code: 'not-found', message: expect.stringContaining('has no node "agent-9"') });
    const noCluster = terminal({ target: { kind: 'node', cluster: 'no-such-cluster', node: 'agent-1' } });
    expect((await noCluster.failed()).code).toBe('not-found');

    const t = terminal({ target: { kind: 'node', cluster: CLUSTER, node: 'agent-1' }, command: ['sleep', '60'], tty: false });
    await t.opened();
    const tooBig = Buffer.alloc(64 * 1024 + 1, 'x').toString('base64');
    await expect(api.call('exec.input', { sessionId: t.id(), data: tooBig })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('64 KiB') });
    // A command that never reads: input piles up only to the bound, then is refused.
    const piece = Buffer.alloc(64 * 1024, 'y').toString('base64');
    let refused: unknown;
    for (let i = 0; i < 200 && !refused; i += 1) {
      await api.call('exec.input', { sessionId: t.id(), data: piece }).catch((err: unknown) => (refused = err));
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'refused', message: expect.stringContaining('not reading its input') });
    t.stop();
  }, 90_000);
});

describe('mesoscope exec', () => {
  const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 60_000 });

  it("passes the command's output, stderr apart, and its exit code; stdin piped to its end", async () => {
    const r = await mesoscope('exec', CLUSTER, 'agent-1', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    const piped = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, ['bin/mesoscope.cjs', 'exec', CLUSTER, 'agent-1', '--', 'sh', '-c', 'wc -c; cat /dev/null'], { env, timeout: 60_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
      child.stdin?.end(Buffer.alloc(200_000, 'z'));
    });
    expect(piped.trim()).toBe('200000');
  }, 90_000);

  it('names what is wrong: no such node, no such task', async () => {
    const node = await mesoscope('exec', CLUSTER, 'agent-7', '--', 'true');
    expect(node.code).toBe(4);
    expect(node.stderr).toContain('has no node "agent-7"');
    const task = await mesoscope('exec', CLUSTER, '--task', 'nope', '--', 'true');
    expect(task.code).toBe(4);
    expect(task.stderr).toContain('No sandbox of task "nope"');
    const usage = await mesoscope('exec', CLUSTER);
    expect(usage.code).toBe(2);
  }, 60_000);
});
