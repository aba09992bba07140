import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClusterSpecInput } from '@shared/cluster/spec';
import type { ClusterSummary, LaunchProgress } from '@shared/cluster/status';
import { ClusterEngine } from './cluster-engine';
import { ensureImage, type PullProgress } from './images';
import { LABEL } from './naming';
import { DEFAULT_CLAIMS_DIR } from './port-claims';

// Integration: the real Docker daemon and the testbed images (ZooKeeper for real, the Mesos emulator
// for masters and agents), host networking on loopback.
// A launch of several nodes and its destroy (work dirs through a helper container) take longer than
// the default 20 s while other test runs share the 2 cores.
vi.setConfig({ testTimeout: 90_000 });
const docker = new Dockerode();
const images = { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' };
const base = { images, pullPolicy: 'never' as const, network: 'host' as const, timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 } };
let workRoot: string;
const engine = () => new ClusterEngine({ docker: () => docker, workRoot, readyTimeoutMs: 60_000 });

async function labelled(cluster: string) {
  const filters = { label: [`${LABEL.cluster}=${cluster}`] };
  const [containers, networks, { Volumes }] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return containers.length + networks.length + (Volumes?.length ?? 0);
}

/**
 * The agent image as the loopback registry's: pushed there, then its local name removed, so a launch
 * pulls it (the other images are local: no other registry is ever asked).
 */
async function agentImageToPull(): Promise<string> {
  const pulled = '127.0.0.1:5000/mesoscope/mesos-emulator:test';
  await docker.getImage(images.agent).tag({ repo: '127.0.0.1:5000/mesoscope/mesos-emulator', tag: 'test' });
  execFileSync('docker', ['push', '--quiet', pulled]);
  await docker.getImage(pulled).remove();
  return pulled;
}

/**
 * An image of one layer no other image has, in the loopback registry and not here, so that pulling it
 * really downloads its layer. Not the task image: files running beside this one use it, so it could
 * not be removed here (its layers stayed, the pull downloaded nothing), and they would miss it meanwhile.
 * The layer is the same every run (fixed bytes, fixed tar metadata): the registry keeps one copy.
 */
async function imageOnlyInRegistry(): Promise<string> {
  const image = '127.0.0.1:5000/mesoscope/pull-progress:test';
  const dir = await mkdtemp(join(tmpdir(), 'mesoscope-pull-'));
  try {
    // 256 KiB that do not compress (a hash chain), so the layer has bytes to report.
    const blocks = [createHash('sha256').update('mesoscope pull progress').digest()];
    while (blocks.length < 8192) blocks.push(createHash('sha256').update(blocks.at(-1)!).digest());
    await writeFile(join(dir, 'payload'), Buffer.concat(blocks));
    execFileSync('bash', ['-c', 'tar -C "$1" --mtime=@0 --owner=0 --group=0 --numeric-owner -c payload | docker import - "$2" > /dev/null', '_', dir, image]);
    execFileSync('docker', ['push', '--quiet', image]);
    await docker.getImage(image).remove();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return image;
}

const portsOf = (c: ClusterSummary) => [c.layout.zookeeper.port, ...c.layout.masters.map((m) => m.port), ...c.layout.agents.map((a) => a.port)];

async function masterSlaves(address: string): Promise<{ id: string; active: boolean }[]> {
  const res = await fetch(`http://${address}/master/slaves`);
  return ((await res.json()) as { slaves: { id: string; active: boolean }[] }).slaves;
}

/** The names of the clusters this file makes (int-*, and r1…r8 of the refusals). */
const OURS = /^(int-[a-z0-9-]+|r\d)$/;

// Task containers the tests start by name (a failed earlier run may have left them).
const FAKE_TASKS = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-work-'));
  for (const id of FAKE_TASKS) await docker.getContainer(`mesos-${id}`).remove({ force: true }).catch(() => undefined);
});

afterAll(async () => {
  // Only this file's clusters: a developer's own clusters on the same daemon stay.
  const e = engine();
  for (const c of await e.list()) if (OURS.test(c.name)) await e.destroy(c.name);
  for (const id of FAKE_TASKS) await docker.getContainer(`mesos-${id}`).remove({ force: true }).catch(() => undefined);
  await rm(workRoot, { recursive: true, force: true });
});

