import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLogLines } from './container-logs';

const docker = new Dockerode();
const created: Dockerode.Container[] = [];

/** A container that writes `script`'s output and exits; resolves once it has. */
async function ran(script: string): Promise<string> {
  const container = await docker.createContainer({ Image: 'mesoscope/task-base:test', Cmd: ['sh', '-c', script], Labels: { 'io.mesoscope.test': 'container-logs' } });
  created.push(container);
  await container.start();
  await container.wait();
  return container.id;
}

afterAll(async () => {
  await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
});

describe('lastLogLines', () => {
  it("keeps a Mesos daemon's failure line when the advice after it fills the window", async () => {
    // The shape of a real agent whose Docker recovery failed, all on stderr as glog and the ZooKeeper
    // client write it: the EXIT line, then 15 lines of advice with blank lines among them, then
    // another thread's line. (Docker reads stdout and stderr apart, so their order between them is lost.)
    const advice = Array.from({ length: 15 }, (_, i) => `echo "advice line ${i + 1}"; echo`).join('; ');
    const id = await ran(
      `{ echo "I1207 19:16:45.100 1 slave.cpp:1] starting"; echo "E1207 19:16:45.950 1 slave.cpp:8103] EXIT with status 1: Failed to perform recovery: Collect failed"; ${advice}; echo "2026-12-07 ZOO_INFO@finalize_session_establishment"; } >&2`,
    );
    const lines = await lastLogLines(docker, id, 10);
    expect(lines[0]).toMatch(/^E1207 .*EXIT with status 1: Failed to perform recovery/);
    expect(lines[1]).toBe('…');
    expect(lines.slice(2)).toHaveLength(10);
    expect(lines.at(-1)).toContain('ZOO_INFO');
    expect(lines).not.toContain('I1207 19:16:45.100 1 slave.cpp:1] starting');
  });

  it('gives the window alone when the failure is in it, or when there is none', async () => {
    const inWindow = await ran('echo "I1207 one"; echo "F1207 12:00:00.000 1 main.cpp:9] Check failed: port"; echo "*** Check failure stack trace: ***"');
    expect(await lastLogLines(docker, inWindow, 10)).toEqual(['I1207 one', 'F1207 12:00:00.000 1 main.cpp:9] Check failed: port', '*** Check failure stack trace: ***']);
    const none = await ran('for i in 1 2 3 4 5; do echo "line $i"; done');
    expect(await lastLogLines(docker, none, 3)).toEqual(['line 3', 'line 4', 'line 5']);
  });

  it('gives no lines for a container that is not there', async () => {
    expect(await lastLogLines(docker, 'mesoscope-no-such-container', 5)).toEqual([]);
  });
});
