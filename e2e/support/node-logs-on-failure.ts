import type { TestInfo } from '@playwright/test';
import Dockerode from 'dockerode';

/**
 * When a test fails, attach the last lines of every container of the cluster (and the web host's own
 * output), so a failure in CI can be read without the machine it ran on.
 */
export async function attachNodeLogsOnFailure(testInfo: TestInfo, cluster: string, hostOutput?: string): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  const docker = new Dockerode();
  const containers = await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${cluster}`] } });
  for (const c of containers) {
    const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
    const raw = await docker
      .getContainer(c.Id)
      .logs({ stdout: true, stderr: true, tail: 80, timestamps: true })
      .catch((err: Error) => Buffer.from(`(no log: ${err.message})`));
    await testInfo.attach(`${name} (${c.State}).log`, { body: demultiplexed(raw), contentType: 'text/plain' });
  }
  if (hostOutput !== undefined) await testInfo.attach('web host output', { body: hostOutput, contentType: 'text/plain' });
}

/** A container's log without a TTY comes in frames: 1 byte stream, 3 padding, 4 bytes length, then the bytes. */
function demultiplexed(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length && raw[at]! <= 2 && raw.readUIntBE(at + 1, 3) === 0) {
    const length = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return parts.length > 0 ? Buffer.concat(parts).toString('utf8') : raw.toString('utf8');
}
