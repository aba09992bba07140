import type Dockerode from 'dockerode';
import { taskContainerName, type TaskContainer } from '@shared/tasks';

/** Docker's state of a task's container; `exists: false` when Docker has none by that name. */
export async function inspectTaskContainer(docker: Dockerode, containerId: string): Promise<TaskContainer> {
  const name = taskContainerName(containerId);
  try {
    const info = await docker.getContainer(name).inspect();
    const s = info.State;
    const finished = s.FinishedAt && !s.FinishedAt.startsWith('0001-') ? s.FinishedAt : undefined;
    return {
      name,
      exists: true,
      image: info.Config.Image,
      status: s.Status,
      exitCode: s.Running || !finished ? undefined : s.ExitCode,
      oomKilled: s.OOMKilled,
      error: s.Error || undefined,
      startedAt: s.StartedAt && !s.StartedAt.startsWith('0001-') ? s.StartedAt : undefined,
      finishedAt: finished,
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { name, exists: false };
    throw err;
  }
}
