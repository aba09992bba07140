import { ApiError } from '@shared/errors';
import type { AttachedBundleSource } from '../bundle/support-bundle';
import type { MonitorRegistry } from '../dashboard/monitor-registry';
import { attachedLayout, attachedMesosVersion } from '../recorder/attached-header';
import type { AttachService } from './attach-service';
import { attachedNodes } from './attached-nodes';

/**
 * An attached cluster as a support bundle's source: its masters and agents as its monitor sees them,
 * the saved connection (no secret) in place of a spec, and why its Docker parts cannot be had.
 * Undefined for a name that is not attached (a launched cluster).
 */
export async function attachedBundleSource(attach: Pick<AttachService, 'has' | 'get' | 'masterClientOptions'>, monitors: Pick<MonitorRegistry, 'acquire'>, name: string): Promise<AttachedBundleSource | undefined> {
  if (!attach.has(name)) return undefined;
  const connection = await attach.get(name);
  const client = await attach.masterClientOptions(name);
  const { monitor, release } = await monitors.acquire(name);
  try {
    // A monitor just started needs its first view: waited for briefly.
    const deadline = Date.now() + 10_000;
    while ((monitor.snapshot().connection.state === 'connecting' || monitor.snapshot().masters.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const view = monitor.snapshot();
    const leader = view.masters.find((m) => m.leader)?.url ?? view.masters[0]?.url;
    if (!leader) throw new ApiError('unavailable', `No master of the attached cluster "${name}" answers from here: no support bundle can be written.`);
    const { nodes } = attachedNodes(name, view, leader.startsWith('https:') ? 'https' : 'http');
    return {
      summary: { name, nodes, layout: attachedLayout(view, client.zk), mesos: await attachedMesosVersion(view, client.access) },
      connection,
      leader,
      access: client.access,
      // Mesoscope reaches an attached cluster through Mesos' HTTP APIs only, never its hosts' Docker.
      noDocker: 'not reachable from here: the containers of an attached cluster run on its own hosts',
    };
  } finally {
    release();
  }
}
