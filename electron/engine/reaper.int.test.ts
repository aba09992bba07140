import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { REAPER_LABEL, ReaperError, SESSION_LABEL, startReaper } from './reaper';

// Integration: a separate Node process starts a cluster through the package entry (as test code does),
// is killed with SIGKILL, and the reaper it started removes everything that process made.
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const entry = resolve('dist/electron/index.cjs');
const CLUSTER = 'reap-it';
const GRACE_MS = 2000;
const workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-reaper-'));
const taskId = randomUUID();
let child: ChildProcess | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  // Only what this test made, by its own names.
  for (const c of await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${CLUSTER}`] } })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  await docker.getContainer(`mesos-${taskId}`).remove({ force: true }).catch(() => undefined);
  await rm(workRoot, { recursive: true, force: true });
});

async function leftovers(): Promise<string[]> {
  const filters = { label: [`io.mesoscope.cluster=${CLUSTER}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const task = await docker.listContainers({ all: true, filters: { name: [`^/mesos-${taskId}$`] } });
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...task.map((c) => `task container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(Volumes ?? []).map((v) => `volume ${v.Name}`),
    ...(existsSync(join(workRoot, CLUSTER)) ? [`work dir ${join(workRoot, CLUSTER)}`] : []),
  ];
}

describe('the reaper', () => {
  it('removes the clusters of a test process killed with SIGKILL: containers, task containers, networks, volumes, work dirs', async () => {
    const script = join(workRoot, 'start.cjs');
    await writeFile(
      script,
      `const { startCluster } = require(${JSON.stringify(entry)});
       startCluster(
         { name: ${JSON.stringify(CLUSTER)}, network: 'bridge', agents: { count: 1 }, pullPolicy: 'never',
           images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' } },
         { workRoot: ${JSON.stringify(workRoot)}, reaper: { graceMs: ${GRACE_MS} } },
       ).then((c) => console.log('READY ' + c.master), (e) => { console.error('FAILED ' + e.message); process.exit(1); });
       setInterval(() => {}, 1000);`,
    );
    child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await expect.poll(() => /READY|FAILED/.exec(output)?.[0], { timeout: 150_000, interval: 250 }).toBe('READY');

    // What the cluster made is there, plus a task container its agent would have started, named by a sandbox.
    const sandbox = join(workRoot, CLUSTER, 'agent-1', 'slaves', 'S0', 'frameworks', 'F0', 'executors', 'e1', 'runs', taskId);
    await mkdir(sandbox, { recursive: true });
    await (await docker.createContainer({ name: `mesos-${taskId}`, Image: 'mesoscope/task-base:test', Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } })).start();
    const before = await leftovers();
    // The killed process's session: its reaper carries it (other sessions' reapers may be running beside).
    const [node] = await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${CLUSTER}`] } });
    const session = node?.Labels[SESSION_LABEL];
    expect(session).toBeTruthy();
    expect(before.filter((l) => l.startsWith('container')).length).toBeGreaterThanOrEqual(4);
    expect(before.some((l) => l.startsWith('network'))).toBe(true);
    expect(before.some((l) => l.startsWith('volume'))).toBe(true);
    expect(before).toContain(`task container /mesos-${taskId}`);
    expect(before).toContain(`work dir ${join(workRoot, CLUSTER)}`);

    const killedAt = Date.now();
    child.kill('SIGKILL');
    await expect.poll(leftovers, { timeout: GRACE_MS + 60_000, interval: 500 }).toEqual([]);
    const reapedAfterMs = Date.now() - killedAt;
    console.log(`reaper: everything gone ${(reapedAfterMs / 1000).toFixed(1)} s after kill -9 (grace ${GRACE_MS / 1000} s)`);
    expect(reapedAfterMs).toBeGreaterThanOrEqual(GRACE_MS);
    // The reaper removes itself once done.
    await expect.poll(async () => (await docker.listContainers({ all: true, filters: { label: [`${REAPER_LABEL}=${session}`] } })).length, { timeout: 20_000 }).toBe(0);
  }, 240_000);

  it('says what it needs when the image cannot run it (no perl)', async () => {
    const error = await startReaper(docker, { image: 'mesoscope/task-base:test', daemonSocket: '/var/run/docker.sock', workRoot, startTimeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReaperError);
    expect((error as Error).message).toContain('it needs perl');
    expect((await docker.listContainers({ all: true, filters: { ancestor: ['mesoscope/task-base:test'], label: [REAPER_LABEL] } })).length).toBe(0);
  }, 60_000);
});
