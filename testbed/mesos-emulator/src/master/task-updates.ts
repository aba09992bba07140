// The master's bookkeeping of task statuses (Master::updateTask, removeTask, forward):
// a task's `state` is the latest the agent knows, its `statuses` the transitions (a repeated
// state replaces the last entry, docs/mesos/api.md §0.10), and every update goes to the framework's stream.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../common/json';
import { nowNs, nsToSecs } from '../common/time';
import type { StatusJson } from '../internal/messages';
import type { MasterContext } from './context';
import { hasCapability, isTerminal, type FrameworkRecord, type TaskRecord, type TaskSource, type TaskState, type TaskStatusRecord } from './model';
import { statusV1 } from './render-v1';
import type { SchedulerStreams } from './scheduler-streams';

/** A fresh status update uuid: 16 random bytes, base64 (docs/mesos/api.md §0.19). */
export function newUuid(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
}

/** Printable form of a base64 uuid, as the logs show it ("Status UUID: 40e17dde-…"). */
export function uuidText(b64: string | undefined): string {
  if (!b64) return '';
  const hex = Buffer.from(b64, 'base64').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function statusFromJson(s: StatusJson): TaskStatusRecord {
  return {
    state: s.state as TaskState,
    timestamp: s.timestamp,
    message: s.message,
    source: s.source,
    reason: s.reason,
    data: s.data,
    executorId: s.executor_id?.value,
    uuid: s.uuid,
    containerStatus: s.container_status as JsonObject | undefined,
    healthy: s.healthy,
  };
}

/** Partition-aware frameworks get the PA states; the others TASK_LOST (docs/mesos/api.md §4.4). */
export function forFramework(f: FrameworkRecord, paState: TaskState): TaskState {
  return hasCapability(f, 'PARTITION_AWARE') ? paState : 'TASK_LOST';
}

/** v0 spelling, as metrics use it (docs/mesos/api.md §4.2): SOURCE_AGENT → source_slave, REASON_AGENT_* → reason_slave_*. */
export function reasonMetric(state: string, source: string, reason: string): string {
  const v0 = (s: string) => s.toLowerCase().replace(/^source_agent$/, 'source_slave').replace(/^reason_agent_/, 'reason_slave_');
  return `master/${state.toLowerCase()}/${v0(source)}/${v0(reason)}`;
}

export class TaskUpdates {
  private readonly counted = new Set<string>();

  constructor(
    private readonly ctx: MasterContext,
    private readonly streams: SchedulerStreams,
  ) {}

  /** A status made by the master (source MASTER, no uuid: nothing to acknowledge). */
  masterStatus(state: TaskState, reason: string, message: string, extra: Partial<TaskStatusRecord> = {}): TaskStatusRecord {
    return { state, timestamp: nsToSecs(nowNs()), message, source: 'SOURCE_MASTER' as TaskSource, reason, ...extra };
  }

  /** Master::updateTask, with the operator event. `latestState` is the agent's view when it is ahead. */
  update(task: TaskRecord, status: TaskStatusRecord, latestState?: TaskState): void {
    const before = task.state;
    task.state = latestState ?? status.state;
    const last = task.statuses[task.statuses.length - 1];
    const transition = !last || last.state !== status.state;
    if (transition) task.statuses.push(status);
    else task.statuses[task.statuses.length - 1] = status;
    if (status.uuid) {
      task.statusUpdateState = status.state;
      task.statusUpdateUuid = status.uuid;
    }
    // One TASK_UPDATED per new state (transcripts/basic/operator.events.jsonl: oom-hog's RUNNING
    // arrived with latest_state FAILED, then FAILED itself: two events).
    if (transition || before !== task.state) this.ctx.state.emit({ type: 'TASK_UPDATED', task, status, state: task.state });
  }

  /** Sends an UPDATE to the framework; `raw` is the agent's status JSON, passed on as sent. */
  forward(f: FrameworkRecord, task: Pick<TaskRecord, 'id' | 'agentId'>, status: TaskStatusRecord, raw?: StatusJson): void {
    const json = raw ? ({ ...raw } as unknown as JsonObject) : statusV1(task, status);
    if (status.uuid) {
      this.ctx.logger.info('master.cpp:8244', `Forwarding status update ${status.state} (Status UUID: ${uuidText(status.uuid)}) for task ${task.id} of framework ${f.id}`);
    } else {
      this.ctx.logger.info('master.cpp:8239', `Sending status update ${status.state} for task ${task.id} of framework ${f.id}${status.message ? ` '${status.message}'` : ''}`);
    }
    this.streams.send(f.id, { type: 'UPDATE', update: { status: json } });
    this.count(status);
  }

  private count(s: TaskStatusRecord): void {
    if (!s.reason || !s.source || s.reason === 'REASON_RECONCILIATION') return;
    if (!isTerminal(s.state) && s.state !== 'TASK_UNREACHABLE') return;
    // Resent updates count once.
    if (s.uuid) {
      if (this.counted.has(s.uuid)) return;
      this.counted.add(s.uuid);
    }
    const key = reasonMetric(s.state, s.source, s.reason);
    this.ctx.state.reasonCounters.set(key, (this.ctx.state.reasonCounters.get(key) ?? 0) + 1);
  }

  /** Master::removeTask: out of `tasks`, into the unreachable or completed lists. */
  remove(f: FrameworkRecord, task: TaskRecord, unreachable = false): void {
    f.tasks.delete(task.id);
    if (unreachable) {
      f.unreachableTasks.set(task.id, task);
      const max = this.ctx.flags.int('max_unreachable_tasks_per_framework') ?? 1000;
      while (f.unreachableTasks.size > max) f.unreachableTasks.delete(f.unreachableTasks.keys().next().value!);
      return;
    }
    f.unreachableTasks.delete(task.id);
    f.completedTasks.push(task);
    const max = this.ctx.flags.int('max_completed_tasks_per_framework') ?? 1000;
    if (f.completedTasks.length > max) f.completedTasks.splice(0, f.completedTasks.length - max);
  }

  /** A status the master decides (lost, killed, unreachable…): record it, tell the framework, file the task. */
  transition(f: FrameworkRecord, task: TaskRecord, status: TaskStatusRecord): void {
    this.update(task, status);
    this.forward(f, task, status);
    if (status.state === 'TASK_UNREACHABLE' || status.unreachableTime !== undefined) this.remove(f, task, true);
    else if (isTerminal(status.state)) this.remove(f, task);
  }
}
