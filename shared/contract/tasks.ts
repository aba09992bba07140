import { z } from 'zod';
import { TaskContainerSchema } from '../tasks';
import { defineCall } from './define';

export const taskCalls = {
  'tasks.container': defineCall({
    description: "Docker's view of a task's container (mesos-<ContainerID>): status, exit code, OOM kill, times; exists=false when there is none.",
    input: z.object({ containerId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'a Mesos ContainerID') }).strict(),
    output: TaskContainerSchema,
  }),
} as const;
