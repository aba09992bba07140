import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DockerStatus } from '@shared/docker';
import { DockerSocketProxy } from '../../e2e/support/docker-socket-proxy';
import { DockerService } from './docker-service';

// Integration: the real daemon, reached through a socket proxy this test can cut.
const dir = await mkdtemp(join(tmpdir(), 'mesoscope-int-'));
const proxy = new DockerSocketProxy(join(dir, 'docker.sock'));
await proxy.start();
const service = new DockerService({ url: proxy.dockerHost, source: 'DOCKER_HOST' }, { intervalMs: 500, backoffMs: [200] });

afterAll(async () => {
  service.dispose();
  await proxy.cut();
  await rm(dir, { recursive: true, force: true });
});

describe('the Docker service against the real daemon', () => {
  it('reports the engine the docker CLI reports', async () => {
    const cliVersion = execFileSync('docker', ['version', '--format', '{{.Server.Version}}']).toString().trim();
    const status = await service.status();
    expect(status.reachable).toBe(true);
    if (!status.reachable) return;
    expect(status.engine.version).toBe(cliVersion);
    expect(status.engine.cpus).toBeGreaterThan(0);
    expect(status.engine.memoryBytes).toBeGreaterThan(0);
  });

  it('sees the daemon go away and come back, with no repeated event', async () => {
    const seen: DockerStatus[] = [];
    const stop = service.watcher.subscribe((s) => seen.push(s));
    await expect.poll(() => seen.at(-1)?.reachable).toBe(true);

    await proxy.cut();
    // A probe cut mid-request first sees the connection reset, the next one the missing socket.
    await expect.poll(() => seen.at(-1)?.reachable, { timeout: 5000 }).toBe(false);
    const reasonOf = (s: DockerStatus | undefined) => (s && !s.reachable ? s.reason : null);
    await expect.poll(() => reasonOf(seen.at(-1)), { timeout: 5000 }).toBe('socket-missing');

    await proxy.restore();
    await expect.poll(() => seen.at(-1)?.reachable, { timeout: 5000 }).toBe(true);
    stop();
    const withoutTime = seen.map(({ checkedAt: _t, ...rest }) => JSON.stringify(rest));
    expect(withoutTime.every((s, i) => i === 0 || s !== withoutTime[i - 1])).toBe(true);
    expect(seen.map((s) => s.reachable).filter((r, i, all) => i === 0 || r !== all[i - 1])).toEqual([true, false, true]);
  });
});
