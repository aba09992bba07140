import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { removeHostDir, sandboxRuns } from './host-dirs';

// Integration: folders on the Docker host (this machine here) read and removed by helper containers.
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const image = 'mesoscope/mesos-emulator:test';
const root = await mkdtemp(join(tmpdir(), 'mesoscope-host-dirs-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('work dirs on the Docker host', () => {
  it("names the sandbox runs of a cluster's agents, then removes the cluster's folder", async () => {
    const cluster = join(root, 'hd');
    const runs = (agent: number, fw: string) => join(cluster, `agent-${agent}`, 'slaves', 'S1', 'frameworks', fw, 'executors', 'e', 'runs');
    await mkdir(join(runs(1, 'F1'), 'run-a'), { recursive: true });
    await mkdir(join(runs(1, 'F1'), 'latest'), { recursive: true });
    await mkdir(join(runs(2, 'F2'), 'run-b'), { recursive: true });
    expect((await sandboxRuns(docker, image, join(cluster, 'agent-1'))).sort()).toEqual(['run-a']);
    expect(existsSync(cluster)).toBe(true);

    const removed = await removeHostDir(docker, image, cluster);
    expect({ ...removed, runs: removed.runs.sort() }).toEqual({ existed: true, left: false, runs: ['run-a', 'run-b'] });
    expect(existsSync(cluster)).toBe(false);
  }, 60_000);

  it('finds nothing to remove where nothing is, even when the parent does not exist on the Docker host', async () => {
    expect(await removeHostDir(docker, image, join(root, 'absent'))).toEqual({ existed: false, left: false, runs: [] });
    expect(await removeHostDir(docker, image, join(root, 'no-parent', 'absent'))).toEqual({ existed: false, left: false, runs: [] });
    // Docker was asked to bind, not to create: the missing parent is still missing.
    expect(existsSync(join(root, 'no-parent'))).toBe(false);
  }, 60_000);

  it('refuses a path the engine would never make', async () => {
    await expect(removeHostDir(docker, image, '/var/lib/../../etc')).rejects.toThrow('not a work dir path the engine makes');
    await expect(removeHostDir(docker, image, "/tmp/x'; rm -rf /")).rejects.toThrow('not a work dir path the engine makes');
  });
});
