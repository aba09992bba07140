import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
// By package name, as a framework's own test suite would import it.
import { startCluster } from 'mesoscope';

it('startCluster resolves when the cluster is ready and destroy() leaves nothing', async () => {
  const workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-api-'));
  const cluster = await startCluster(
    {
      name: 'api-it',
      agents: { count: 1 },
      pullPolicy: 'never',
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    },
    { workRoot },
  );
  try {
    expect(cluster.zk).toMatch(/^zk:\/\/127\.0\.0\.1:\d+\/mesos$/);
    const slaves = (await (await fetch(`http://${cluster.master}/master/slaves`)).json()) as { slaves: unknown[] };
    expect(slaves.slaves).toHaveLength(1);
  } finally {
    const report = await cluster.destroy();
    expect(report.leftovers).toEqual([]);
    await rm(workRoot, { recursive: true, force: true });
  }
  // The first cluster of a process also starts its reaper and asks the daemon for its socket (helper containers).
}, 90_000);
