/**
 * bench:up — time from request to ready for 1 ZooKeeper + 1 master + 3 agents with cached images:
 * the engine (ClusterEngine.create: validation, preflight, allocation, images, records, progress and
 * its readiness checks) beside a baseline that shares no code with it (bench/up-baseline.ts: the
 * docker CLI and probes of its own), both polling readiness every 50 ms, alternating round by round.
 * Min / median / max of each, the time to destroy, and what is left behind.
 *
 * Image sets (BENCH_IMAGES): `emulator` (mesoscope/mesos-emulator:test), `mesos` (real Apache Mesos,
 * mesoscope/mesos:1.12.0), or `all` (the default: every set whose images exist; the emulator's must).
 * BENCH_SMOKE=1 runs one round (CI: a crash check).
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { ClusterEngine } from '../electron/engine/cluster-engine';
import { isDockerRecoveryRace } from '../electron/engine/launcher';
import { baselineLeftovers, baselineRound, dockerCliOf, imageExists, type ImageSet } from './up-baseline';

const rounds = process.env.BENCH_SMOKE ? 1 : 5;
const AGENTS = 3;
const SETS: Record<ImageSet['name'], ImageSet> = {
  emulator: { name: 'emulator', zookeeper: 'mesoscope/zookeeper:test', mesos: 'mesoscope/mesos-emulator:test' },
  mesos: { name: 'mesos', zookeeper: 'mesoscope/zookeeper:test', mesos: 'mesoscope/mesos:1.12.0' },
};
const docker = new Dockerode();

interface EngineTimes {
  upMs: number;
  destroyMs: number;
  leftovers: number;
}

async function engineRound(images: ImageSet, workRoot: string, name: string): Promise<EngineTimes> {
  const engine = new ClusterEngine({ docker: () => docker, workRoot, pollMs: 50 });
  const spec = { name, agents: { count: AGENTS }, images: { zookeeper: images.zookeeper, master: images.mesos, agent: images.mesos }, pullPolicy: 'never', network: 'host' };
  const t0 = performance.now();
  const cluster = await engine.create(spec).catch(async (err: unknown) => {
    await engine.destroy(name).catch(() => undefined);
    throw err;
  });
  const upMs = performance.now() - t0;
  const t1 = performance.now();
  const report = await engine.destroy(cluster.name);
  const destroyMs = performance.now() - t1;
  const filters = { label: [`io.mesoscope.cluster=${name}`] };
  const leftovers =
    (await docker.listContainers({ all: true, filters })).length +
    ((await docker.listVolumes({ filters })).Volumes?.length ?? 0) +
    (await docker.listNetworks({ filters })).length +
    (await stat(join(workRoot, name)).then(
      () => 1,
      () => 0,
    )) +
    report.leftovers.length;
  return { upMs, destroyMs, leftovers };
}

/** Which sets to run: BENCH_IMAGES, checked against the images the daemon has. */
async function chooseSets(): Promise<{ run: ImageSet[]; notes: string[] }> {
  const asked = process.env.BENCH_IMAGES ?? 'all';
  const names: ImageSet['name'][] | undefined = asked === 'all' ? ['emulator', 'mesos'] : asked === 'emulator' || asked === 'mesos' ? [asked] : undefined;
  if (!names) throw new Error(`BENCH_IMAGES must be emulator, mesos or all, not "${asked}"`);
  const run: ImageSet[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const set = SETS[name];
    const missing: string[] = [];
    for (const image of [set.zookeeper, set.mesos]) if (!(await imageExists(image))) missing.push(image);
    if (missing.length === 0) run.push(set);
    // Asked for by name, or the emulator (the images every test needs): a missing image is an error.
    else if (asked !== 'all' || name === 'emulator') throw new Error(`image ${missing.join(', ')} not found: build it with npm run images`);
    else notes.push(`${name}: not run, image ${missing.join(', ')} not found (npm run images builds it when given the Mesos tarball)`);
  }
  return { run, notes };
}

