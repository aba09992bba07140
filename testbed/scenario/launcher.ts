// A minimal cluster launcher for scenario tests: ZooKeeper, masters and agents as
// containers from mesoscope/zookeeper:test and mesoscope/mesos-emulator:test, on host
// networking with loopback ports. Containers are named `mesoscope-scenario-<run>-<role>`,
// labelled `io.mesoscope.scenario=<run>`, and removed by `stop()` (or removeAll()).
// Agents run tasks as containers on the host daemon (the socket is mounted) with their
// work_dir bound at the same path on both sides (docs/mesos/api.md §7.4); `stop()` also removes those
// task containers (found through the sandboxes, never by the `mesos-` prefix) and the work dirs.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const ZK_IMAGE = process.env.MESOSCOPE_ZK_IMAGE ?? 'mesoscope/zookeeper:test';
export const EMULATOR_IMAGE = process.env.MESOSCOPE_EMULATOR_IMAGE ?? 'mesoscope/mesos-emulator:test';
export const LABEL = 'io.mesoscope.scenario';

/**
 * Unusual loopback ports, overridable through MESOSCOPE_SCENARIO_PORT_BASE (default 26000): below
 * Linux's ephemeral ports (32768–60999), which any outgoing connection may hold when an agent binds.
 */
export function scenarioPorts(base = Number(process.env.MESOSCOPE_SCENARIO_PORT_BASE ?? 26000)) {
  return {
    zk: base + 181,
    masters: [base + 50, base + 49],
    agents: [base + 51, base + 52, base + 53, base + 54, base + 55],
  };
}

/** Task port range of agent i: 28000 + 100 i … +99 (the engine's tests use 31000–31999). */
export const taskPorts = (i: number) => ({ begin: 28000 + 100 * i, end: 28099 + 100 * i });

export async function docker(args: string[], timeoutMs = 120_000): Promise<string> {
  const { stdout } = await exec('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Images that are not present locally (never pulled: registries are off limits). */
export async function missingImages(images = [ZK_IMAGE, EMULATOR_IMAGE]): Promise<string[]> {
  const missing: string[] = [];
  for (const image of images) {
    try {
      await docker(['image', 'inspect', '--format', '{{.Id}}', image], 20_000);
    } catch {
      missing.push(image);
    }
  }
  return missing;
}

/** Removes every scenario container (of one run, or of all runs). */
export async function removeAll(run?: string): Promise<void> {
  const filter = run ? `label=${LABEL}=${run}` : `label=${LABEL}`;
  const ids = (await docker(['ps', '-aq', '--filter', filter])).split('\n').filter(Boolean);
  if (ids.length > 0) await docker(['rm', '-f', '-v', ...ids]);
}

export interface Node {
  name: string;
  port: number;
  url: string;
}

export interface AgentNode extends Node {
  workDir: string;
}

export interface AgentOptions {
  /** Flags added to (or overriding) the defaults below. */
  flags?: string[];
  /** MESOS_* variables added to (or overriding) the defaults. */
  env?: Record<string, string>;
}

export interface ScenarioCluster {
  run: string;
  zk: Node;
  masters: Node[];
  agents: AgentNode[];
  zkUrl: string;
  /** Host folder holding the agents' work dirs (bound at the same path in their containers). */
  workRoot: string;
  startMaster(i: number): Promise<Node>;
  startAgent(i: number, opts?: AgentOptions): Promise<AgentNode>;
  logs(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function runContainer(
  run: string,
  role: string,
  image: string,
  env: Record<string, string>,
  cmd: string[],
  binds: string[] = [],
): Promise<string> {
  const name = `mesoscope-scenario-${run}-${role}`;
  // --pull never: images are built locally (testbed/images); no registry is ever contacted.
  const args = ['run', '-d', '--pull', 'never', '--name', name, '--network', 'host', '--label', `${LABEL}=${run}`, '--label', `${LABEL}.role=${role}`];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  for (const b of binds) args.push('-v', b);
  await docker([...args, image, ...cmd]);
  return name;
}

/** ContainerIDs of the runs under a work dir (slaves/*\/frameworks/*\/executors/*\/runs/<id>, docs/mesos/api.md §5.3). */
export function sandboxContainerIds(workDir: string): string[] {
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir).filter((n) => n !== 'latest');
    } catch {
      return [];
    }
  };
  const ids: string[] = [];
  const slaves = path.join(workDir, 'slaves');
  for (const a of list(slaves)) {
    for (const f of list(path.join(slaves, a, 'frameworks'))) {
      for (const e of list(path.join(slaves, a, 'frameworks', f, 'executors'))) ids.push(...list(path.join(slaves, a, 'frameworks', f, 'executors', e, 'runs')));
    }
  }
  return ids;
}

/** Removes the task containers of the runs under `root` (any depth of agent work dirs). */
export async function removeTaskContainers(root: string): Promise<void> {
  const names = fs.existsSync(root)
    ? fs.readdirSync(root).flatMap((d) => sandboxContainerIds(path.join(root, d))).map((id) => `mesos-${id}`)
    : [];
  for (let i = 0; i < names.length; i += 20) await docker(['rm', '-f', '-v', ...names.slice(i, i + 20)]).catch(() => undefined);
}

/** Agents write root-owned sandboxes: delete through a short-lived container when the test user cannot. */
async function removeWorkRoot(run: string, root: string): Promise<void> {
  try {
    fs.rmSync(root, { recursive: true, force: true });
    return;
  } catch {
    /* not ours to delete */
  }
  const parent = path.dirname(root);
  await docker(['run', '--rm', '--pull', 'never', '--name', `mesoscope-scenario-${run}-cleanup`, '--network', 'none', '-v', `${parent}:/parent`, EMULATOR_IMAGE, 'rm', '-rf', `/parent/${path.basename(root)}`]).catch(() => undefined);
}

function zkOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.setTimeout(1000, () => s.destroy());
    s.on('connect', () => s.write('ruok'));
    s.on('data', (d) => (data += d.toString()));
    s.on('close', () => resolve(data === 'imok'));
    s.on('error', () => resolve(false));
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
}

