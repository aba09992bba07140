// The master's in-memory state (what an `in_memory` registry holds, plus the
// non-persistent parts), with the mutations that emit operator events.
import { add } from '../common/resource-math';
import type { Resource } from '../common/resources';
import { isTerminal } from './model';
import type {
  MasterInfo,
  AgentRecord,
  UnreachableAgent,
  FrameworkRecord,
  OfferRecord,
  AgentInfo,
  TaskRecord,
  TaskState,
  TaskStatusRecord,
} from './model';

export type OperatorEvent =
  | { type: 'AGENT_ADDED'; agent: AgentRecord; omitCheckpoint: boolean }
  | { type: 'AGENT_REMOVED'; agentId: string }
  | { type: 'TASK_ADDED'; task: TaskRecord }
  /** `status` is the update in flight to the scheduler, `state` the latest the agent knows (docs/mesos/api.md §2.3). */
  | { type: 'TASK_UPDATED'; task: TaskRecord; status: TaskStatusRecord; state: TaskState }
  | { type: 'FRAMEWORK_ADDED'; framework: FrameworkRecord }
  | { type: 'FRAMEWORK_UPDATED'; framework: FrameworkRecord }
  | { type: 'FRAMEWORK_REMOVED'; framework: FrameworkRecord };

export type Counter =
  | 'slave_registrations'
  | 'slave_reregistrations'
  | 'slave_removals'
  | 'slave_removals/reason_registered'
  | 'slave_removals/reason_unhealthy'
  | 'slave_removals/reason_unregistered'
  | 'slave_unreachable_scheduled'
  | 'slave_unreachable_completed'
  | 'slave_unreachable_canceled'
  | 'messages_register_slave'
  | 'messages_reregister_slave'
  | 'messages_unregister_slave'
  | 'messages_update_slave'
  | 'dropped_messages'
  | 'recovery_slave_removals'
  | 'messages_register_framework'
  | 'messages_reregister_framework'
  | 'messages_unregister_framework'
  | 'messages_deactivate_framework'
  | 'messages_launch_tasks'
  | 'messages_decline_offers'
  | 'messages_revive_offers'
  | 'messages_suppress_offers'
  | 'messages_kill_task'
  | 'messages_status_update'
  | 'messages_status_update_acknowledgement'
  | 'messages_reconcile_tasks'
  | 'valid_status_updates'
  | 'invalid_status_updates'
  | 'valid_status_update_acknowledgements'
  | 'invalid_status_update_acknowledgements'
  | 'outstanding_offers'
  | 'frameworks_removed';

export class MasterState {
  readonly agents = {
    registered: new Map<string, AgentRecord>(),
    unreachable: new Map<string, UnreachableAgent>(),
    /** Marked gone by an operator: id → time. */
    gone: new Map<string, bigint>(),
    /** Agents recovered from the registry that have not reregistered yet (always empty with in_memory). */
    recovered: new Map<string, AgentInfo>(),
  };
  readonly frameworks = {
    registered: new Map<string, FrameworkRecord>(),
    completed: [] as FrameworkRecord[],
  };
  readonly offers = new Map<string, OfferRecord>();
  readonly counters = new Map<Counter, number>();
  /** `master/task_lost/source_master/reason_slave_removed` and the like (docs/mesos/faults.md, side effects). */
  readonly reasonCounters = new Map<string, number>();

  private nextAgent = 0;
  private nextFramework = 0;
  private nextOffer = 0;
  private readonly listeners = new Set<(e: OperatorEvent) => void>();

  constructor(readonly info: MasterInfo) {}

  /** `<master id>-S<n>` (Master::newSlaveId). */
  newAgentId(): string {
    return `${this.info.id}-S${this.nextAgent++}`;
  }
  /** `<master id>-NNNN`. */
  newFrameworkId(): string {
    return `${this.info.id}-${String(this.nextFramework++).padStart(4, '0')}`;
  }
  /** `<master id>-O<n>`. */
  newOfferId(): string {
    return `${this.info.id}-O${this.nextOffer++}`;
  }

  inc(counter: Counter, by = 1): void {
    this.counters.set(counter, (this.counters.get(counter) ?? 0) + by);
  }
  count(counter: Counter): number {
    return this.counters.get(counter) ?? 0;
  }

  onEvent(listener: (e: OperatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resources of non-terminal tasks on an agent (unreachable tasks hold none, docs/mesos/api.md §4.1). */
  usedOn(agentId: string): Resource[] {
    let used: Resource[] = [];
    for (const f of this.frameworks.registered.values()) {
      for (const t of f.tasks.values()) if (t.agentId === agentId && !isTerminal(t.state)) used = add(used, t.resources);
    }
    return used;
  }

  offeredOn(agentId: string): Resource[] {
    let offered: Resource[] = [];
    for (const o of this.offers.values()) if (o.agentId === agentId) offered = add(offered, o.resources);
    return offered;
  }

  findAgentByPid(pid: string): AgentRecord | undefined {
    for (const a of this.agents.registered.values()) if (a.pid === pid) return a;
    return undefined;
  }

  addAgent(agent: AgentRecord, opts: { omitCheckpoint?: boolean } = {}): void {
    this.agents.registered.set(agent.info.id, agent);
    this.agents.unreachable.delete(agent.info.id);
    this.agents.recovered.delete(agent.info.id);
    this.emit({ type: 'AGENT_ADDED', agent, omitCheckpoint: opts.omitCheckpoint ?? false });
  }

  /** `_removeSlave`: the agent is gone from the cluster; operators see AGENT_REMOVED. */
  removeAgent(id: string): void {
    if (!this.agents.registered.delete(id)) return;
    this.emit({ type: 'AGENT_REMOVED', agentId: id });
  }

  /** `__removeSlave` via markUnreachable: no operator event (docs/mesos/api.md §0.13). */
  markUnreachable(id: string, time: bigint): void {
    const agent = this.agents.registered.get(id);
    if (!agent) return;
    this.agents.registered.delete(id);
    this.agents.unreachable.set(id, { info: agent.info, pid: agent.pid, unreachableTime: time });
  }

  /** Marked gone by an operator: also no operator event. */
  markGone(id: string, time: bigint): void {
    this.agents.registered.delete(id);
    this.agents.unreachable.delete(id);
    this.agents.recovered.delete(id);
    this.agents.gone.set(id, time);
  }

  /** Sends an event to every operator subscriber. */
  emit(e: OperatorEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}