const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? (s[(s.length - 1) / 2] ?? 0) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
  return { min: s[0] ?? 0, median: mid, max: s.at(-1) ?? 0 };
};
const secs = (ms: number) => (ms / 1000).toFixed(2);
const line = (xs: number[]) => {
  const { min, median, max } = spread(xs);
  return `median ${secs(median)} s   (min ${secs(min)}, max ${secs(max)})`;
};

async function benchSet(images: ImageSet, workRoot: string) {
  const dockerCli = await dockerCliOf(images.mesos);
  const base: { upMs: number; destroyMs: number }[] = [];
  const engine: EngineTimes[] = [];
  const tag = `mesoscope-bench-${process.pid}`;
  let retries = 0;
  // Alternate the two, so neither always runs on a warmer daemon.
  for (let round = 0; round < rounds; round += 1) {
    const baseline = () => baselineRound({ images, agents: AGENTS, workRoot, dockerCli, tag: `${tag}-${round}` });
    const viaEngine = () => engineRound(images, workRoot, `bench-up-${process.pid}`);
    try {
      if (round % 2 === 0) {
        const b = await baseline();
        engine.push(await viaEngine());
        base.push(b);
      } else {
        const e = await viaEngine();
        base.push(await baseline());
        engine.push(e);
      }
    } catch (err) {
      // Races with other work on a shared machine, not the engine's or the baseline's doing: another
      // process takes a port between its allocation and the node's start; or a real Mesos agent of the
      // baseline loses its Docker recovery to a container of another cluster removed meanwhile
      // (isDockerRecoveryRace; the engine starts such an agent again itself).
      const message = String(err instanceof Error ? err.message : err);
      const race = /EADDRINUSE|address already in use/.test(message) ? 'a port was taken by another process' : isDockerRecoveryRace(err) ? "an agent's Docker recovery failed (another cluster's containers changing on the daemon)" : undefined;
      if (!race || retries >= 3) throw err;
      retries += 1;
      console.log(`  ${images.name} round ${round + 1}: ${race} meanwhile; the round again`);
      round -= 1;
      continue;
    }
    console.log(`  ${images.name} round ${round + 1}/${rounds}: engine ${secs(engine.at(-1)?.upMs ?? 0)} s, baseline ${secs(base.at(-1)?.upMs ?? 0)} s`);
  }
  const leftovers = engine.reduce((n, e) => n + e.leftovers, 0) + (await baselineLeftovers());
  const ratio = spread(engine.map((e) => e.upMs)).median / spread(base.map((b) => b.upMs)).median;
  console.log(`\nbench:up — ${images.name === 'mesos' ? 'real Apache Mesos' : 'the Mesos emulator'}: 1 ZooKeeper + 1 master + ${AGENTS} agents, host network, cached images, ${rounds} round(s)`);
  console.log(`  images: ${images.zookeeper}, ${images.mesos}${dockerCli ? ` (agents' docker CLI ${dockerCli})` : ''}`);
  console.log(`  engine, request to ready       ${line(engine.map((e) => e.upMs))}`);
  console.log(`  baseline, docker CLI + probes  ${line(base.map((b) => b.upMs))}`);
  console.log(`  ratio of the medians           ${ratio.toFixed(2)}   (target <= 1.15)`);
  console.log(`  engine destroy                 ${line(engine.map((e) => e.destroyMs))}   (target <= 5 s)`);
  console.log(`  baseline docker rm -f -v       ${line(base.map((b) => b.destroyMs))}`);
  console.log(`  left behind                    ${leftovers}   (target 0)`);
  return { images, rounds, engine, baseline: base, ratio, leftovers };
}

async function main(): Promise<void> {
  const { run, notes } = await chooseSets();
  const workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-bench-'));
  const results = [];
  try {
    for (const set of run) results.push(await benchSet(set, workRoot));
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
  for (const note of notes) console.log(`\n  ${note}`);
  console.log(`\n  machine load (1 min) at the end: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
  await mkdir('test-results/bench', { recursive: true });
  await writeFile('test-results/bench/up.json', JSON.stringify({ at: new Date().toISOString(), load: loadavg(), cores: cpus().length, results }, null, 2));
  console.log('  raw samples: test-results/bench/up.json');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
