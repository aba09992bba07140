import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// The CLI's commands beyond the shell script's (cli-script.sh): help and usage errors, detached runs,
// kill --all, timeouts, agents added and removed, a fault undone, record and replay, stop and start,
// and the bash completion script. One emulator cluster with fast agent timers.

const exec = promisify(execFile);
const NAME = `cli-cmd-${process.pid % 100_000}`;
let dir: string;
let env: NodeJS.ProcessEnv;


const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 120_000 });

const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

async function inBatches<T, R>(items: T[], work: (item: T) => Promise<R>, size = 4): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}
type Row = { id: string; state: string; agent: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-cli-cmd-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  await writeFile(
    join(dir, 'spec.yaml'),
    [
      `name: ${NAME}`,
      'agents: { count: 2 }',
      'masters: { flags: { allocation_interval: 250ms } }',
      'timers: { agentPingTimeout: 1secs, maxAgentPingTimeouts: 3 }',
      'images: { zookeeper: mesoscope/zookeeper:test, master: mesoscope/mesos-emulator:test, agent: mesoscope/mesos-emulator:test }',
      'pullPolicy: never',
    ].join('\n'),
  );
  const up = await mesoscope('up', '-f', join(dir, 'spec.yaml'), '--yes');
  if (up.code !== 0) throw new Error(`up exited ${up.code}: ${up.stderr}`);
}, 180_000);

afterAll(async () => {
  const down = await mesoscope('down', NAME);
  expect(down.code, down.stderr).toBe(0);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

describe('help and usage', () => {
  // Every command's help and usage errors are checked in-process (help.test.ts); here the process itself:
  // what it prints and its exit codes.
  it('prints help and exits 0, exits 2 for bad usage and 4 for what does not exist', async () => {
    const overview = await mesoscope('--help');
    expect(overview.code, overview.stderr).toBe(0);
    expect(overview.stdout).toMatch(/^Usage: mesoscope <command>/);
    const agentAddHelp = await mesoscope('agent', 'add', '--help');
    expect([agentAddHelp.code, agentAddHelp.stdout.split('\n')[0]]).toEqual([0, 'Usage: mesoscope agent add <cluster>']);
    expect((await mesoscope('help', 'fault')).stdout).toContain('stop-agent, pause-agent');
    const bad = await mesoscope('ps', NAME, '--bogus');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("Unknown option '--bogus'")]);

    // A well-formed request for something that does not exist: 4.
    const missing = [['ps', 'no-such-cluster'], ['kill', NAME, 'no-such-task'], ['doctor', NAME, 'no-such-task'], ['replay', join(dir, 'none.mesorec')]];
    const notFound = await inBatches(missing, (args) => mesoscope(...args));
    missing.forEach((args, i) => expect(notFound[i]?.code, args.join(' ')).toBe(4));
  }, 120_000);
});

