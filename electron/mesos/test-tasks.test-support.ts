import type { TaskInfo } from '@shared/mesos/scheduler';

/** A shell command task (the Mesos containerizer), for tests and benchmarks. */
export function commandTask(id: string, command: string, { cpus = 0.1, mem = 32 }: { cpus?: number; mem?: number } = {}): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
      { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
    ],
    command: { shell: true, value: command },
  };
}

/** The same command in a Docker container of `image` (the Docker containerizer). */
export function dockerTask(id: string, command: string, image = 'mesoscope/task-base:test', resources?: { cpus?: number; mem?: number }): TaskInfo {
  return { ...commandTask(id, command, resources), container: { type: 'DOCKER', docker: { image } } };
}
