import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { type ApiError } from '@shared/errors';
import { MESOS_KIND, MESOS_TEST_IMAGE, ON_REAL_MESOS } from '../../testbed/real-mesos/images';
import { PLAIN_PRINCIPAL, PLAIN_SECRET, startPlainCluster, type PlainCluster } from '../../testbed/attach/plain-cluster';
import { createInProcessTransport } from '../api/in-process-transport';
import { post } from '../mesos/http';
import { type Core, createCore } from '../core';
import { ClusterSession } from '../scripting/cluster-session';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';
import { archiveEntries } from '../../testbed/support/archive-entries';
import { refusal } from '../api/refusal.test-support';

// Attach to a Mesos cluster Mesoscope did not start (testbed/attach/plain-cluster.sh: its own names,
// a user-defined bridge, ports on 127.0.0.1, HTTP authentication on), through the API the UI uses.

const docker = promisify(execFile);
let dir: string;
let core: Core;
let api: MesoscopeClient;



beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-attach-'));
  core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
  api = createClient(createInProcessTransport(core.dispatcher));
});

afterAll(async () => {
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe(`an attached cluster with HTTP authentication, on ${MESOS_KIND}`, () => {
  let plain: PlainCluster;
  const name = `plain-${process.pid}`;
  /** A task that finished before the later attach below. */
  let finishedKey = '';

  beforeAll(async () => {
    plain = await startPlainCluster(name, MESOS_TEST_IMAGE);
  }, 120_000);
  afterAll(async () => {
    await plain?.down();
  });

  it('refuses wrong credentials with the 401 in words, and saves nothing', async () => {
    // A plain cluster needs a moment to elect its leader: the first attempt may find none yet.
    const attempt = (password: string) => api.call('attach.add', { connection: { name, masters: plain.masters, auth: { kind: 'basic', username: PLAIN_PRINCIPAL, password } } });
    let wrong = await refusal(attempt('not-the-secret'));
    for (let i = 0; i < 40 && (wrong.detail as { reason?: string }).reason === 'no-leader'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      wrong = await refusal(attempt('not-the-secret'));
    }
    expect(wrong.code).toBe('refused');
    expect(wrong.detail).toMatchObject({ reason: 'unauthorized' });
    expect(wrong.message).toMatch(/^401 Unauthorized: .* refused the credentials .* user name or password is wrong/);
    const none = await refusal(api.call('attach.add', { connection: { name, masters: plain.masters } }));
    expect(none.message).toMatch(/requires HTTP authentication/);
    expect(await api.call('attach.list', {})).toEqual([]);
  }, 60_000);

  it('mesoscope attach: the 401 in words (exit 3), then attached read-only; run refused; detach', async () => {
    const env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'cli-config') };
    const cli = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 60_000 });
    await writeFile(join(dir, 'wrong.txt'), 'wrong-password\n');
    await writeFile(join(dir, 'right.txt'), `${PLAIN_SECRET}\n`);
    const master = ['--master', plain.masters[0]!, '--user', PLAIN_PRINCIPAL];
    const wrong = await cli('attach', name, ...master, '--password-file', join(dir, 'wrong.txt'));
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/401 Unauthorized: .* refused the credentials/);
    const right = await cli('attach', name, ...master, '--password-file', join(dir, 'right.txt'));
    expect(right.code).toBe(0);
    expect((await cli('ls')).stdout).toMatch(new RegExp(`${name}\\s+attached, read-only`));
    const ps = await cli('ps', name);
    expect(ps.code).toBe(0);
    const run = await cli('run', name, '--', 'true');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/attached read-only: Run is refused/);
    expect((await cli('detach', name)).code).toBe(0);
  }, 120_000);

  it('attaches with the right credentials; the settings file holds no password', async () => {
    const attached = await api.call('attach.add', { connection: { name, masters: plain.masters, auth: { kind: 'basic', username: PLAIN_PRINCIPAL, password: PLAIN_SECRET } } });
    expect(attached).toMatchObject({ name, kind: 'attached', writes: false, auth: { kind: 'basic', username: PLAIN_PRINCIPAL }, secretStorage: { kind: 'file' } });
    const settings = await readFile(join(dir, 'config', 'settings.json'), 'utf8');
    expect(settings).toContain(name);
    expect(settings).not.toContain(PLAIN_SECRET);
    expect(settings).not.toContain(Buffer.from(`${PLAIN_PRINCIPAL}:${PLAIN_SECRET}`).toString('base64'));
    expect((await stat(join(dir, 'config', 'secrets.json'))).mode & 0o777).toBe(0o600);
  });

  it('shows its agents live, refuses Run while read-only and Docker actions always', async () => {
    const session = new ClusterSession(api, name);
    try {
      const view = await session.live.until('both agents', (v) => (v && Object.keys(v.agents).length === 2 ? v : undefined), 30_000);
      expect(Object.values(view.agents).map((a) => a.attributes.rack).sort()).toEqual(['r1', 'r2']);
      expect(view.connection.state).toBe('live');
      // Both agents publish their port on 127.0.0.1: reached from here.
      const reach = await api.call('attach.agents', { name });
      expect(reach.map((a) => a.reachable)).toEqual([true, true]);
      expect((await refusal(api.call('attach.agents', { name: 'not-attached' }))).code).toBe('not-found');
      const readOnly = await refusal(api.call('runs.launch', { cluster: name, name: 'nope', command: 'true' }));
      expect(readOnly.code).toBe('refused');
      expect(readOnly.message).toMatch(/attached read-only: Run is refused until writes are turned on/);
      const dockerOnly = await refusal(api.call('clusters.nodeAction', { cluster: name, node: 'agent-1', action: 'stop' }));
      expect(dockerOnly.message).toMatch(/not offered for the attached cluster/);

      // Node logs through /files: the master and agent 1 run with --log_dir, agent 2 without (said in words).
      const nodes = await api.call('logs.nodes', { cluster: name });
      // Agents are numbered in the order they registered: found here by address (the script's agent 1 has --log_dir).
      const withLog = nodes.find((n) => n.container === new URL(plain.agents[0]!).host)!;
      const without = nodes.find((n) => n.container === new URL(plain.agents[1]!).host)!;
      expect(nodes.find((n) => n.role === 'master')).toMatchObject({ node: 'master-1', logFile: '/master/log' });
      expect(withLog).toMatchObject({ role: 'agent', logFile: '/slave/log' });
      expect(without).toMatchObject({ role: 'agent', logFile: null });
      expect(without.noLogFile).toBe(`${without.node} writes no Mesos log file: it runs without --log_dir, so /slave/log is not served.`);
      const masterLog = await api.call('logs.read', { source: { kind: 'node-file', cluster: name, node: 'master-1' }, from: 0, maxBytes: 64 * 1024 });
      expect(masterLog.text).toMatch(/^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+ .*\] /m);
      const agentLog = await api.call('logs.read', { source: { kind: 'node-file', cluster: name, node: withLog.node }, from: 0, maxBytes: 1024 * 1024 });
      expect(agentLog.text).toMatch(/Registered with master/);
      const none = await refusal(api.call('logs.read', { source: { kind: 'node-file', cluster: name, node: without.node }, from: 0, maxBytes: 1024 }));
      expect(none.code).toBe('not-found');
      expect(none.message).toBe(without.noLogFile);
    } finally {
      session.close();
    }
  }, 60_000);

  it('with writes on: a task runs (the framework authenticated), its stdout is read through the agent, a failed task is diagnosed', async () => {
    // The cluster authenticates frameworks (--authenticate_http_frameworks): a SUBSCRIBE without credentials is refused.
    const subscribe = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'no-credentials' } } });
    const bare = await post(`${plain.masters[0]}/api/v1/scheduler`, subscribe, { timeoutMs: 10_000 });
    expect(bare.status).toBe(401);
    await api.call('attach.setWrites', { name, writes: true });
    const session = new ClusterSession(api, name);
    try {
      const hello = await session.run({ command: 'echo hello from a plain cluster' }, { timeoutMs: 90_000 });
      expect(hello.state).toBe('TASK_FINISHED');
      finishedKey = hello.key;
      expect(await session.logs(hello.key)).toBe('hello from a plain cluster\n');
      // …as the connection's user: the master knows the framework by that principal.
      const framework = await session.live.until('the framework in the view', (v) => v?.frameworks[hello.frameworkId], 10_000);
      expect(framework.principal).toBe(PLAIN_PRINCIPAL);
      // The flight recorder on an attached cluster: its Mesos events while a task runs and fails.
      const recording = await api.call('recordings.start', { cluster: name });
      const failed = await session.run({ command: 'exit 3' }, { timeoutMs: 90_000 });
      expect(failed.state).toBe('TASK_FAILED');
      const diagnosis = await session.diagnose(failed.key);
      expect(diagnosis.kind === 'diagnosed' && diagnosis.title).toBe('The command failed (exit 3)');
      // Log evidence from the master's Mesos log (--log_dir), read through /files once a second: its lines
      // about the task come within a few seconds of the task's end.
      const masterLines = async () => {
        const d = await session.diagnose(failed.key);
        return d.kind === 'diagnosed' ? d.timeline.filter((e) => e.kind === 'log' && e.source === 'master-log' && e.title.includes(failed.id)).length : 0;
      };
      await expect.poll(masterLines, { timeout: 20_000, interval: 500 }).toBeGreaterThan(0);
      const saved = await api.call('recordings.stop', { cluster: name });
      expect(saved.path).toBe(recording.path);
      expect(saved.counts.docker ?? 0).toBe(0);
      const opened = await api.call('recordings.open', { path: saved.path });
      try {
        expect(opened.complete).toBe(true);
        expect(opened.header.cluster).toMatchObject({ name, spec: null, mesos: { emulator: !ON_REAL_MESOS } });
        // The masters' and agent 1's Mesos logs (--log_dir) through /files: chosen lines are in the file.
        expect(opened.header.logs).toBe('evidence');
        const end = await api.call('recordings.stateAt', { id: opened.id, t: opened.end });
        expect(end.view?.tasks[failed.key]?.state).toBe('TASK_FAILED');
        expect(end.verdicts[failed.key]).toMatchObject({ kind: 'diagnosed', title: 'The command failed (exit 3)' });
        expect(end.evidence.dockerEvents).toBe(0);
        expect(end.evidence.logLines).toBeGreaterThan(0);
        const replayed = await api.call('recordings.diagnose', { id: opened.id, t: opened.end, taskKey: failed.key });
        expect(replayed.kind === 'diagnosed' && replayed.title).toBe('The command failed (exit 3)');
      } finally {
        await api.call('recordings.close', { id: opened.id });
      }
    } finally {
      session.close();
    }
  }, 240_000);

  it('attached later (another Mesoscope, the CLI): what was known before is marked "before attach", what follows is live', async () => {
    const session = new ClusterSession(api, name);
    const laterDir = join(dir, 'later');
    const later = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(laterDir, 'config'), MESOSCOPE_WORK_ROOT: join(laterDir, 'work') } });
    const laterApi = createClient(createInProcessTransport(later.dispatcher));
    const laterSession = new ClusterSession(laterApi, name);
    try {
      // Running when the other attaches, finished after it: its FINISHED is seen live.
      const running = await session.run({ command: 'sleep 20' }, { until: 'TASK_RUNNING', timeoutMs: 90_000 });
      await laterApi.call('attach.add', { connection: { name, masters: plain.masters, auth: { kind: 'basic', username: PLAIN_PRINCIPAL, password: PLAIN_SECRET } } });
      const finished = await laterSession.task(finishedKey, 30_000);
      expect(finished.statuses.map((s) => s.state)).toContain('TASK_FINISHED');
      expect(finished.statuses.every((s) => s.beforeAttach === true)).toBe(true);
      const before = await laterSession.task(running.key, 30_000);
      expect(before.statuses.map((s) => [s.state, s.beforeAttach])).toContainEqual(['TASK_RUNNING', true]);
      const done = await laterSession.waitForTask(running.key, 'TASK_FINISHED', 90_000);
      expect(done.status).toMatchObject({ state: 'TASK_FINISHED' });
      expect(done.status?.beforeAttach).toBeUndefined();
      expect(done.task.statuses.filter((s) => s.beforeAttach).map((s) => s.state)).toContain('TASK_RUNNING');
      // The process that launched them saw every status live.
      expect((await session.task(running.key)).statuses.some((s) => s.beforeAttach)).toBe(false);

      // The CLI attaches afresh: its task view marks the earlier statuses.
      const env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(laterDir, 'cli-config') };
      await writeFile(join(laterDir, 'pw.txt'), `${PLAIN_SECRET}\n`);
      const cli = (...args: string[]) => docker(process.execPath, ['bin/mesoscope.cjs', ...args], { env, timeout: 60_000 });
      await cli('attach', name, '--master', plain.masters[0]!, '--user', PLAIN_PRINCIPAL, '--password-file', join(laterDir, 'pw.txt'));
      const { stdout } = await cli('ps', name, '--task', finishedKey);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toContain(finishedKey.split('/')[1]);
      expect(lines.filter((l) => /TASK_FINISHED|finished/i.test(l) && l.endsWith('[before attach]')).length).toBe(1);
      expect(lines.slice(1).every((l) => l.endsWith('[before attach]'))).toBe(true);
      const json = JSON.parse((await cli('ps', name, '--task', finishedKey, '--json')).stdout) as { statuses: Array<{ beforeAttach?: boolean }> };
      expect(json.statuses.every((s) => s.beforeAttach === true)).toBe(true);

      // mesoscope export on an attached cluster: Mesos parts, Mesos logs and task output through its HTTP
      // APIs (with the connection's credentials); the Docker parts in MISSING.txt with why.
      const bundle = join(laterDir, 'attached.tar.gz');
      await cli('export', name, '-o', bundle);
      const entries = await archiveEntries(bundle);
      const text = (path: string) => entries.get(path)?.toString() ?? '';
      for (const part of ['cluster/connection.json', 'cluster/nodes.json', 'versions.json', 'mesos/master-state.json', 'mesos/master-metrics.json', 'nodes/master-1/mesos.log', 'doctor/verdicts.json', 'recording.mesorec', 'manifest.json']) {
        expect([...entries.keys()], part).toContain(part);
      }
      expect([...entries.keys()].filter((p) => /^agents\/agent-\d\/state\.json$/.test(p))).toHaveLength(2);
      expect(text(`tasks/${finishedKey.split('/')[1]}/stdout`)).toBe('hello from a plain cluster\n');
      expect(text('nodes/master-1/mesos.log')).toMatch(/^[IWEF]\d{4} /m);
      const missing = text('MISSING.txt');
      expect(missing).toMatch(/^nodes\/master-1\/container\.log: not reachable from here: .* attached cluster/m);
      expect(missing).toMatch(/^nodes\/master-1\/inspect\.json: not reachable from here/m);
      expect(missing).toMatch(/^tasks\/\*\/inspect\.json: not reachable from here/m);
      // Without the containers, no task's environment is known: their output is said to be unredacted of it.
      expect(missing).toMatch(/^tasks\/\*\/environment: not reachable from here.*their output is not redacted of them$/m);
      // The agent without --log_dir: its Mesos log is missing, said so.
      expect(missing).toMatch(/^nodes\/agent-\d\/mesos\.log: agent-\d writes no Mesos log file/m);
      expect(missing).not.toMatch(/master-state|state\.json|stdout/);
      expect(JSON.parse(text('cluster/connection.json'))).toMatchObject({ name, auth: { kind: 'basic', username: PLAIN_PRINCIPAL } });
      for (const [path, content] of entries) expect(content.includes(PLAIN_SECRET), path).toBe(false);
      await cli('detach', name);
    } finally {
      laterSession.close();
      session.close();
      await later.dispose();
    }
  }, 240_000);

  it('forgets the connection and its secret', async () => {
    await api.call('attach.remove', { name });
    expect(await api.call('attach.list', {})).toEqual([]);
    expect(await readFile(join(dir, 'config', 'secrets.json'), 'utf8')).not.toContain(PLAIN_SECRET);
  });
});

