import { startCluster, type RunningCluster } from '../../electron/index';
import { get } from '../../electron/mesos/http';
import { dropLocal, prepareSlowPullImage, registryUp } from '../../testbed/scenario/registry-images';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './web-host-process';

/** An image the loopback registry does not have: the missing-image fault's. */
export const MISSING_IMAGE = '127.0.0.1:5000/mesoscope/does-not-exist:1';
/** docs/mesos/faults.md's fast timers: an agent is lost after 1 s pings × 3. */
export const FAULT_TIMERS = { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 };

/** What the fault suites work on: a web host, one HA cluster (3 masters, 4 agents), and a slow-pulling image. */
export interface FaultBench {
  host: WebHostProcess;
  cluster: RunningCluster;
  /** The agents, by port. */
  agents: Array<{ id: string; port: number }>;
  slowImage: string;
}

export async function startFaultBench(name: string): Promise<FaultBench> {
  if (!(await registryUp())) throw new Error('the loopback registry (127.0.0.1:5000) is needed: bash testbed/images/registry.sh');
  const host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  const cluster = await startCluster(
    { name, masters: { count: 3, flags: { allocation_interval: '250ms' } }, agents: { count: 4 }, timers: FAULT_TIMERS, pullPolicy: 'never', images: TEST_IMAGES },
    { workRoot: host.workRoot },
  );
  // The app's HTTP client, not fetch: fetch refuses ports a master may get when others are taken (5060, 5061).
  const slaves = JSON.parse((await get(`http://${cluster.master}/master/slaves`)).body) as { slaves: Array<{ id: string; port: number }> };
  return { host, cluster, agents: slaves.slaves.sort((a, b) => a.port - b.port), slowImage: await prepareSlowPullImage() };
}

/** Whatever of a bench was made, removed. */
export async function stopFaultBench(bench: Partial<FaultBench>): Promise<void> {
  await bench.cluster?.destroy();
  await bench.host?.stop();
  if (bench.slowImage) await dropLocal(bench.slowImage);
}
