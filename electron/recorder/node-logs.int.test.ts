import { getEventListeners } from 'node:events';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogLine } from '@shared/doctor/evidence';
import { followNodeLogs } from './node-logs';

const docker = new Dockerode();
let container: Dockerode.Container | undefined;

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
});

describe('followNodeLogs', () => {
  it('follows a stopped node round after round: its lines once, and no listener left behind per round', async () => {
    // A node that wrote two glog lines and stopped: each round opens its log, which ends at once.
    container = await docker.createContainer({
      Image: 'mesoscope/task-base:test',
      Cmd: ['sh', '-c', 'echo "I1207 10:00:00.000001 7 slave.cpp:1] one" >&2; echo "W1207 10:00:00.000002 7 slave.cpp:2] two" >&2'],
      Labels: { 'io.mesoscope.test': 'node-logs' },
    });
    await container.start();
    await container.wait();

    const controller = new AbortController();
    const taken: LogLine[] = [];
    const node = { role: 'agent' as const, index: 1 };
    const following = followNodeLogs(() => docker, [{ node, container: container.id }], (lines) => taken.push(...lines), controller.signal, {
      since: Date.now() - 60_000,
      batchMs: 20,
      retryMs: 20,
    });
    // Well over ten rounds (Node warns of a leak at eleven listeners on one signal).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const listeners = getEventListeners(controller.signal, 'abort').length;
    controller.abort();
    await following;

    expect(listeners).toBeLessThanOrEqual(1);
    expect(taken.map((l) => l.text)).toEqual(['one', 'two']);
  });
});
