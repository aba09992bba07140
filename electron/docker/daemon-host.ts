import { createServer } from 'node:net';
import type Dockerode from 'dockerode';
import { runHelper } from './helper-container';

/** What the daemon says about the machine it runs on (`docker info`). */
export interface DaemonHost {
  id: string;
  /** The Docker host's name: "docker-desktop", "colima", "lima-rancher-desktop", "orbstack", a hostname. */
  name: string;
  /** e.g. "Docker Desktop", "Debian GNU/Linux 12 (bookworm)", "Ubuntu 24.04 LTS" (Colima's VM) */
  operatingSystem: string;
  rootless: boolean;
  /** Docker's data folder on its host: /var/lib/docker, ~/.local/share/docker when rootless. */
  dockerRootDir: string;
}

export async function daemonHost(docker: Dockerode): Promise<DaemonHost> {
  const info = (await docker.info()) as { ID?: string; Name?: string; OperatingSystem?: string; SecurityOptions?: string[]; DockerRootDir?: string };
  return {
    id: info.ID ?? '',
    name: info.Name ?? '',
    operatingSystem: info.OperatingSystem ?? '',
    rootless: (info.SecurityOptions ?? []).some((o) => o.includes('name=rootless')),
    dockerRootDir: info.DockerRootDir ?? '/var/lib/docker',
  };
}

/**
 * Engines known to run their daemon in a VM of their own, by what the daemon reports (never by this
 * machine's OS): Docker Desktop (any OS), Rancher Desktop, OrbStack, Colima and Lima, boot2docker.
 */
export function runsInItsOwnVm(host: Pick<DaemonHost, 'name' | 'operatingSystem'>): boolean {
  return (
    /Docker Desktop|Rancher Desktop|OrbStack|boot2docker/i.test(host.operatingSystem) ||
    /^(docker-desktop|colima(-.+)?|lima-.+|orbstack|rancher-desktop)$/i.test(host.name)
  );
}

/**
 * Whether the daemon's host network is this machine's: a helper container on the host network tries
 * to connect to a port this process listens on (on `address`). Only a connection this process sees
 * counts, so a listener of the same number elsewhere cannot fool it. null when the image has no way
 * to try (no perl, bash or nc) or the helper could not run.
 */
export async function hostNetworkIsOurs(docker: Dockerode, image: string, address = '127.0.0.1'): Promise<boolean | null> {
  let seen = false;
  const server = createServer((socket) => {
    seen = true;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, resolve);
  });
  const port = (server.address() as { port: number }).port;
  try {
    const attempt = [
      `if command -v perl >/dev/null; then perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => "${address}:${port}", Timeout => 3) or exit 1'`,
      `elif command -v bash >/dev/null; then bash -c 'echo > /dev/tcp/${address}/${port}'`,
      `elif command -v nc >/dev/null; then nc -z -w 3 ${address} ${port}`,
      'else exit 127; fi',
    ].join('; ');
    const result = await runHelper(docker, { image, cmd: ['sh', '-c', attempt], network: 'host', timeoutMs: 20_000 }).catch(() => null);
    if (seen) return true;
    if (!result || result.exitCode === 127) return null;
    return false;
  } finally {
    server.close();
  }
}
