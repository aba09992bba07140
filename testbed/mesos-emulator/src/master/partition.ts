// What happens to tasks when their agent disconnects, becomes unreachable, leaves, is marked gone
// or comes back (Master::exited, markUnreachable, _removeSlave, markGone, _reregisterSlave).
// docs/mesos/faults.md rows 9–12 and 18; docs/mesos/api.md §4.4.
import { resourcesFromV1 } from '../common/resource-math';
import { MSG, type RegisterMessage, type TaskJson } from '../internal/messages';
import type { AgentMessenger } from './agent-messenger';
import type { AgentHooks } from './agents';
import type { Allocator } from './allocator';
import type { MasterContext } from './context';
import type { FrameworkManager } from './frameworks';
import { isTerminal, type AgentRecord, type FrameworkRecord, type TaskRecord, type TaskState, type UnreachableAgent } from './model';
import type { SchedulerStreams } from './scheduler-streams';
import { forFramework, statusFromJson, type TaskUpdates } from './task-updates';

export class PartitionHandling implements AgentHooks {
  constructor(
    private readonly ctx: MasterContext,
    private readonly updates: TaskUpdates,
    private readonly allocator: Allocator,
    private readonly streams: SchedulerStreams,
    private readonly messenger: AgentMessenger,
    private readonly frameworks: FrameworkManager,
  ) {}

  private tasksOn(agentId: string): Array<[FrameworkRecord, TaskRecord]> {
    const out: Array<[FrameworkRecord, TaskRecord]> = [];
    for (const f of this.ctx.state.frameworks.registered.values()) {
      for (const t of f.tasks.values()) if (t.agentId === agentId) out.push([f, t]);
    }
    return out;
  }

  /** The agent's socket closed: tasks of non-checkpointing frameworks are lost at once (docs/mesos/faults.md row 11; no PA variant, docs/mesos/api.md §4.4). */
  disconnected(agent: AgentRecord): void {
    this.allocator.rescindOn(agent.info.id);
    for (const [f, task] of this.tasksOn(agent.info.id)) {
      if (f.checkpoint || isTerminal(task.state)) continue;
      const status = this.updates.masterStatus('TASK_LOST', 'REASON_AGENT_DISCONNECTED', `Agent ${agent.info.hostname} disconnected`);
      this.updates.transition(f, task, status);
    }
  }

  /** Missed pings: UNREACHABLE (PA) or LOST, REASON_AGENT_REMOVED, then FAILURE (docs/mesos/faults.md rows 9, 10, 12). */
  unreachable(agent: UnreachableAgent): void {
    this.allocator.rescindOn(agent.info.id);
    for (const [f, task] of this.tasksOn(agent.info.id)) {
      if (isTerminal(task.state)) {
        this.updates.remove(f, task);
        continue;
      }
      const status = this.updates.masterStatus(forFramework(f, 'TASK_UNREACHABLE'), 'REASON_AGENT_REMOVED', 'health check timed out', {
        unreachableTime: agent.unreachableTime,
      });
      this.updates.transition(f, task, status);
    }
    this.streams.broadcast({ type: 'FAILURE', failure: { agent_id: { value: agent.info.id } } });
  }

  /** Unregistered or replaced (docs/mesos/api.md §9 row 17). */
  removed(agent: AgentRecord, reason: string): void {
    this.endAll(agent.info.id, 'TASK_GONE', 'REASON_AGENT_REMOVED', `Agent ${agent.info.hostname} removed: ${reason}`);
  }

  /** MARK_AGENT_GONE (docs/mesos/api.md §9 row 18). */
  gone(agentId: string): void {
    for (const f of this.ctx.state.frameworks.registered.values()) {
      for (const t of [...f.unreachableTasks.values()]) if (t.agentId === agentId) f.tasks.set(t.id, t);
    }
    for (const [f, task] of this.tasksOn(agentId)) {
      if (isTerminal(task.state) && task.state !== 'TASK_LOST') continue;
      const pa = forFramework(f, 'TASK_GONE_BY_OPERATOR') === 'TASK_GONE_BY_OPERATOR';
      const status = this.updates.masterStatus(pa ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST', pa ? 'REASON_AGENT_REMOVED_BY_OPERATOR' : 'REASON_AGENT_REMOVED', 'Agent has been marked gone');
      this.updates.transition(f, task, status);
    }
    this.allocator.rescindOn(agentId);
    this.streams.broadcast({ type: 'FAILURE', failure: { agent_id: { value: agentId } } });
  }

  private endAll(agentId: string, paState: TaskState, reason: string, message: string): void {
    this.allocator.rescindOn(agentId);
    for (const [f, task] of this.tasksOn(agentId)) {
      if (isTerminal(task.state)) continue;
      this.updates.transition(f, task, this.updates.masterStatus(forFramework(f, paState), reason, message));
    }
    this.streams.broadcast({ type: 'FAILURE', failure: { agent_id: { value: agentId } } });
  }

  /**
   * A reregistering agent reports its tasks. Tasks that were unreachable come back with their real
   * state and an update REASON_AGENT_REREGISTERED "Unreachable agent re-reregistered" (sic; docs/mesos/faults.md
   * rows 9, 10, 12); tasks a new leader never saw are adopted (row 18).
   */
  reregistered(agent: AgentRecord, msg: RegisterMessage): void {
    for (const info of msg.frameworks ?? []) this.frameworks.adopt(info);
    for (const reported of msg.tasks ?? []) {
      const frameworkId = reported.framework_id.value;
      const f = this.ctx.state.frameworks.registered.get(frameworkId);
      if (!f) {
        if (this.ctx.state.frameworks.completed.some((c) => c.id === frameworkId)) {
          this.messenger.send(agent.info.id, MSG.SHUTDOWN_FRAMEWORK, { framework_id: frameworkId });
        }
        continue;
      }
      const id = reported.task_id.value;
      const wasUnreachable = f.unreachableTasks.get(id);
      if (f.tasks.has(id)) continue;
      if (!wasUnreachable && f.completedTasks.some((t) => t.id === id)) continue;
      const task = taskFromReport(reported, f.roles[0] ?? '*', wasUnreachable);
      f.unreachableTasks.delete(id);
      f.tasks.set(id, task);
      this.ctx.state.emit({ type: 'TASK_ADDED', task });
      if (wasUnreachable) {
        const last = task.statuses[task.statuses.length - 1];
        const status = this.updates.masterStatus(task.state, 'REASON_AGENT_REREGISTERED', 'Unreachable agent re-reregistered', {
          containerStatus: last?.containerStatus,
        });
        this.updates.forward(f, task, status);
      }
    }
  }
}

function taskFromReport(r: TaskJson, role: string, previous: TaskRecord | undefined): TaskRecord {
  const resources = resourcesFromV1(r.resources);
  return {
    id: r.task_id.value,
    name: r.name,
    frameworkId: r.framework_id.value,
    executorId: previous?.executorId ?? r.executor_id?.value ?? '',
    agentId: r.agent_id.value,
    state: r.state as TaskState,
    resources: resources instanceof Error ? (previous?.resources ?? []) : resources,
    role,
    statuses: r.statuses.map(statusFromJson),
    statusUpdateState: r.status_update_state as TaskState | undefined,
    statusUpdateUuid: r.status_update_uuid,
    extra: previous?.extra ?? (r.container ? { container: r.container as never } : undefined),
  };
}
