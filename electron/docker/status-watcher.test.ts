import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DockerStatus } from '@shared/docker';
import { DockerStatusWatcher } from './status-watcher';

const endpoint = { url: 'unix:///d.sock', source: 'default' as const };
const up = (version = '27.0.0'): DockerStatus => ({
  reachable: true,
  endpoint,
  checkedAt: new Date().toISOString(),
  engine: {
    version,
    apiVersion: '1.46',
    os: 'linux',
    arch: 'amd64',
    kernelVersion: '6',
    operatingSystem: 'Debian',
    cpus: 2,
    memoryBytes: 1,
    containersRunning: 0,
    containersTotal: 0,
    images: 0,
    storageDriver: 'overlay2',
    cgroupVersion: '2',
  },
});
const down = (): DockerStatus => ({ reachable: false, endpoint, checkedAt: new Date().toISOString(), reason: 'socket-missing', message: 'gone' });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the Docker status watcher', () => {
  it('delivers the current status, then only changes, probing on its heartbeat', async () => {
    const answers = [up(), up(), down(), down(), up()];
    const probe = vi.fn(async () => answers.shift() ?? up());
    const watcher = new DockerStatusWatcher({ probe, intervalMs: 2000, backoffMs: [500] });
    const seen: boolean[] = [];
    watcher.subscribe((s) => seen.push(s.reachable));

    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(2000); // up again: no event
    expect(seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(2000); // gone
    expect(seen).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(500); // still gone, retried after the backoff: no event
    expect(probe).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(500); // back
    expect(seen).toEqual([true, false, true]);
    watcher.dispose();
  });

  it('backs off while the engine is away and stops probing when nobody listens', async () => {
    const probe = vi.fn(async () => down());
    const watcher = new DockerStatusWatcher({ probe, intervalMs: 2000, backoffMs: [100, 200, 400] });
    const stop = watcher.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(100);
    await vi.advanceTimersByTimeAsync(200);
    await vi.advanceTimersByTimeAsync(400);
    await vi.advanceTimersByTimeAsync(400);
    expect(probe).toHaveBeenCalledTimes(5);
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe).toHaveBeenCalledTimes(5);
  });

  it('tells listeners when the engine changes version', async () => {
    const answers = [up('26.1.0'), up('27.0.0')];
    const watcher = new DockerStatusWatcher({ probe: async () => answers.shift() ?? up('27.0.0'), intervalMs: 1000 });
    const versions: string[] = [];
    watcher.subscribe((s) => s.reachable && versions.push(s.engine.version));
    await vi.advanceTimersByTimeAsync(1000);
    expect(versions).toEqual(['26.1.0', '27.0.0']);
    watcher.dispose();
  });

  it('after reset, ignores the answer of a probe of the old endpoint', async () => {
    let release: (s: DockerStatus) => void = () => {};
    const probe = vi
      .fn<() => Promise<DockerStatus>>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
      .mockImplementation(async () => down());
    const watcher = new DockerStatusWatcher({ probe });
    const seen: boolean[] = [];
    watcher.subscribe((s) => seen.push(s.reachable));
    await watcher.reset();
    release(up());
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([false]);
    watcher.dispose();
  });
});