describe(`an attached HA cluster whose leader moves, on ${MESOS_KIND}`, () => {
  let plain: PlainCluster;
  const name = `plain-ha-${process.pid}`;

  beforeAll(async () => {
    plain = await startPlainCluster(name, MESOS_TEST_IMAGE, { ha: true });
  }, 180_000);
  afterAll(async () => {
    await plain?.down();
  });

  it('follows the new leader', async () => {
    const add = () => api.call('attach.add', { connection: { name, masters: plain.masters, auth: { kind: 'basic', username: PLAIN_PRINCIPAL, password: PLAIN_SECRET } } });
    for (let i = 0; ; i++) {
      const done = await add().then(
        () => true,
        (err: ApiError) => {
          if (i >= 60 || (err.detail as { reason?: string } | undefined)?.reason !== 'no-leader') throw err;
          return false;
        },
      );
      if (done) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const session = new ClusterSession(api, name);
    try {
      const before = await session.live.until('a live view with its leader', (v) => (v?.connection.state === 'live' && v.connection.leader ? v : undefined), 60_000);
      const oldLeader = before.connection.leader!;
      await docker('docker', ['stop', '-t', '2', plain.masterContainer(oldLeader)]);
      const after = await session.live.until(
        'a new leader',
        (v) => (v?.connection.state === 'live' && v.connection.leader && v.connection.leader !== oldLeader ? v : undefined),
        120_000,
      );
      expect(plain.masters).toContain(after.connection.leader);
      expect(after.masters.find((m) => m.leader)?.url).toBe(after.connection.leader);
    } finally {
      session.close();
    }
  }, 240_000);
});
