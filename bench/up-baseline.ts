/**
 * bench:up's baseline: the same cluster (1 ZooKeeper, 1 master, N agents on the host network) started
 * with the docker CLI and checked with probes written here. Nothing it times comes from the app, so the
 * engine's figure is compared with what a plain script would take, not with the engine's own code (only
 * its report of a node that stopped shares the engine's way of quoting a log).
 * The container parameters are written from the Mesos flags themselves (as in a `docker run` recipe),
 * to be equivalent to what the engine gives its nodes: same images, same network, same flags that
 * matter to start-up (ZooKeeper leader election, docker + mesos containerizers, posix launcher).
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lastLinesWithCause } from '../electron/engine/container-logs';

const run = promisify(execFile);
const HOST = '127.0.0.1';
/** Every container the baseline starts carries this label; clean-up finds them by it alone. */
export const BASELINE_LABEL = 'io.mesoscope.bench=up-baseline';

export interface ImageSet {
  /** How the set is called on the command line and in the output. */
  name: 'emulator' | 'mesos';
  zookeeper: string;
  mesos: string;
}

export interface BaselineTimes {
  /** From the first `docker run` to every agent registered with the leader. */
  upMs: number;
  /** `docker rm -f -v` of every container. */
  destroyMs: number;
}

/** Whether the docker daemon has `image` (no pull is attempted: the bench runs on cached images). */
export async function imageExists(image: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', '--format', '{{.Id}}', image]).then(
    () => true,
    () => false,
  );
}

/**
 * Where the image keeps its docker CLI (the agent's --docker): real Mesos images differ (/usr/bin,
 * /usr/local/bin). Asked once, before any timing; undefined when the image has none (the emulator
 * drives Docker through the socket and needs no CLI).
 */
export async function dockerCliOf(image: string): Promise<string | undefined> {
  const { stdout } = await run('docker', ['run', '--rm', '--label', BASELINE_LABEL, '--entrypoint', 'sh', image, '-c', 'command -v docker || true']);
  return stdout.trim() || undefined;
}

