import { posix } from 'node:path';
import type { DaemonHost } from '../docker/daemon-host';

/**
 * Where agents' work dirs live: a path on the Docker host (posix, whatever this machine's OS), bound
 * at the same path inside the agent container because the daemon resolves each task's sandbox bind on
 * its own host. MESOSCOPE_WORK_ROOT when set; otherwise beside Docker's own data folder, which the
 * daemon reports: /var/lib/mesoscope for a rootful daemon (and inside the VM of Docker Desktop and the
 * like), ~/.local/share/mesoscope for rootless Docker, which may write nowhere else.
 */
export function workRootFor(host: Pick<DaemonHost, 'dockerRootDir'>, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.MESOSCOPE_WORK_ROOT || posix.join(posix.dirname(host.dockerRootDir || '/var/lib/docker'), 'mesoscope');
  checkWorkRoot(root);
  return root;
}

/** A work root is an absolute posix path on the Docker host, without `..` or characters Docker's binds split on. */
export function checkWorkRoot(root: string): void {
  if (!root.startsWith('/') || root.split('/').includes('..') || /[:,\0\n]/.test(root) || root === '/') {
    throw new Error(`workRoot: "${root}" must be an absolute path on the Docker host (posix, e.g. /var/lib/mesoscope), without "..", ":" or ",".`);
  }
}
