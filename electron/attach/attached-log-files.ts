import type { HttpAccess } from '../mesos/access';
import { FilesClient } from '../mesos/agent-client';
import type { LogCluster } from '../logs/log-service';
import type { FileLogTarget } from '../recorder/file-logs';

/**
 * The Mesos log files an attached cluster's running masters and agents serve through /files
 * (`/master/log`, `/slave/log`: only those started with --log_dir list it in /files/debug). A node
 * that does not answer, or runs without --log_dir, is left out.
 */
export async function attachedLogFiles(cluster: LogCluster, access: HttpAccess | undefined, timeoutMs = 3000): Promise<FileLogTarget[]> {
  const nodes = cluster.nodes.filter((n) => (n.role === 'master' || n.role === 'agent') && n.state === 'running');
  const found = await Promise.all(
    nodes.map(async (n): Promise<FileLogTarget | null> => {
      const path = n.role === 'master' ? '/master/log' : '/slave/log';
      const debug = await new FilesClient(n.address, { timeoutMs, access }).debug().catch(() => ({}) as Record<string, string>);
      return path in debug ? { node: { role: n.role as 'master' | 'agent', index: n.index }, files: new FilesClient(n.address, { access }), path } : null;
    }),
  );
  return found.filter((t): t is FileLogTarget => t !== null);
}
