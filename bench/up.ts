/**
 * bench:up — time from request to ready for 1 ZooKeeper + 1 master + 3 agents with cached images,
 * the engine beside a baseline measured in the same run: the same containers (the engine's own
 * parameters) created with plain dockerode and the same readiness checks polled every 50 ms, with
 * none of the engine's work (validation, preflight, allocation, discovery, records, progress).
 * Also: time to destroy, and what is left behind. BENCH_SMOKE=1 runs one round (CI: crash check).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { validateSpec } from '@shared/cluster/spec';
import { ClusterEngine } from '../electron/engine/cluster-engine';
import { nodeContainers } from '../electron/engine/node-containers';
import { allocateLayout } from '../electron/engine/port-allocation';
import { agentRegisteredAt, leaderSeenBy, waitFor, zookeeperOk } from '../electron/engine/readiness';

const rounds = process.env.BENCH_SMOKE ? 1 : 5;
const docker = new Dockerode();
const images = { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' };
const input = (name: string) => ({ name, agents: { count: 3 }, images, pullPolicy: 'never', network: 'host' });
const wait = { timeoutMs: 60_000, intervalMs: 50 };

async function baseline(workRoot: string): Promise<number> {
  const checked = validateSpec(input('bench-base'));
  if (!checked.ok) throw new Error('bad spec');
  const spec = checked.spec;
  const layout = await allocateLayout(spec, { hostAddress: '127.0.0.1', network: 'host', workRoot, reserved: { ports: new Set(), ranges: [] } });
  const nodes = nodeContainers(spec, layout);
  const started = performance.now();
  const start = async (i: number) => {
    const node = nodes[i];
    if (!node) throw new Error(`no node ${i}`);
    for (const volume of node.volumes) await docker.createVolume({ Name: volume });
    await (await docker.createContainer(node.create)).start();
  };
  await start(0);
  await waitFor(() => zookeeperOk('127.0.0.1', layout.zookeeper.port), 'zookeeper', wait);
  await start(1);
  const master = layout.masters[0]?.port ?? 0;
  await waitFor(() => leaderSeenBy('127.0.0.1', master), 'leader', wait);
  await Promise.all(layout.agents.map((_, i) => start(2 + i)));
  await Promise.all(layout.agents.map((a) => waitFor(() => agentRegisteredAt(`127.0.0.1:${master}`, '127.0.0.1', a.port), 'agent', wait)));
  const elapsed = performance.now() - started;
  await Promise.all(nodes.map((n) => docker.getContainer(n.name).remove({ force: true, v: true })));
  for (const volume of nodes.flatMap((n) => n.volumes)) await docker.getVolume(volume).remove();
  return elapsed;
}

async function engineRound(workRoot: string): Promise<{ up: number; destroy: number; leftovers: number }> {
  const engine = new ClusterEngine({ docker: () => docker, workRoot, pollMs: 50 });
  const t0 = performance.now();
  const cluster = await engine.create(input('bench-engine'));
  const up = performance.now() - t0;
  const t1 = performance.now();
  const report = await engine.destroy(cluster.name);
  const destroy = performance.now() - t1;
  const filters = { label: ['io.mesoscope.cluster=bench-engine'] };
  const left =
    (await docker.listContainers({ all: true, filters })).length +
    ((await docker.listVolumes({ filters })).Volumes?.length ?? 0) +
    (await docker.listNetworks({ filters })).length +
    (await stat(join(workRoot, 'bench-engine')).then(
      () => 1,
      () => 0,
    )) +
    report.leftovers.length;
  return { up, destroy, leftovers: left };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-bench-'));
  const base: number[] = [];
  const engine: { up: number; destroy: number; leftovers: number }[] = [];
  try {
    // Alternate the two, so neither always runs on a warmer daemon.
    for (let round = 0; round < rounds; round += 1) {
      if (round % 2 === 0) {
        base.push(await baseline(workRoot));
        engine.push(await engineRound(workRoot));
      } else {
        engine.push(await engineRound(workRoot));
        base.push(await baseline(workRoot));
      }
      console.log(`round ${round + 1}/${rounds}: baseline ${secs(base.at(-1) ?? 0)}, engine ${secs(engine.at(-1)?.up ?? 0)}`);
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
  const up = median(engine.map((e) => e.up));
  const baseUp = median(base);
  const destroy = median(engine.map((e) => e.destroy));
  const leftovers = engine.reduce((n, e) => n + e.leftovers, 0);
  console.log(`\nbench:up — 1 ZooKeeper + 1 master + 3 agents, cached images, median of ${rounds}`);
  console.log(`  engine, request to ready   ${secs(up)}`);
  console.log(`  baseline (same containers) ${secs(baseUp)}`);
  console.log(`  ratio engine / baseline    ${(up / baseUp).toFixed(2)}   (target <= 1.15)`);
  console.log(`  destroy                    ${secs(destroy)}   (target <= 5 s)`);
  console.log(`  leftovers                  ${leftovers}   (target 0)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
