// Agent recovery of checkpointed tasks (Slave::recover, DockerContainerizer::recover): the runs
// of checkpointing frameworks are read back, their unacknowledged updates queued again, and a
// run whose executor died with the old agent process ends TASK_FAILED / REASON_EXECUTOR_TERMINATED
// / "Container terminated" once --executor_reregistration_timeout has passed; its container is
// stopped (docs/mesos/faults.md row 12; the log lines are transcripts/after/agent-log.txt's).
import type { Logger } from '../../logging/glog';
import type { DockerApi } from '../docker/api';
import { isTerminal, type AgentExecutor, type AgentTask, type TaskState } from './model';
import type { TaskCheckpoint } from './sandbox';
import type { TaskManager } from './task-manager';

export interface Recovered {
  /** ContainerIDs the agent knows (not orphans). */
  known: Set<string>;
  /** Runs whose executor is gone. */
  lost: AgentExecutor[];
}

export function recoverTasks(manager: TaskManager, checkpoint: TaskCheckpoint, logger: Logger): Recovered {
  const known = new Set<string>();
  const lost: AgentExecutor[] = [];
  const seenFrameworks = new Set<string>();
  for (const run of checkpoint.recover()) {
    if (!seenFrameworks.has(run.frameworkId)) {
      logger.info('slave.cpp:8485', `Recovering framework ${run.frameworkId}`);
      seenFrameworks.add(run.frameworkId);
    }
    for (const t of run.tasks) {
      const pending = t.updates.filter((u) => !u.uuid || !t.acked.has(u.uuid));
      const last = t.updates[t.updates.length - 1];
      const state = (last?.state ?? 'TASK_STAGING') as TaskState;
      if (isTerminal(state) && pending.length === 0) continue;
      const framework = manager.ensureFramework(run.framework);
      logger.info('slave.cpp:10509', `Recovering executor '${run.executorId}' of framework ${run.frameworkId}`);
      const taskId = String((t.info.task_id as { value: string }).value);
      const task: AgentTask = { id: taskId, name: String(t.info.name ?? ''), frameworkId: run.frameworkId, executorId: t.executorId, info: t.info, state, statuses: t.updates };
      const executor: AgentExecutor = { ...run, id: run.executorId, task, registered: true, completed: isTerminal(state) };
      manager.adopt(framework, executor);
      known.add(run.containerId);
      for (const u of pending) manager.updates.enqueue(run.frameworkId, u);
      if (!isTerminal(state)) lost.push(executor);
    }
  }
  return { known, lost };
}

/** After the reregistration timeout: the executors that did not come back are terminated. */
export async function terminateLost(manager: TaskManager, docker: DockerApi, logger: Logger, lost: AgentExecutor[]): Promise<void> {
  if (lost.length > 0) logger.info('slave.cpp:5910', 'Cleaning up un-reregistered executors');
  for (const e of lost) {
    if (e.kind === 'docker') {
      logger.info('docker.cpp:2732', `Executor for container ${e.containerId} has exited`);
      logger.info('docker.cpp:2503', `Destroying container ${e.containerId} in RUNNING state`);
      logger.info('docker.cpp:2553', `Running docker stop on container ${e.containerId}`);
      await docker.stop(`mesos-${e.containerId}`, 0).catch(() => undefined);
    }
    manager.executorLost(e, e.kind === 'docker' ? 'Container terminated' : 'Executor terminated');
  }
}