describe('tasks', () => {
  it('runs detached, kills all, says how it ended, and gives up at --timeout with exit code 6', async () => {
    const detached = await mesoscope('run', NAME, '--detach', '--instances', '2', '--name', 'long', '--', 'sleep', '600');
    expect(detached.code, detached.stderr).toBe(0);
    const ids = detached.stdout.trim().split('\n');
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^long-[0-9a-f]+-1$/);

    // Another process sees them, kills them all, and a third sees them killed.
    const killed = await mesoscope('kill', NAME, '--all', '--json');
    expect(killed.code, killed.stderr).toBe(0);
    expect(json<{ killed: string[] }>(killed).killed.map((k) => k.split('/')[1]).sort()).toEqual([...ids].sort());
    const deadline = Date.now() + 30_000;
    let rows: Row[] = [];
    while (Date.now() < deadline) {
      rows = json<Row[]>(await mesoscope('ps', NAME, '--json')).filter((r) => ids.includes(r.id));
      if (rows.every((r) => r.state === 'TASK_KILLED')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(rows.map((r) => r.state)).toEqual(['TASK_KILLED', 'TASK_KILLED']);

    const slow = await mesoscope('run', NAME, '--timeout', '2s', '--', 'sleep 600');
    expect(slow.code, slow.stderr).toBe(6);
    expect(slow.stderr).toContain(`mesoscope kill ${NAME} --all`);
    expect((await mesoscope('kill', NAME, '--all')).code).toBe(0);

    const pinned = await mesoscope('run', NAME, '--json', '--agent', '2', '--env', 'GREETING=hi there', '--', 'echo "$GREETING"; exit 7');
    expect(pinned.code, pinned.stderr).toBe(5);
    const out = json<{ tasks: Array<{ id: string; state: string; diagnosis: { kind: string; title?: string } }> }>(pinned);
    expect(out.tasks[0]).toMatchObject({ state: 'TASK_FAILED', diagnosis: { kind: 'diagnosed', title: 'The command failed (exit 7)' } });
    const row = json<Row[]>(await mesoscope('ps', NAME, '--json')).find((r) => r.id === out.tasks[0]?.id);
    expect(row?.agent).toBe('agent-2');
    expect((await mesoscope('logs', NAME, '--task', out.tasks[0]!.id)).stdout).toBe('hi there\n');
  }, 180_000);
});

describe('agents and faults', () => {
  it('pauses an agent, undoes it and shows the task come back; adds and removes an agent', async () => {
    const fault = await mesoscope('fault', NAME, 'pause-agent', '--agent', '2', '--task-image', 'mesoscope/task-base:test', '--json');
    expect(fault.code, fault.stderr).toBe(0);
    const { injection, judgement } = json<{ injection: { taskId: string; node: string }; judgement: { verdict: string } }>(fault);
    expect(judgement.verdict).toBe('as-expected');
    expect(injection.node).toBe(`mesoscope-${NAME}-agent-2`);

    const undo = await mesoscope('undo', NAME, 'pause-agent');
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`Undone pause-agent: unpause mesoscope-${NAME}-agent-2`);
    expect(undo.stdout).toMatch(new RegExp(`${injection.taskId}: TASK_RUNNING / REASON_AGENT_REREGISTERED / SOURCE_MASTER`));
    expect((await mesoscope('undo', NAME, 'pause-agent')).code).toBe(4);
    expect((await mesoscope('kill', NAME, injection.taskId)).code).toBe(0);

    const added = await mesoscope('agent', 'add', NAME, '--cpus', '2', '--attribute', 'rack=r9', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(json<{ index: number; mesos: string }>(added)).toMatchObject({ index: 3, mesos: 'active' });
    const state = json<{ slaves: Array<{ attributes: Record<string, string>; resources: { cpus: number } }> }>(await mesoscope('state', NAME));
    expect(state.slaves.find((s) => s.attributes.rack === 'r9')?.resources.cpus).toBe(2);
    const removed = await mesoscope('agent', 'remove', NAME, '3');
    expect(removed.stdout).toContain('Removed agent-3; 2 agents left.');
    expect((await mesoscope('agent', 'remove', NAME, '9')).code).toBe(4);
  }, 180_000);
});

describe('recordings', () => {
  it('records for a while and replays the file at a moment', async () => {
    const file = join(dir, 'session.mesorec');
    const recording = mesoscope('record', NAME, '-o', file, '--for', '6s', '--json');
    // A task that runs while the recorder records.
    const run = await mesoscope('run', NAME, '--name', 'recorded', '--', 'sleep 1; exit 2');
    expect(run.code, run.stderr).toBe(5);
    const saved = await recording;
    expect(saved.code, saved.stderr).toBe(0);
    expect(json<{ path: string; entries: number }>(saved).path).toBe(resolve(file));
    expect((await stat(file)).size).toBeGreaterThan(0);

    const replay = await mesoscope('replay', file, '--json');
    expect(replay.code, replay.stderr).toBe(0);
    const r = json<{ state: { view: { tasks: Record<string, { id: string; state: string }> }; verdicts: Record<string, { title: string }> } }>(replay);
    const task = Object.entries(r.state.view.tasks).find(([, t]) => t.id.startsWith('recorded-'));
    expect(task?.[1].state).toBe('TASK_FAILED');
    expect(r.state.verdicts[task![0]]?.title).toBe('The command failed (exit 2)');

    const start = await mesoscope('replay', file, '--at', '0');
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^At \+0\.0 s/m);
    expect(start.stdout).not.toContain('recorded-');
    expect((await mesoscope('replay', file, '--at', 'yesterday')).code).toBe(2);

    // Until Ctrl-C: the file is complete (its end line written) and replays.
    const interrupted = join(dir, 'interrupted.mesorec');
    const child = spawn(process.execPath, ['bin/mesoscope.cjs', 'record', NAME, '-o', interrupted], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((ready, failed) => {
      child.stderr.on('data', (d: Buffer) => d.toString().includes('Ctrl-C to stop') && ready());
      child.on('exit', (code) => failed(new Error(`record exited ${code} before recording`)));
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
    expect(stdout).toContain(`Saved ${interrupted}:`);
    const opened = await mesoscope('replay', interrupted, '--json');
    expect(json<{ recording: { complete: boolean } }>(opened).recording.complete).toBe(true);
  }, 120_000);
});

describe('the whole cluster', () => {
  it('stops and starts', async () => {
    const stopped = await mesoscope('stop', NAME, '--json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(json<{ nodes: Array<{ state: string }> }>(stopped).nodes.every((n) => n.state === 'exited')).toBe(true);
    const started = await mesoscope('start', NAME, '--json');
    expect(started.code, started.stderr).toBe(0);
    expect(json<{ nodes: Array<{ state: string }> }>(started).nodes.every((n) => n.state === 'running')).toBe(true);
  }, 180_000);
});

describe('shell completion', () => {
  it('completes commands, options, cluster names and faults in bash', async () => {
    // `mesoscope` on the PATH, as after npm link.
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'mesoscope'), `#!/bin/sh\nexec "${process.execPath}" "${resolve('bin/mesoscope.cjs')}" "$@"\n`);
    await chmod(join(bin, 'mesoscope'), 0o755);
    const script = (await mesoscope('completion', 'bash')).stdout;
    const complete = async (line: string) => {
      const words = line.split(' ');
      const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _mesoscope; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const { stdout } = await exec('bash', ['-c', program], { env: { ...env, PATH: `${bin}:${process.env.PATH}` } });
      return stdout.trim().split('\n').filter(Boolean);
    };
    expect(await complete('mesoscope un')).toEqual(['undo']);
    expect(await complete('mesoscope agent r')).toEqual(['remove']);
    expect(await complete('mesoscope run x --det')).toEqual(['--detach']);
    expect(await complete(`mesoscope ps ${NAME.slice(0, 6)}`)).toContain(NAME);
    expect(await complete(`mesoscope fault ${NAME} pause`)).toEqual(['pause-agent']);
    const zsh = await mesoscope('completion', 'zsh');
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _mesoscope mesoscope');
  }, 60_000);
});
