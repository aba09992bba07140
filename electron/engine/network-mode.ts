import type Dockerode from 'dockerode';
import { daemonHost, hostNetworkIsOurs, runsInItsOwnVm } from '../docker/daemon-host';
import { imagePresent } from './images';

const decided = new Map<string, 'host' | 'bridge'>();

/**
 * The network a spec's `auto` means on this daemon, by capability: host networking only when the
 * daemon's host network is this machine's (nodes then bind loopback ports the app reaches). A daemon
 * that says it runs in its own VM (Docker Desktop, Colima, …) gets a bridge at once; otherwise a
 * helper container on the host network tries to reach this process (with the first of `images` that
 * is present), and a daemon that cannot is given a bridge with published ports. Kept per daemon.
 */
export async function autoNetworkFor(docker: Dockerode, images: string[], hostAddress = '127.0.0.1'): Promise<'host' | 'bridge'> {
  const host = await daemonHost(docker);
  const known = decided.get(host.id);
  if (known) return known;
  let mode: 'host' | 'bridge' = 'host';
  if (runsInItsOwnVm(host)) mode = 'bridge';
  else {
    const image = await firstPresent(docker, images);
    const ours = image ? await hostNetworkIsOurs(docker, image, hostAddress) : null;
    // Undecided (no image to ask with yet): a Linux engine that does not say it is in a VM shares ours.
    if (ours === false) mode = 'bridge';
    if (ours === null) return mode;
  }
  decided.set(host.id, mode);
  return mode;
}

async function firstPresent(docker: Dockerode, images: string[]): Promise<string | null> {
  for (const image of images) if (await imagePresent(docker, image).catch(() => false)) return image;
  return null;
}
