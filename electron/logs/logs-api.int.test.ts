import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import type { LogEvent, LogSourceInput } from '@shared/logs/schema';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { TestFramework } from '../mesos/test-framework.test-support';
import { commandTask } from '../mesos/test-tasks.test-support';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// Logs through the API as the UI and the CLI use it, against a real cluster of the testbed images:
// task output followed while the task runs and after it ended, node logs through Docker, the Mesos
// log file through /files, the sandbox browser and ranges of a file.
let dir: string;
let core: Core;
let api: MesoscopeClient;
let framework: TestFramework;
let agentId: string;
const CLUSTER = 'lg-it';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-logs-'));
  core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
  api = createClient(createInProcessTransport(core.dispatcher));
  const summary = await api.call('clusters.create', {
    spec: {
      name: CLUSTER,
      agents: { count: 1, flags: { log_dir: '/var/log/mesos' } },
      pullPolicy: 'never',
      masters: { flags: { allocation_interval: '250ms' } },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    },
  });
  const masters = summary.layout.masters.map((m) => `http://127.0.0.1:${m.port}`);
  framework = new TestFramework(masters, { name: 'logs-it', failover_timeout: 60 });
  await framework.start();
  const slaves = (await (await fetch(`${masters[0]}/master/slaves`)).json()) as { slaves: { id: string }[] };
  agentId = slaves.slaves[0]?.id ?? '';
}, 120_000);

