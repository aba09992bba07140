// The contract suite's cluster on real Apache Mesos (MESOSCOPE_TEST_MESOS_IMAGE, testbed/real-mesos):
// one master and N agents as containers of that image, with host networking and exactly the flags of
// support/cluster.ts (the recording's), so the same assertions run against Mesos itself. The cluster's
// folder is bound at the same path inside every container: log_dir, work_dir and the sandboxes the
// host daemon mounts into task containers are where the emulator would have put them.
// Containers are named mesoscope-contract-<pid>-<n>-<role> and labelled io.mesoscope.contract-live.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import type { AgentHandle, MasterHandle } from '../../mesos-emulator/src/index';
import { MESOS_TEST_IMAGE } from '../../real-mesos/images';
import { agentFlags, masterFlags, tempDir, type Cluster } from './cluster';

const exec = promisify(execFile);
export const LIVE_LABEL = 'io.mesoscope.contract-live';
let clusters = 0;

async function docker(args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await exec('docker', args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** A port nothing listens on now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const flagArgs = (flags: Record<string, string | number | boolean>) =>
  Object.entries(flags).map(([k, v]) => (typeof v === 'boolean' ? (v ? `--${k}` : `--no-${k}`) : `--${k}=${v}`));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, logsOf?: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const logs = logsOf ? await exec('docker', ['logs', '--tail', '20', logsOf]).then((r) => r.stdout + r.stderr, () => '') : '';
      throw new Error(`real Mesos: no ${what} within ${timeoutMs} ms${logs ? `; last log lines of ${logsOf}:\n${logs}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function getJson(url: string): Promise<unknown> {
  const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

export async function startLiveCluster(opts: { masters?: number; agents?: number } = {}): Promise<Cluster> {
  if ((opts.masters ?? 1) !== 1) throw new Error('the live contract cluster runs one master (HA needs ZooKeeper: the HA files stay on the emulator)');
  const dir = tempDir('live');
  const run = `${process.pid}-${++clusters}`;
  const names: string[] = [];
  const start = async (role: string, args: string[]) => {
    const name = `mesoscope-contract-${run}-${role}`;
    names.push(name);
    await docker([
      'run', '-d', '--name', name, '--label', `${LIVE_LABEL}=${run}`, '--network', 'host', '--init',
      '-v', `${dir}:${dir}`, ...args,
    ]);
    return name;
  };
  const stopAll = async () => {
    if (names.length) await docker(['rm', '-f', '-v', ...names]).catch(() => undefined);
  };
  try {
    const port = await freePort();
    const mFlags: Record<string, string | number | boolean> = { ...masterFlags(`${dir}/m0`), port };
    fs.mkdirSync(String(mFlags['log_dir']), { recursive: true });
    const masterName = await start('master', [MESOS_TEST_IMAGE, 'mesos-master', ...flagArgs(mFlags)]);
    const url = `http://127.0.0.1:${port}`;
    const info = await until(
      'elected master',
      async () => {
        const r = (await fetch(`${url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: '{"type":"GET_MASTER"}', signal: AbortSignal.timeout(3000) }).then((x) => x.json())) as { get_master: { master_info: MasterHandle['info'] } };
        const state = (await getJson(`${url}/master/state`)) as { leader?: string };
        return state.leader ? r.get_master.master_info : undefined;
      },
      60_000,
      masterName,
    );
    const master: MasterHandle = {
      url,
      port,
      info,
      isLeader: () => true,
      leaderDetected: async () => info,
      stop: async () => void (await docker(['rm', '-f', '-v', masterName]).catch(() => undefined)),
    };
    const agents: AgentHandle[] = [];
    for (let i = 0; i < (opts.agents ?? 0); i++) {
      const aPort = await freePort();
      const flags: Record<string, string | number | boolean> = { ...agentFlags(dir, `127.0.0.1:${port}`, i), port: aPort };
      fs.mkdirSync(String(flags['work_dir']), { recursive: true });
      fs.mkdirSync(String(flags['log_dir']), { recursive: true });
      const name = await start(`agent${i}`, [
        // As the engine starts agents (electron/engine/node-containers.ts): the host's PIDs, the
        // daemon's socket, and capabilities instead of --privileged.
        '--pid', 'host', '--cap-add', 'SYS_ADMIN', '--cap-add', 'SYS_PTRACE', '-e', 'LIBPROCESS_IP=127.0.0.1',
        '-v', '/var/run/docker.sock:/var/run/docker.sock',
        // No --docker: the recording's agents found `docker` on PATH, and the flag shows in /state and in pull errors.
        MESOS_TEST_IMAGE, 'mesos-agent', ...flagArgs(flags),
      ]);
      const aUrl = `http://127.0.0.1:${aPort}`;
      let id: string | undefined;
      let restarts = 0;
      const registered = async () => {
        const s = (await getJson(`${aUrl}/state`).catch(async (err: unknown) => {
          // A real agent's docker containerizer inspects every mesos- container of the daemon at start;
          // one removed meanwhile (another cluster's task) makes it exit ("Docker ps batch failed"). On
          // a shared daemon that is a race, not this test's subject: start it again, twice at most.
          const running = await docker(['inspect', '-f', '{{.State.Running}}', name]).catch(() => 'true');
          if (running === 'false' && restarts < 2) {
            restarts += 1;
            await docker(['start', name]);
          }
          throw err;
        })) as { id?: string };
        if (s.id) id = s.id;
        return id;
      };
      agents.push({
        url: aUrl,
        port: aPort,
        pid: `slave(1)@127.0.0.1:${aPort}`,
        agentId: () => id,
        registered: () => id !== undefined,
        waitRegistered: (timeoutMs = 60_000) => until(`agent ${i} registered`, registered, timeoutMs, name),
        attach: () => {
          throw new Error('attach() is the emulator\'s; real agents attach their own sandboxes');
        },
        unregister: () => Promise.reject(new Error('unregister() is the emulator\'s')),
        stop: async () => void (await docker(['rm', '-f', '-v', name]).catch(() => undefined)),
      });
    }
    await Promise.all(agents.map((a) => a.waitRegistered()));
    // The master must list them too (registration is the agent's view first).
    await until('agents in /master/slaves', async () => ((await getJson(`${url}/master/slaves`)) as { slaves: unknown[] }).slaves.length === agents.length || undefined, 30_000, masterName);
    return {
      dir,
      masters: [master],
      agents,
      leader: master,
      async stop() {
        await stopAll();
        // Written by root in the containers; we are root too (the suite needs the daemon's socket).
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