describe('the cluster engine with a real Docker daemon', () => {
  it('launches 1 ZooKeeper + 1 master + 3 agents, grows, stops a node, is rediscovered and leaves nothing behind', async () => {
    const e = engine();
    const progress: LaunchProgress[] = [];
    const stop = e.onProgress((p) => progress.push(p));
    const cluster = await e.create({ ...base, name: 'int-a', agents: { count: 3 } } satisfies ClusterSpecInput);
    stop();

    expect(cluster.completeness).toBe('complete');
    expect(cluster.nodes.map((n) => [n.name, n.state])).toEqual([
      ['mesoscope-int-a-zookeeper-1', 'running'],
      ['mesoscope-int-a-master-1', 'running'],
      ['mesoscope-int-a-agent-1', 'running'],
      ['mesoscope-int-a-agent-2', 'running'],
      ['mesoscope-int-a-agent-3', 'running'],
    ]);
    expect(cluster.mesos).toEqual({ version: '1.12.0', emulator: true });
    const master = cluster.nodes.find((n) => n.role === 'master')?.address ?? '';
    expect((await masterSlaves(master)).filter((s) => s.active)).toHaveLength(3);
    // Every node went through its steps to ready, ZooKeeper first.
    const readyOrder = progress.filter((p) => p.step === 'ready').map((p) => p.node);
    expect(readyOrder[0]).toBe('mesoscope-int-a-zookeeper-1');
    expect(new Set(readyOrder)).toEqual(new Set(cluster.nodes.map((n) => n.name)));

    const grown = await e.addAgent('int-a', { resources: { cpus: 0.5, mem: 256 } });
    expect(grown.nodes.filter((n) => n.role === 'agent')).toHaveLength(4);
    expect((await masterSlaves(master)).filter((s) => s.active)).toHaveLength(4);
    // Task port ranges of 100 from Mesos' default 31000 on, one per agent (another cluster on the daemon holds others).
    const begins = grown.layout.agents.map((a) => a.taskPorts.begin);
    expect(new Set(begins).size).toBe(4);
    for (const a of grown.layout.agents) expect([a.taskPorts.begin % 100, a.taskPorts.end - a.taskPorts.begin, a.taskPorts.begin >= 31000]).toEqual([0, 99, true]);

    await e.nodeAction('int-a', 'mesoscope-int-a-agent-2', 'stop');
    const afterStop = await e.get('int-a');
    expect(afterStop.nodes.find((n) => n.name === 'mesoscope-int-a-agent-2')).toMatchObject({ state: 'exited' });

    // A second engine (the app restarted) sees the same cluster from Docker's labels alone.
    const again = await engine().get('int-a');
    expect(again.layout).toEqual(grown.layout);
    expect(again.nodes.map((n) => n.state)).toEqual(afterStop.nodes.map((n) => n.state));

    // Remove a middle agent (the stopped one) that had started a task container: the container and
    // the agent's work dir go with it, and the other agents keep their names, ports and work dirs.
    const agent2 = grown.layout.agents.find((a) => a.index === 2);
    const orphanId = 'cccccccc-0000-4000-8000-000000000003';
    await mkdir(join(agent2?.workDir ?? '', 'slaves', 'S1', 'frameworks', 'F0', 'executors', 't2', 'runs', orphanId), { recursive: true });
    await (await docker.createContainer({ name: `mesos-${orphanId}`, Image: 'mesoscope/task-base:test', Cmd: ['sleep', '300'] })).start();
    const shrunk = await e.removeAgent('int-a', 2);
    const agentNames = (c: typeof shrunk) => c.nodes.filter((n) => n.role === 'agent').map((n) => n.name);
    expect(agentNames(shrunk)).toEqual(['mesoscope-int-a-agent-1', 'mesoscope-int-a-agent-3', 'mesoscope-int-a-agent-4']);
    await expect(docker.getContainer(`mesos-${orphanId}`).inspect()).rejects.toThrow();
    await expect(stat(agent2?.workDir ?? '')).rejects.toThrow();

    // Start the cluster again and grow it: every agent comes up where it was, the new one gets index 5.
    const regrown = await e.addAgent('int-a');
    expect(agentNames(regrown)).toEqual(['mesoscope-int-a-agent-1', 'mesoscope-int-a-agent-3', 'mesoscope-int-a-agent-4', 'mesoscope-int-a-agent-5']);
    expect(regrown.nodes.every((n) => n.state === 'running')).toBe(true);
    expect((await masterSlaves(master)).filter((s) => s.active)).toHaveLength(4);
    for (const agent of regrown.layout.agents) {
      const env = (await docker.getContainer(`mesoscope-int-a-agent-${agent.index}`).inspect()).Config.Env;
      expect(env).toContain(`MESOS_PORT=${agent.port}`);
      expect(env).toContain(`MESOS_WORK_DIR=${agent.workDir}`);
    }

    // A task container this cluster's agent started (its ContainerID names a sandbox run), and one
    // that merely shares the mesos- prefix.
    const ours = 'aaaaaaaa-0000-4000-8000-000000000001';
    const foreign = 'bbbbbbbb-0000-4000-8000-000000000002';
    const runs = join(grown.layout.agents[0]?.workDir ?? '', 'slaves', 'S0', 'frameworks', 'F0', 'executors', 't1', 'runs');
    await mkdir(join(runs, ours), { recursive: true });
    await writeFile(join(runs, ours, 'stdout'), 'hello\n');
    for (const id of [ours, foreign]) {
      const c = await docker.createContainer({ name: `mesos-${id}`, Image: 'mesoscope/task-base:test', Cmd: ['sleep', '300'] });
      await c.start();
    }

    const report = await e.destroy('int-a');
    expect(report).toMatchObject({ containers: 7, taskContainers: 1, leftovers: [] });
    expect(await labelled('int-a')).toBe(0);
    await expect(stat(join(workRoot, 'int-a'))).rejects.toThrow();
    await expect(docker.getContainer(`mesos-${ours}`).inspect()).rejects.toThrow();
    expect((await docker.getContainer(`mesos-${foreign}`).inspect()).State.Running).toBe(true);
    await docker.getContainer(`mesos-${foreign}`).remove({ force: true });
    await expect(engine().get('int-a')).rejects.toThrow('No cluster named "int-a"');
  });

  it('leaves a launch cut short as a partial cluster that Resume completes; stops and starts it; Destroy removes it', async () => {
    const e = engine();
    const controller = new AbortController();
    // Stop the launch the moment the master is ready, as if the app had been killed then.
    const stop = e.onProgress((p) => p.node === 'mesoscope-int-b-master-1' && p.step === 'ready' && controller.abort());
    await expect(e.create({ ...base, name: 'int-b', agents: { count: 2 } }, { signal: controller.signal })).rejects.toThrow();
    stop();

    const half = await engine().get('int-b');
    expect(half.completeness).toBe('partial');
    expect(half.nodes.filter((n) => n.role === 'agent').map((n) => n.state)).toEqual(['missing', 'missing']);

    const resumed = await engine().resume('int-b');
    expect(resumed.completeness).toBe('complete');
    expect(resumed.nodes.every((n) => n.state === 'running')).toBe(true);
    expect((await masterSlaves(resumed.nodes[1]?.address ?? '')).filter((s) => s.active)).toHaveLength(2);

    // The whole cluster stopped, then started again: every node comes back and the agents re-register.
    const stopped = await e.stop('int-b');
    expect(stopped.nodes.map((n) => n.state)).toEqual(['exited', 'exited', 'exited', 'exited']);
    const started = await e.resume('int-b');
    expect(started.nodes.map((n) => n.state)).toEqual(['running', 'running', 'running', 'running']);
    expect((await masterSlaves(started.nodes[1]?.address ?? '')).filter((s) => s.active)).toHaveLength(2);

    expect((await engine().destroy('int-b')).leftovers).toEqual([]);
    expect(await labelled('int-b')).toBe(0);
  });

  it('elects one leader among three masters, and runs two clusters side by side', async () => {
    const e = engine();
    const [ha, small] = await Promise.all([
      e.create({ ...base, name: 'int-ha', masters: { count: 3 }, agents: { count: 1 } }),
      e.create({ ...base, name: 'int-c', agents: { count: 1 } }),
    ]);
    const masters = ha.nodes.filter((n) => n.role === 'master');
    const leaders = await Promise.all(
      masters.map(async (m) => {
        const res = await fetch(`http://${m.address}/master/redirect`, { redirect: 'manual' });
        return res.headers.get('location');
      }),
    );
    expect(new Set(leaders).size).toBe(1);
    const elected = await Promise.all(
      masters.map(async (m) => ((await (await fetch(`http://${m.address}/metrics/snapshot`)).json()) as Record<string, number>)['master/elected']),
    );
    expect(elected.sort()).toEqual([0, 0, 1]);

    expect(portsOf(ha).filter((p) => portsOf(small).includes(p))).toEqual([]);
    expect(small.nodes.every((n) => n.state === 'running')).toBe(true);

    await Promise.all([e.destroy('int-ha'), e.destroy('int-c')]);
    expect((await labelled('int-ha')) + (await labelled('int-c'))).toBe(0);
  });

  it('takes other ports than a launch of another process (the CLI) that has not bound its own yet, still pulling its image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesoscope-claims-'));
    const specFile = join(dir, 'spec.yaml');
    const pulled = await agentImageToPull();
    await writeFile(specFile, `name: int-p1\nagents: { count: 1 }\npullPolicy: if-missing\nimages: { zookeeper: ${images.zookeeper}, master: ${images.master}, agent: ${pulled} }\n`);
    const cli = spawn(process.execPath, ['bin/mesoscope.cjs', 'up', '-f', specFile, '--yes'], {
      env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: workRoot },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      cli.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/ pulling +pulling /.test(stderr)) resolve();
      });
      void exited.then(() => reject(new Error(`up ended before it pulled: ${stderr}`)));
    });

    const e = engine();
    const here = await e.create({ ...base, name: 'int-p2', agents: { count: 1 } });
    expect(await exited, stderr).toBe(0);
    const there = await e.get('int-p1');
    expect(portsOf(here).filter((p) => portsOf(there).includes(p))).toEqual([]);
    expect([...here.nodes, ...there.nodes].every((n) => n.state === 'running')).toBe(true);

    await Promise.all([e.destroy('int-p1'), e.destroy('int-p2')]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('nodes that do not come up', () => {
  it('names a node whose command cannot run, and leaves the cluster partial', async () => {
    // busybox has no mesos-master: the container cannot even start.
    const launch = engine().create({ ...base, name: 'int-f1', images: { ...images, master: 'mesoscope/task-base:test' } });
    // Docker's init starts, then cannot exec the command: exit 127, and its log line says why.
    await expect(launch).rejects.toThrow(/^mesoscope-int-f1-master-1 exited with code 127 before it was ready\.\nLast log lines of mesoscope-int-f1-master-1:\n.*mesos-master/);
    expect((await engine().get('int-f1')).completeness).toBe('partial');
    await engine().destroy('int-f1');
  });

  it('names a node that never becomes ready, with its last log lines', async () => {
    const e = new ClusterEngine({ docker: () => docker, workRoot, readyTimeoutMs: 4000 });
    // The agent looks for its master in a ZooKeeper that is not there.
    const launch = e.create({ ...base, name: 'int-f2', agents: { count: 1, flags: { master: 'zk://127.0.0.1:1/mesos' } }, allowUnsafeFlags: ['master'] });
    const error = (await launch.catch((err: unknown) => err)) as Error & { node: string; logLines: string[] };
    expect(error.message).toMatch(/^mesoscope-int-f2-agent-1: registered with the leading master not within 4 s/);
    expect(error.node).toBe('mesoscope-int-f2-agent-1');
    expect(error.logLines.join('\n')).toContain('127.0.0.1:1');
    expect(error.message).toContain('Last log lines of mesoscope-int-f2-agent-1:');
    await e.destroy('int-f2');
  });
});

describe('destroy during a launch', () => {
  it('stops the launch first: a cluster destroyed while its image is pulled is not created afterwards', async () => {
    const pulled = await agentImageToPull();
    const e = engine();
    const pulling = new Promise<void>((resolve) => {
      const stop = e.onProgress((p) => {
        if (p.cluster === 'int-d' && p.step === 'pulling') {
          stop();
          resolve();
        }
      });
    });
    const launch = e.create({ ...base, name: 'int-d', pullPolicy: 'if-missing', images: { ...images, agent: pulled } });
    launch.catch(() => undefined);
    await pulling;
    const report = await e.destroy('int-d');
    await expect(launch).rejects.toThrow();
    expect(report.leftovers).toEqual([]);
    // Enough for a runaway launch to have created its nodes by now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await labelled('int-d')).toBe(0);
  });
});

describe('bridge networking (Docker Desktop)', () => {
  it('runs a cluster on its own bridge network, every port published on 127.0.0.1 only', async () => {
    const e = engine();
    const cluster = await e.create({ ...base, name: 'int-br', network: 'bridge', agents: { count: 2 } });
    expect(cluster.layout.network).toBe('bridge');
    const network = await docker.getNetwork('mesoscope-int-br').inspect();
    expect(Object.keys(network.Containers ?? {})).toHaveLength(4);
    for (const node of cluster.nodes) {
      const bindings = (await docker.getContainer(node.name).inspect()).HostConfig.PortBindings ?? {};
      const hostIps = Object.values(bindings).flatMap((list) => (list as { HostIp: string }[]).map((b) => b.HostIp));
      expect(hostIps.length).toBeGreaterThan(0);
      expect(new Set(hostIps)).toEqual(new Set(['127.0.0.1']));
    }
    const master = cluster.nodes.find((n) => n.role === 'master')?.address ?? '';
    expect((await masterSlaves(master)).filter((s) => s.active)).toHaveLength(2);
    expect((await e.destroy('int-br')).networks).toBe(1);
    expect(await labelled('int-br')).toBe(0);
  });
});

describe('refusals, each before anything is created', () => {
  const refused = async (input: unknown, expected: RegExp, e = engine()) => {
    await expect(e.create(input)).rejects.toThrow(expected);
    const name = (input as { name?: string }).name;
    if (typeof name === 'string') expect(await labelled(name)).toBe(0);
  };

  it('refuses invalid specs naming the field and the rule', async () => {
    await refused({ ...base, name: 'Bad Name' }, /^name: must be 1-32 lowercase/);
    await refused({ ...base, name: 'r1', agents: { list: [{}, { resources: { mem: 16 } }] } }, /agents\.list\[1\]\.resources\.mem: must be >= 32/);
    await refused({ ...base, name: 'r2', masters: { count: 2 } }, /masters\.count: must be 1 or 3/);
  });

  it('refuses a port that is in use', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await refused({ ...base, name: 'r3', masters: { port } }, new RegExp(`^masters.port: port ${port} on 127.0.0.1 is in use`));
    } finally {
      server.close();
    }
  });

  it('refuses a missing image under pull policy never, and a tag missing from the loopback registry', async () => {
    await refused(
      { ...base, name: 'r4', images: { ...images, agent: 'mesoscope/no-such-image:test' } },
      /images: mesoscope\/no-such-image:test is not present and pullPolicy is "never"/,
    );
    await refused(
      { ...base, name: 'r5', pullPolicy: 'if-missing', images: { ...images, agent: '127.0.0.1:5000/mesoscope/task-base:no-such-tag' } },
      /images: 127\.0\.0\.1:5000\/mesoscope\/task-base:no-such-tag is not present and cannot be pulled \(.*manifest unknown/,
    );
  });

  it('refuses when Docker is unreachable', async () => {
    const away = new ClusterEngine({ docker: () => new Dockerode({ socketPath: join(workRoot, 'no-docker.sock') }), workRoot });
    await refused({ ...base, name: 'r6' }, /^Docker is not reachable: .*ENOENT/, away);
  });

  it('refuses a second launch of a name that is being launched', async () => {
    const e = engine();
    const results = await Promise.allSettled([e.create({ ...base, name: 'r8' }), e.create({ ...base, name: 'r8' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(String(refusal?.reason)).toContain('name: "r8" is being launched already');
    await e.destroy('r8');
    expect(await labelled('r8')).toBe(0);
  });

  it('refuses a name that another process is launching, naming its pid', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const claim = join(DEFAULT_CLAIMS_DIR, 'r9.json');
    await mkdir(DEFAULT_CLAIMS_DIR, { recursive: true });
    await writeFile(claim, JSON.stringify({ pid: other.pid, ports: [], ranges: [] }));
    try {
      await expect(engine().create({ ...base, name: 'r9' })).rejects.toThrow(`name: "r9" is being launched or changed by another Mesoscope process (pid ${other.pid})`);
      expect(await labelled('r9')).toBe(0);
    } finally {
      other.kill();
      await rm(claim, { force: true });
    }
  });

  it('refuses a name that is taken', async () => {
    const c = await docker.createContainer({ name: 'mesoscope-r7-zookeeper-1', Image: 'mesoscope/task-base:test', Cmd: ['true'] });
    try {
      await expect(engine().create({ ...base, name: 'r7' })).rejects.toThrow(/^name: containers named mesoscope-r7-zookeeper-1 exist already/);
    } finally {
      await c.remove({ force: true });
    }
  });
});

describe('pulling from the loopback registry', () => {
  it('reports bytes per layer while pulling', async () => {
    const image = await imageOnlyInRegistry();
    const seen: PullProgress[] = [];
    try {
      expect(await ensureImage(docker, image, 'if-missing', { onProgress: (p) => seen.push(p) })).toBe('pulled');
    } finally {
      await docker.getImage(image).remove().catch(() => undefined);
    }
    const last = seen.at(-1);
    expect(last?.total).toBeGreaterThan(0);
    expect(last?.current).toBe(last?.total);
    expect(Object.keys(last?.layers ?? {}).length).toBeGreaterThan(0);
  });
});
