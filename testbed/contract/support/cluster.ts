// In-process clusters configured like the recording (transcripts/README.md): masters
// with --ip=127.0.0.1 --hostname=127.0.0.1 --quorum=1 --registry=in_memory
// --agent_ping_timeout=1secs --max_agent_ping_timeouts=3 --log_dir, and agents with the
// recorded agent flags. Ports are free ones on 127.0.0.1; ZooKeeper is replaced by an
// in-process group when more than one master runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  InMemoryGroup,
  startAgent,
  startMaster,
  type AgentHandle,
  type MasterHandle,
} from '../../mesos-emulator/src/index';
import { ON_REAL_MESOS } from '../../real-mesos/images';
import { startLiveCluster } from './live-cluster';

/** Log lines go nowhere: --quiet would change the flags under comparison. */
export const sink = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mesoscope-contract-${prefix}-`));
}

export function masterFlags(dir: string): Record<string, string | number | boolean> {
  return {
    ip: '127.0.0.1',
    port: 0,
    hostname: '127.0.0.1',
    quorum: 1,
    registry: 'in_memory',
    agent_ping_timeout: '1secs',
    max_agent_ping_timeouts: 3,
    log_dir: path.join(dir, 'log'),
    work_dir: path.join(dir, 'work'),
  };
}

/** The recorded agents' flags; agent i gets ports [31000+1000i … 31099+1000i]. */
export function agentFlags(dir: string, masterAddress: string, i: number): Record<string, string | number | boolean> {
  return {
    ip: '127.0.0.1',
    port: 0,
    hostname: '127.0.0.1',
    master: masterAddress,
    work_dir: path.join(dir, `agent${i}`),
    log_dir: path.join(dir, `agent${i}-log`),
    containerizers: 'docker,mesos',
    systemd_enable_support: false,
    switch_user: false,
    docker_kill_orphans: 'false',
    launcher: 'posix',
    isolation: 'posix/cpu,posix/mem',
    resources: `cpus:2;mem:2048;disk:4096;ports:[${31000 + 1000 * i}-${31099 + 1000 * i}]`,
  };
}

export interface Cluster {
  dir: string;
  masters: MasterHandle[];
  agents: AgentHandle[];
  group?: InMemoryGroup;
  leader: MasterHandle;
  stop(): Promise<void>;
}

/** The emulator in process; with MESOSCOPE_TEST_MESOS_IMAGE naming real Mesos, containers of it (live-cluster.ts). */
export async function startCluster(opts: { masters?: number; agents?: number } = {}): Promise<Cluster> {
  if (ON_REAL_MESOS) return startLiveCluster(opts);
  const dir = tempDir('cluster');
  const count = opts.masters ?? 1;
  const group = count > 1 ? new InMemoryGroup() : undefined;
  const masters: MasterHandle[] = [];
  for (let i = 0; i < count; i++) {
    masters.push(
      await startMaster({
        flags: masterFlags(path.join(dir, `m${i}`)),
        stderr: sink(),
        ...(group ? { group } : {}),
      }),
    );
    // Let the first one win the election, like the recording (master 1 leads).
    await masters[i]!.leaderDetected();
  }
  const leader = masters.find((m) => m.isLeader()) ?? masters[0]!;
  const agents: AgentHandle[] = [];
  for (let i = 0; i < (opts.agents ?? 0); i++) {
    agents.push(
      await startAgent({
        flags: agentFlags(dir, `127.0.0.1:${leader.port}`, i),
        stderr: sink(),
        ...(group ? { group } : {}),
      }),
    );
  }
  await Promise.all(agents.map((a) => a.waitRegistered()));
  return {
    dir,
    masters,
    agents,
    group,
    leader,
    async stop() {
      await Promise.all(agents.map((a) => a.stop()));
      await Promise.all(masters.map((m) => m.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
