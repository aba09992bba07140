// A minimal cluster launcher for scenario tests: ZooKeeper, masters and agents as
// containers from mesoscope/zookeeper:test and mesoscope/mesos-emulator:test, on host
// networking with loopback ports. Containers are named `mesoscope-scenario-<run>-<role>`,
// labelled `io.mesoscope.scenario=<run>`, and removed by `stop()` (or removeAll()).
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const ZK_IMAGE = process.env.MESOSCOPE_ZK_IMAGE ?? 'mesoscope/zookeeper:test';
export const EMULATOR_IMAGE = process.env.MESOSCOPE_EMULATOR_IMAGE ?? 'mesoscope/mesos-emulator:test';
export const LABEL = 'io.mesoscope.scenario';

/** Unusual loopback ports, overridable through MESOSCOPE_SCENARIO_PORT_BASE (default 42000). */
export function scenarioPorts(base = Number(process.env.MESOSCOPE_SCENARIO_PORT_BASE ?? 42000)) {
  return {
    zk: base + 181,
    masters: [base + 50, base + 49],
    agents: [base + 51, base + 52],
  };
}

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

export interface ScenarioCluster {
  run: string;
  zk: Node;
  masters: Node[];
  agents: Node[];
  zkUrl: string;
  startMaster(i: number): Promise<Node>;
  startAgent(i: number): Promise<Node>;
  logs(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function runContainer(run: string, role: string, image: string, env: Record<string, string>, cmd: string[]): Promise<string> {
  const name = `mesoscope-scenario-${run}-${role}`;
  // --pull never: images are built locally (testbed/images); no registry is ever contacted.
  const args = ['run', '-d', '--pull', 'never', '--name', name, '--network', 'host', '--label', `${LABEL}=${run}`, '--label', `${LABEL}.role=${role}`];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  await docker([...args, image, ...cmd]);
  return name;
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
}

/** Starts ZooKeeper only; masters and agents are started by the returned cluster's methods. */
export async function launch(opts: LaunchOptions = {}): Promise<ScenarioCluster> {
  const run = opts.run ?? `${process.pid}-${Date.now().toString(36)}`;
  const ports = opts.ports ?? scenarioPorts();
  const zkName = await runContainer(run, 'zk', ZK_IMAGE, { ZOO_PORT: String(ports.zk), ZOO_CLIENT_ADDRESS: '127.0.0.1' }, []);
  const zkUrl = `zk://127.0.0.1:${ports.zk}/mesos`;
  const masters: Node[] = [];
  const agents: Node[] = [];
  const cluster: ScenarioCluster = {
    run,
    zk: { name: zkName, port: ports.zk, url: `127.0.0.1:${ports.zk}` },
    masters,
    agents,
    zkUrl,
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
    async startAgent(i) {
      const port = ports.agents[i]!;
      const first = 31000 + 1000 * i;
      const name = await runContainer(
        run,
        `agent-${i + 1}`,
        EMULATOR_IMAGE,
        // Configured through MESOS_* like a real agent image, to exercise the env path.
        { MESOS_SYSTEMD_ENABLE_SUPPORT: 'false', MESOS_SWITCH_USER: 'false', MESOS_DOCKER_KILL_ORPHANS: 'false' },
        [
          'mesos-agent',
          '--ip=127.0.0.1',
          `--port=${port}`,
          '--hostname=127.0.0.1',
          `--master=${zkUrl}`,
          `--work_dir=/var/lib/mesos/agent${i + 1}`,
          '--log_dir=/var/log/mesos',
          '--containerizers=docker,mesos',
          '--launcher=posix',
          '--isolation=posix/cpu,posix/mem',
          `--resources=cpus:2;mem:2048;disk:4096;ports:[${first}-${first + 99}]`,
        ],
      );
      const node = { name, port, url: `http://127.0.0.1:${port}` };
      agents[i] = node;
      return node;
    },
    logs: async (name) => {
      const { stdout, stderr } = await exec('docker', ['logs', name], { maxBuffer: 64 * 1024 * 1024 });
      return stdout + stderr;
    },
    stop: () => removeAll(run),
  };
  try {
    await waitFor('ZooKeeper', async () => ((await zkOk(ports.zk)) ? true : undefined), 60_000, 500);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
