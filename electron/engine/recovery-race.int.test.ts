import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LaunchProgress } from '@shared/cluster/status';
import { EMULATOR_IMAGE, TEST_IMAGES } from '../../testbed/real-mesos/images';
import { ClusterEngine } from './cluster-engine';

// Integration: the real Docker daemon, ZooKeeper and the Mesos emulator, with an agent image whose
// first start fails as a real Mesos agent does when a `mesos-` container vanishes during its Docker
// recovery (launcher.ts, DOCKER_RECOVERY_RACE). That race cannot be timed from a test; this agent
// loses it once, deterministically, and is the emulator's agent from its second start on.
vi.setConfig({ testTimeout: 90_000 });
const docker = new Dockerode();
const RACE_IMAGE = 'mesoscope/agent-recovery-race:test';
const images = { zookeeper: TEST_IMAGES.zookeeper, master: EMULATOR_IMAGE, agent: RACE_IMAGE };
let workRoot: string;

/** Ahead of the emulator's /usr/local/bin/mesos-agent in PATH. The marker lives in the container's own layer, which a restart keeps. */
const LOSES_ONCE = `#!/bin/sh
if [ ! -e /var/tmp/lost-the-race ]; then
  touch /var/tmp/lost-the-race
  echo "I1207 10:00:00.000000     1 slave.cpp:283] Mesos agent started" >&2
  echo "E1207 10:00:00.900000     1 slave.cpp:8103] EXIT with status 1: Failed to perform recovery: Collect failed: Failed to run 'docker -H unix:///var/run/docker.sock inspect --type=container mesos-0d1e2f3a-0000-4000-8000-000000000001': exited with status 1; stderr='Error: No such object: mesos-0d1e2f3a-0000-4000-8000-000000000001'" >&2
  echo "To remedy this do as follows:" >&2
  echo "Step 1: rm -f /var/lib/mesos/meta/slaves/latest" >&2
  echo "Step 2: Restart the agent." >&2
  exit 1
fi
exec /usr/local/bin/mesos-agent "$@"
`;

beforeAll(async () => {
  workRoot = await mkdtemp(join(tmpdir(), 'mesoscope-work-'));
  const context = await mkdtemp(join(tmpdir(), 'mesoscope-race-image-'));
  try {
    await writeFile(join(context, 'mesos-agent'), LOSES_ONCE, { mode: 0o755 });
    await writeFile(join(context, 'Dockerfile'), `FROM ${EMULATOR_IMAGE}\nCOPY mesos-agent /usr/local/sbin/mesos-agent\n`);
    execFileSync('docker', ['build', '--quiet', '--tag', RACE_IMAGE, context]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
});

afterAll(async () => {
  const e = new ClusterEngine({ docker: () => docker, workRoot });
  for (const c of await e.list()) if (c.name === 'int-race') await e.destroy(c.name);
  await docker.getImage(RACE_IMAGE).remove({ force: true }).catch(() => undefined);
  await rm(workRoot, { recursive: true, force: true });
});

describe('an agent whose Docker recovery lost a vanished container', () => {
  it('is started again, says so in the launch progress, and the cluster comes up', async () => {
    const e = new ClusterEngine({ docker: () => docker, workRoot, readyTimeoutMs: 60_000 });
    const progress: LaunchProgress[] = [];
    const stop = e.onProgress((p) => p.cluster === 'int-race' && progress.push(p));
    try {
      const cluster = await e.create({ name: 'int-race', images, pullPolicy: 'never', network: 'host', agents: { count: 1 } });
      expect(cluster.nodes.every((n) => n.state === 'running')).toBe(true);
    } finally {
      stop();
    }
    const agent = progress.filter((p) => p.node === 'mesoscope-int-race-agent-1').map((p) => `${p.step}: ${p.detail}`);
    expect(agent).toContainEqual(expect.stringMatching(/^starting: its Docker recovery failed: a container vanished/));
    expect(agent.at(-1)).toMatch(/^ready: /);
    expect(agent.some((line) => line.startsWith('failed'))).toBe(false);
    // The first run's failure line is in the agent's log, and it ran again after it.
    const log = (await docker.getContainer('mesoscope-int-race-agent-1').logs({ stdout: true, stderr: true })).toString('utf8');
    expect(log).toContain('Failed to perform recovery: Collect failed');
    expect(log.split('Mesos agent started').length).toBeGreaterThan(2);
    await e.destroy('int-race');
  });
});
