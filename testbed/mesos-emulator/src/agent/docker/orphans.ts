// --docker_kill_orphans (default true, docs/mesos/api.md §0.14, §7.4): at start the agent stops and
// removes every `mesos-<uuid>` container it does not know — whichever agent started it.
import type { Logger } from '../../logging/glog';
import type { DockerApi } from './api';

const TASK_CONTAINER = /^\/?mesos-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.executor)?$/;

export async function killOrphans(docker: DockerApi, known: ReadonlySet<string>, logger: Logger): Promise<string[]> {
  const removed: string[] = [];
  for (const c of await docker.list({ name: ['mesos-'] })) {
    const name = c.Names[0] ?? '';
    const m = TASK_CONTAINER.exec(name);
    if (!m || known.has(m[1]!)) continue;
    logger.info('docker.cpp:1110', `Killing orphaned docker container '${name.replace(/^\//, '')}'`);
    await docker.stop(c.Id, 0).catch(() => undefined);
    await docker.remove(c.Id).catch(() => undefined);
    removed.push(name.replace(/^\//, ''));
  }
  return removed;
}
