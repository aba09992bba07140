import { z } from 'zod';

/** What Docker says of a task's container (`mesos-<ContainerID>`, the Docker containerizer's name). */
export const TaskContainerSchema = z.object({
  name: z.string(),
  /** False when Docker has no such container (a command task, or removed after docker_remove_delay). */
  exists: z.boolean(),
  image: z.string().optional(),
  status: z.string().optional(),
  exitCode: z.number().int().optional(),
  oomKilled: z.boolean().optional(),
  error: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type TaskContainer = z.infer<typeof TaskContainerSchema>;

/** The Docker containerizer's name for a container id (Mesos >= 1.4, docs/mesos/api.md §1 item 14). */
export const taskContainerName = (containerId: string) => `mesos-${containerId}`;

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/.source;
/** `mesos-<ContainerID>` since Mesos 1.4, `mesos-<AgentID>.<ContainerID>` in 0.23–1.3, `.executor` for --docker_mesos_image (docs/mesos/api.md §7.4). */
const TASK_CONTAINER = new RegExp(`^/?mesos-(?:[^.]+-S\\d+\\.)?(${UUID})(?:\\.executor)?$`);

/** The Mesos ContainerID of a task container's name, or undefined for any other container. */
export function mesosContainerIdOf(name: string): string | undefined {
  return TASK_CONTAINER.exec(name)?.[1];
}