afterAll(async () => {
  framework?.close();
  await api?.call('clusters.destroy', { name: CLUSTER }).catch(() => undefined);
  core?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const task = (id: string, command: string) => commandTask(id, command);

/** Follows a source through the API, acknowledging as it goes, until `end` (or `stop()`). */
function follow(params: { source: LogSourceInput; follow?: boolean; tailLines?: number }) {
  const events: LogEvent[] = [];
  let text = '';
  let taken = 0;
  let streamId = '';
  let resolveEnd: (reason: string) => void = () => {};
  const ended = new Promise<string>((resolve) => (resolveEnd = resolve));
  let failed: Error | undefined;
  const stop = api.subscribe(
    'logs.follow',
    params,
    (event) => {
      events.push(event);
      if (event.kind === 'open') streamId = event.streamId;
      if (event.kind === 'data') {
        text += event.text;
        taken += event.bytes;
        void api.call('logs.ack', { streamId, bytes: taken });
      }
      if (event.kind === 'end') resolveEnd(event.reason);
    },
    (error) => {
      failed = error;
      resolveEnd(`error: ${error.message}`);
    },
  );
  return { events, text: () => text, ended, stop, failed: () => failed };
}

const until = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('task logs', () => {
  it('follows stdout while the task runs, in order, and ends cleanly when it ends', async () => {
    // Lines with 2-, 3- and 4-byte characters, written over ~2 s.
    const command = 'for i in $(seq 1 40); do echo "line $i é€😀"; sleep 0.05; done; echo "to stderr" >&2';
    await framework.launch(agentId, [task('lg-seq', command)]);
    await framework.update('lg-seq', 'TASK_RUNNING');
    const stdout = follow({ source: { kind: 'task', cluster: CLUSTER, taskId: 'lg-seq', agentId } });
    // Lines arrive while it runs, not only at the end.
    await until('some lines while running', () => stdout.text().includes('line 5 '));
    expect(stdout.text()).not.toContain('line 40 ');
    expect(await stdout.ended).toBe('the task ended');
    const expected = Array.from({ length: 40 }, (_, i) => `line ${i + 1} é€😀\n`).join('');
    expect(stdout.text()).toBe(expected);
    const open = stdout.events[0];
    expect(open).toMatchObject({ kind: 'open', offset: 0, file: { agentId } });
    expect((open as { file: { path: string } }).file.path).toMatch(/\/executors\/lg-seq\/runs\/[^/]+\/stdout$/);
    stdout.stop();

    // After it ended: the whole file, then the end at once (not followed any more).
    const after = follow({ source: { kind: 'task', cluster: CLUSTER, taskId: 'lg-seq', file: 'stderr' } });
    expect(await after.ended).toBe('the task ended');
    expect(after.text()).toContain('to stderr\n');
    expect(after.text()).toMatch(/exec\.cpp:\d+\] Version: 1\.12\.0/);
  });

  it('waits for the sandbox of a task followed before it started', async () => {
    const late = follow({ source: { kind: 'task', cluster: CLUSTER, taskId: 'lg-late', agentId } });
    await until('the wait said', () => late.events.some((e) => e.kind === 'problem' && e.message.includes('has not started yet')));
    await framework.launch(agentId, [task('lg-late', 'echo late')]);
    expect(await late.ended).toBe('the task ended');
    expect(late.text()).toBe('late\n');
    late.stop();
  });

  it('finds the sandbox, lists it, reads ranges of lines, and refuses what is not there', async () => {
    const sandbox = await api.call('logs.sandbox', { cluster: CLUSTER, taskId: 'lg-seq' });
    expect(sandbox).toMatchObject({ agentId, taskId: 'lg-seq', executorId: 'lg-seq', running: false });
    const entries = await api.call('logs.browse', { cluster: CLUSTER, agentId, path: sandbox.directory });
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['stdout', 'stderr']));
    const stdout = entries.find((e) => e.name === 'stdout');
    expect(stdout?.size).toBe(Buffer.byteLength(Array.from({ length: 40 }, (_, i) => `line ${i + 1} é€😀\n`).join('')));

    const source = { kind: 'sandbox' as const, cluster: CLUSTER, agentId, path: `${sandbox.directory}/stdout` };
    const tail = await api.call('logs.read', { source, before: -1, maxBytes: 100 });
    expect(tail.end).toBe(stdout?.size);
    expect(tail.text.endsWith('line 40 é€😀\n')).toBe(true);
    expect(tail.text.startsWith('line ')).toBe(true);
    const head = await api.call('logs.read', { source, from: 0, maxBytes: 50 });
    expect(head.text).toBe('line 1 é€😀\nline 2 é€😀\n');
    // What a viewer opened at an offset shows for a title and downloads.
    expect(head).toMatchObject({ title: 'stdout', file: { agentId, path: source.path } });

    await expect(api.call('logs.sandbox', { cluster: CLUSTER, taskId: 'no-such-task' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.call('logs.read', { source: { ...source, path: `${sandbox.directory}/nope` }, from: 0 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.call('logs.read', { source: { ...source, path: '/etc/../etc/passwd' }, from: 0 })).rejects.toMatchObject({ code: 'invalid-input' });
    // In-process there is no way to hand over a file: said plainly.
    await expect(api.call('logs.download', { cluster: CLUSTER, agentId, path: `${sandbox.directory}/stdout` })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('node logs', () => {
  it("shows an agent's container log (stdout and stderr, with Docker's timestamps), with its registration line", async () => {
    const nodes = await api.call('logs.nodes', { cluster: CLUSTER });
    expect(nodes.map((n) => n.node)).toEqual(['zookeeper', 'master-1', 'agent-1']);
    expect(nodes.find((n) => n.node === 'agent-1')?.logFile).toBe('/slave/log');
    expect(nodes.find((n) => n.node === 'master-1')?.logFile).toBeNull();

    const log = follow({ source: { kind: 'node', cluster: CLUSTER, node: 'agent-1' }, tailLines: 500 });
    await until('the registration line', () => /Registered with master .*; given agent ID /.test(log.text()));
    expect(log.events[0]).toMatchObject({ kind: 'open', timestamps: true });
    expect(log.text().split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /);
    // glog writes to stderr: those lines are marked so.
    expect(log.events.some((e) => e.kind === 'data' && (e.stderr?.length ?? 0) > 0)).toBe(true);
    log.stop();

    const file = follow({ source: { kind: 'node-file', cluster: CLUSTER, node: 'agent-1' }, follow: false });
    expect(await file.ended).toBe('end of the file');
    expect(file.text()).toMatch(/Registered with master .*; given agent ID /);

    const none = follow({ source: { kind: 'node-file', cluster: CLUSTER, node: 'master-1' } });
    expect(await none.ended).toMatch(/^error: master-1 writes no Mesos log file: it runs without --log_dir, so \/master\/log is not served \(add log_dir to its flags in the spec\)/);
    const wrong = follow({ source: { kind: 'node', cluster: CLUSTER, node: 'agent-9' } });
    expect(await wrong.ended).toBe(`error: Cluster "${CLUSTER}" has no node "agent-9" (it has zookeeper, master-1, agent-1).`);
  });

  it('closing the subscription stops the follow on the main side', async () => {
    const log = follow({ source: { kind: 'node', cluster: CLUSTER, node: 'master-1' }, tailLines: 10 });
    await until('open', () => log.events.length > 0);
    const streams = (core as unknown as { logs: { deps: { streams: { size: number } } } }).logs.deps.streams;
    expect(streams.size).toBeGreaterThan(0);
    log.stop();
    await until('the stream closed', () => streams.size === 0, 5000);
  });
});

describe('mesoscope logs (the CLI, built)', () => {
  const cli = (...args: string[]) => mesoscopeCli(['logs', ...args], { timeoutMs: 60_000 });

  it("prints a task's stdout (following it to its end with -f) and stderr, and a node's log", async () => {
    await framework.launch(agentId, [task('lg-cli', 'sleep 1; for i in 1 2 3 4 5; do echo "cli $i"; sleep 0.2; done')]);
    await framework.update('lg-cli', 'TASK_RUNNING');
    const followed = await cli(CLUSTER, '--task', 'lg-cli', '-f');
    expect(followed).toMatchObject({ code: 0, stdout: 'cli 1\ncli 2\ncli 3\ncli 4\ncli 5\n' });
    expect((await cli(CLUSTER, '--task', 'lg-cli')).stdout).toBe('cli 1\ncli 2\ncli 3\ncli 4\ncli 5\n');
    expect((await cli(CLUSTER, '--task', 'lg-seq', '--stderr')).stdout).toContain('to stderr\n');

    const node = await cli(CLUSTER, 'agent-1');
    expect(node.code).toBe(0);
    expect(node.stdout).toMatch(/^I\d{4} .*Registered with master .*; given agent ID /m);
    const stamped = await cli(CLUSTER, 'master-1', '-n', '2', '-t');
    expect(stamped.stdout.trim().split('\n')).toHaveLength(2);
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await cli(CLUSTER, 'agent-1', '--mesos-log')).stdout).toMatch(/Registered with master/);
  }, 60_000);

  it('exits 4 for what does not exist and 2 for bad usage', async () => {
    expect(await cli(CLUSTER, 'agent-9')).toMatchObject({ code: 4, stderr: expect.stringContaining('has no node "agent-9"') });
    expect((await cli('no-such-cluster', 'agent-1')).code).toBe(4);
    expect((await cli(CLUSTER, '--task', 'never-ran')).code).toBe(4);
    expect((await cli(CLUSTER)).code).toBe(2);
    expect((await cli(CLUSTER, 'agent-1', '-n', 'many')).code).toBe(2);
  });
});