export interface LaunchOptions {
  run?: string;
  ports?: ReturnType<typeof scenarioPorts>;
  /** Master flags added to the recording's ones. */
  masterFlags?: string[];
  /** Host folder for the agents' work dirs (default: a fresh one under the temp dir). */
  workRoot?: string;
}

/** Starts ZooKeeper only; masters and agents are started by the returned cluster's methods. */
export async function launch(opts: LaunchOptions = {}): Promise<ScenarioCluster> {
  const run = opts.run ?? `${process.pid}-${Date.now().toString(36)}`;
  const ports = opts.ports ?? scenarioPorts();
  const zkName = await runContainer(run, 'zk', ZK_IMAGE, { ZOO_PORT: String(ports.zk), ZOO_CLIENT_ADDRESS: '127.0.0.1' }, []);
  const zkUrl = `zk://127.0.0.1:${ports.zk}/mesos`;
  const masters: Node[] = [];
  const agents: AgentNode[] = [];
  const workRoot = opts.workRoot ?? path.join(os.tmpdir(), `mesoscope-scenario-${run}`);
  fs.mkdirSync(workRoot, { recursive: true });
  const cluster: ScenarioCluster = {
    run,
    zk: { name: zkName, port: ports.zk, url: `127.0.0.1:${ports.zk}` },
    masters,
    agents,
    zkUrl,
    workRoot,
    async startMaster(i) {
      const port = ports.masters[i]!;
      const name = await runContainer(run, `master-${i + 1}`, EMULATOR_IMAGE, {}, [
        'mesos-master',
        '--ip=127.0.0.1',
        `--port=${port}`,
        '--hostname=127.0.0.1',
        `--zk=${zkUrl}`,
        '--quorum=1',
        '--registry=in_memory',
        '--agent_ping_timeout=1secs',
        '--max_agent_ping_timeouts=3',
        `--work_dir=/var/lib/mesos/m${i + 1}`,
        '--log_dir=/var/log/mesos',
        ...(opts.masterFlags ?? []),
      ]);
      const node = { name, port, url: `http://127.0.0.1:${port}` };
      masters[i] = node;
      return node;
    },
    async startAgent(i, agentOpts = {}) {
      const port = ports.agents[i]!;
      const tp = taskPorts(i);
      const workDir = path.join(workRoot, `agent${i + 1}`);
      fs.mkdirSync(workDir, { recursive: true });
      const defaults = [
        '--ip=127.0.0.1',
        `--port=${port}`,
        '--hostname=127.0.0.1',
        `--master=${zkUrl}`,
        `--work_dir=${workDir}`,
        '--log_dir=/var/log/mesos',
        '--containerizers=docker,mesos',
        '--launcher=posix',
        '--isolation=posix/cpu,posix/mem',
        `--resources=cpus:2;mem:2048;disk:4096;ports:[${tp.begin}-${tp.end}]`,
      ];
      const override = new Set((agentOpts.flags ?? []).map((f) => f.replace(/^--(no-)?/, '').split('=')[0]));
      const name = await runContainer(
        run,
        `agent-${i + 1}`,
        EMULATOR_IMAGE,
        // Configured through MESOS_* like a real agent image, to exercise the env path. Several agents
        // share one daemon: orphan killing would remove the others' tasks (docs/mesos/api.md §0.14).
        { MESOS_SYSTEMD_ENABLE_SUPPORT: 'false', MESOS_SWITCH_USER: 'false', MESOS_DOCKER_KILL_ORPHANS: 'false', ...agentOpts.env },
        ['mesos-agent', ...defaults.filter((f) => !override.has(f.replace(/^--/, '').split('=')[0]!)), ...(agentOpts.flags ?? [])],
        ['/var/run/docker.sock:/var/run/docker.sock', `${workDir}:${workDir}`],
      );
      const node = { name, port, url: `http://127.0.0.1:${port}`, workDir };
      agents[i] = node;
      return node;
    },
    logs: async (name) => {
      const { stdout, stderr } = await exec('docker', ['logs', name], { maxBuffer: 64 * 1024 * 1024 });
      return stdout + stderr;
    },
    stop: async () => {
      await removeAll(run);
      await removeTaskContainers(workRoot);
      await removeWorkRoot(run, workRoot);
    },
  };
  try {
    await waitFor('ZooKeeper', async () => ((await zkOk(ports.zk)) ? true : undefined), 60_000, 500);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