/** Ports nothing listens on now, from the kernel (bind to 0). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, HOST, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (!address || typeof address === 'string') throw new Error('no port from the kernel');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Starts the cluster, waits until it is ready, removes it; returns both times. */
export async function baselineRound(options: { images: ImageSet; agents: number; workRoot: string; dockerCli: string | undefined; tag: string }): Promise<BaselineTimes> {
  const { images, agents, workRoot, dockerCli, tag } = options;
  const [zkPort, masterPort, ...agentPorts] = await freePorts(2 + agents);
  if (zkPort === undefined || masterPort === undefined) throw new Error('no free ports');
  const zk = `zk://${HOST}:${zkPort}/mesos`;
  const names: string[] = [];
  const dockerRun = async (name: string, args: string[]) => {
    names.push(name);
    await run('docker', ['run', '-d', '--name', name, '--label', BASELINE_LABEL, '--network', 'host', ...args]);
  };
  const agentDirs = agentPorts.map((port) => join(workRoot, `${tag}-agent-${port}`));
  await Promise.all(agentDirs.map((dir) => mkdir(dir, { recursive: true })));

  const started = performance.now();
  try {
    // This image's zk-start takes the client address and port from these two variables.
    await dockerRun(`${tag}-zk`, ['-e', `ZOO_PORT=${zkPort}`, '-e', `ZOO_CLIENT_ADDRESS=${HOST}`, images.zookeeper]);
    await until(() => ruok(zkPort), `ZooKeeper on ${zkPort} answering ruok`);

    await dockerRun(`${tag}-master`, [
      '--init',
      '--mount',
      'type=volume,target=/var/lib/mesos/master',
      '--entrypoint',
      'mesos-master',
      images.mesos,
      `--zk=${zk}`,
      '--quorum=1',
      `--ip=${HOST}`,
      `--port=${masterPort}`,
      `--hostname=${HOST}`,
      '--work_dir=/var/lib/mesos/master',
      `--cluster=${tag}`,
    ]);
    await until(() => leads(masterPort), `the master on ${masterPort} elected`);

    await Promise.all(
      agentPorts.map((port, i) => {
        const dir = agentDirs[i] as string;
        return dockerRun(`${tag}-agent-${i + 1}`, [
          '--init',
          '--pid',
          'host',
          '--cap-add',
          'SYS_ADMIN',
          '--cap-add',
          'SYS_PTRACE',
          '-v',
          '/var/run/docker.sock:/var/run/docker.sock',
          '-v',
          `${dir}:${dir}`,
          '--entrypoint',
          'mesos-agent',
          images.mesos,
          `--master=${zk}`,
          `--ip=${HOST}`,
          `--port=${port}`,
          `--hostname=${HOST}`,
          `--work_dir=${dir}`,
          `--resources=cpus:1;mem:1024;disk:4096;ports:[${41000 + i * 100}-${41099 + i * 100}]`,
          '--containerizers=docker,mesos',
          ...(dockerCli ? [`--docker=${dockerCli}`] : []),
          '--docker_socket=/var/run/docker.sock',
          // Agents sharing one daemon must not kill each other's task containers.
          '--docker_kill_orphans=false',
          // No systemd, no cgroups, no user switching inside a container without privileges.
          '--systemd_enable_support=false',
          '--switch_user=false',
          '--launcher=posix',
          '--isolation=posix/cpu,posix/mem',
        ]);
      }),
    );
    await until(() => registered(masterPort, agentPorts), `${agents} agents registered`);
    const upMs = performance.now() - started;
    const removing = performance.now();
    await remove(names);
    return { upMs, destroyMs: performance.now() - removing };
  } catch (err) {
    const why = await whatStopped(names).catch(() => '');
    await remove(names).catch(() => undefined);
    throw new Error(`${err instanceof Error ? err.message : String(err)}${why}`, { cause: err });
  }
}

/** The state of each container, with the last log lines of those no longer running. */
async function whatStopped(names: string[]): Promise<string> {
  const lines: string[] = [];
  for (const name of names) {
    const { stdout } = await run('docker', ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name]);
    const [status, code] = stdout.trim().split(' ');
    lines.push(`  ${name}: ${status}${status === 'running' ? '' : ` (exit ${code})`}`);
    if (status !== 'running') {
      const logs = await run('docker', ['logs', '--tail', '100', name]);
      lines.push(...lastLinesWithCause(`${logs.stdout}${logs.stderr}`.split('\n'), 8).map((l) => `    ${l}`));
    }
  }
  return `\n${lines.join('\n')}`;
}

/** Removes the named containers and their anonymous volumes. */
async function remove(names: string[]): Promise<void> {
  if (names.length > 0) await run('docker', ['rm', '-f', '-v', ...names]);
}

/** Every container of the baseline still there (after a crash): the count. */
export async function baselineLeftovers(): Promise<number> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=${BASELINE_LABEL}`]);
  return stdout.split('\n').filter(Boolean).length;
}

/** Polls `probe` every 50 ms (the engine's own interval) for at most 60 s. */
async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`baseline: ${what} not within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let answer = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.end('ruok'));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer === 'imok'));
    socket.on('error', () => undefined);
  });
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A master that leads answers its redirect endpoint with 307 to itself. */
async function leads(port: number): Promise<boolean> {
  const res = await httpGet(port, '/master/redirect');
  return res.status === 307;
}

/** Every agent port listed as an active agent by the master. */
async function registered(masterPort: number, agentPorts: number[]): Promise<boolean> {
  const res = await httpGet(masterPort, '/master/slaves');
  if (res.status !== 200) return false;
  const { slaves = [] } = JSON.parse(res.body) as { slaves?: { hostname: string; port: number; active: boolean }[] };
  return agentPorts.every((port) => slaves.some((s) => s.hostname === HOST && s.port === port && s.active));
}
