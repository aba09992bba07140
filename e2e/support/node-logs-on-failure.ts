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
    // Multiplexed frames carry an 8-byte header per chunk; for reading, dropping non-printing bytes is enough.
    const text = raw.toString('utf8').replace(/[\u0000-\u0008\u000e-\u001f]/g, '');
    await testInfo.attach(`${name} (${c.State}).log`, { body: text, contentType: 'text/plain' });
  }
  if (hostOutput !== undefined) await testInfo.attach('web host output', { body: hostOutput, contentType: 'text/plain' });
}
