import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { daemonSocket } from './daemon-socket';
import { HELPER_LABEL } from './helper-container';

// Integration: the real daemon is asked, through helper containers, which socket path is its own.
const root = mkdtempSync(join(tmpdir(), 'mesoscope-daemon-socket-'));
const link = join(root, 'docker.sock');
symlinkSync('/var/run/docker.sock', link);
const docker = new Dockerode({ socketPath: link });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the daemon's own socket", () => {
  it('is the path on the Docker host that reaches this daemon, not the path this app happens to use', async () => {
    const found = await daemonSocket(docker, `unix://${link}`, 'mesoscope/debian-base:bookworm');
    expect(found).toEqual({ path: '/var/run/docker.sock', verified: true });
    // No helper is left behind.
    expect(await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL], ancestor: ['mesoscope/debian-base:bookworm'] } })).toEqual([]);
  });

  it('falls back to a path Docker can bind, unverified, with an image that cannot ask (no perl)', async () => {
    // Another endpoint URL: answers are kept per endpoint and daemon.
    const other = join(root, 'other.sock');
    symlinkSync('/var/run/docker.sock', other);
    const found = await daemonSocket(docker, `unix://${other}`, 'mesoscope/task-base:test');
    expect(found).toEqual({ path: '/var/run/docker.sock', verified: false });
  });
});
