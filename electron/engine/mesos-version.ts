import type { ClusterSummary } from '@shared/cluster/status';
import { get } from '../mesos/http';

/**
 * The Mesos version a master reports at /version; the emulator says so in build_user
 * (testbed/mesos-emulator/README.md). null when the master does not answer.
 */
export async function fetchMesosVersion(address: string, timeoutMs = 1000): Promise<ClusterSummary['mesos']> {
  try {
    const res = await get(`http://${address}/version`, { timeoutMs });
    const body = JSON.parse(res.body) as { version?: string; build_user?: string; git_tag?: string };
    return { version: body.version ?? 'unknown', emulator: body.build_user === 'mesoscope-emulator' };
  } catch {
    return null;
  }
}
