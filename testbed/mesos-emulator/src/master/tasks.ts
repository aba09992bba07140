// Tasks on the master: ACCEPT with LAUNCH (Master::accept/_accept), KILL, ACKNOWLEDGE, RECONCILE,
// the agents' status updates (Master::statusUpdate) and framework removal. Messages and states
// follow docs/mesos/faults.md rows 5, 6, 6b, 14 and 16, and docs/mesos/api.md §3.3–3.5.
import type { JsonObject } from '../common/json';
import { subtract } from '../common/resource-math';
import { resourcesV1, type Resource } from '../common/resources';
import { parsePid } from '../common/net';
import { emptyResponse, type HttpResponse } from '../http/responses';
import type { HttpRequest } from '../http/router';
import { FROM_HEADER, MSG, type StatusUpdateMessage } from '../internal/messages';
import type { AgentMessenger } from './agent-messenger';
import type { Allocator } from './allocator';
import type { MasterContext } from './context';
import { isTerminal, type FrameworkRecord, type TaskRecord, type TaskState, type TaskStatusRecord } from './model';
import { frameworkInfoV1 } from './render-v1';
import { forFramework, statusFromJson, uuidText, type TaskUpdates } from './task-updates';
import { validateTask } from './task-validation';

type Params = Record<string, unknown>;
const idOf = (v: unknown) => String((v as { value?: unknown } | undefined)?.value ?? '');

/** DockerInfo as the master stores and renders it: defaults filled in, proto order (transcripts/basic/operator.events.jsonl). */
function containerRecord(container: unknown): JsonObject | undefined {
  if (!container || typeof container !== 'object') return undefined;
  const c = container as Params;
  if (c.type !== 'DOCKER' || !c.docker) return c as JsonObject;
  const d = c.docker as Params;
  const docker: JsonObject = {
    image: d.image as string,
    network: (d.network as string | undefined) ?? 'HOST',
    port_mappings: d.port_mappings as JsonObject[] | undefined,
    privileged: (d.privileged as boolean | undefined) ?? false,
    parameters: d.parameters as JsonObject[] | undefined,
    force_pull_image: (d.force_pull_image as boolean | undefined) ?? false,
  };
  for (const [k, v] of Object.entries(d)) if (!(k in docker)) docker[k] = v as JsonObject;
  return { ...(c as JsonObject), docker };
}

export class TaskManager {
  constructor(
    private readonly ctx: MasterContext,
    private readonly updates: TaskUpdates,
    private readonly allocator: Allocator,
    private readonly messenger: AgentMessenger,
  ) {}

  // ---- ACCEPT ----

  accept(f: FrameworkRecord, params: Params): void {
    const { state, logger } = this.ctx;
    const offerIds = ((params.offer_ids as unknown[]) ?? []).map(idOf);
    const operations = (params.operations as Params[] | undefined) ?? [];
    const launches = operations.filter((o) => o.type === 'LAUNCH' || o.type === 'LAUNCH_GROUP');
    const tasks = launches.flatMap((o) =>
      o.type === 'LAUNCH'
        ? (((o.launch as Params | undefined)?.task_infos as Params[] | undefined) ?? [])
        : ((((o.launch_group as Params | undefined)?.task_group as Params | undefined)?.tasks as Params[] | undefined) ?? []),
    );
    state.inc('messages_launch_tasks');

    let error: string | undefined;
    const offers = [];
    if (offerIds.length === 0) error = 'No offers specified';
    for (const id of offerIds) {
      const offer = state.offers.get(id);
      if (!offer || offer.frameworkId !== f.id) {
        error ??= `Offer ${id} is no longer valid`;
        continue;
      }
      offers.push(offer);
    }
    if (!error && new Set(offers.map((o) => o.agentId)).size > 1) error = 'Aggregated offers must belong to one single agent';
    // Every named offer is used up, valid or not; valid ones return their resources.
    for (const o of offers) this.allocator.remove(o.id);
    const agentId = offers[0]?.agentId;
    const agent = agentId ? state.agents.registered.get(agentId) : undefined;
    logger.info(
      'master.cpp:4357',
      `Processing ACCEPT call for offers: [ ${offerIds.join(', ')} ] on agent ${agent ? `${agent.info.id} at ${agent.pid} (${agent.info.hostname})` : agentId ?? '(none)'} for framework ${f.id} (${f.name})`,
    );

    // docs/mesos/faults.md rows 6 / 6b: LOST (DROPPED when partition-aware) / REASON_INVALID_OFFERS.
    if (error) {
      for (const t of tasks) {
        const task = { id: idOf(t.task_id), agentId: idOf(t.agent_id) };
        const status = this.updates.masterStatus(forFramework(f, 'TASK_DROPPED'), 'REASON_INVALID_OFFERS', `Task launched with invalid offers: ${error}`);
        this.updates.forward(f, task, status);
      }
      return;
    }
    if (!agent || !agent.connected) {
      const reason = agent ? 'REASON_AGENT_DISCONNECTED' : 'REASON_AGENT_REMOVED';
      const message = agent ? 'Agent disconnected' : 'Agent removed';
      for (const t of tasks) this.updates.forward(f, { id: idOf(t.task_id), agentId: agentId ?? '' }, this.updates.masterStatus(forFramework(f, 'TASK_DROPPED'), reason, message));
      return;
    }

    let available: Resource[] = offers.flatMap((o) => o.resources);
    for (const op of operations) {
      if (op.type === 'LAUNCH') {
        for (const info of ((op.launch as Params | undefined)?.task_infos as Params[] | undefined) ?? []) {
          available = this.launch(f, info, agent.info.id, available);
        }
      } else if (op.type === 'LAUNCH_GROUP') {
        const group = (((op.launch_group as Params | undefined)?.task_group as Params | undefined)?.tasks as Params[] | undefined) ?? [];
        for (const info of group) {
          const status = this.updates.masterStatus('TASK_ERROR', 'REASON_TASK_GROUP_INVALID', 'The Mesoscope emulator does not run task groups (LAUNCH_GROUP)');
          this.updates.forward(f, { id: idOf(info.task_id), agentId: agent.info.id }, status);
        }
      } else {
        logger.warning('master.cpp:4620', `Ignoring ${String(op.type)} operation: not supported by the Mesoscope emulator`);
      }
    }
    // What the ACCEPT left unused is declined with its filters (docs/mesos/api.md §3.3).
    this.allocator.filter(f, agent.info.id, (params.filters as Params | undefined)?.refuse_seconds);
  }

  private launch(f: FrameworkRecord, info: Params, agentId: string, available: Resource[]): Resource[] {
    const id = idOf(info.task_id);
    const valid = validateTask(f, info, agentId, available);
    if (typeof valid === 'string') {
      // docs/mesos/faults.md row 5: TASK_ERROR / REASON_TASK_INVALID / MASTER; the task is never added.
      this.updates.forward(f, { id, agentId }, this.updates.masterStatus('TASK_ERROR', 'REASON_TASK_INVALID', valid));
      return available;
    }
    const role = f.roles[0] ?? '*';
    const executor = info.executor as Params | undefined;
    const task: TaskRecord = {
      id,
      name: String(info.name ?? ''),
      frameworkId: f.id,
      executorId: executor ? idOf(executor.executor_id) : '',
      agentId,
      state: 'TASK_STAGING',
      resources: valid.resources,
      role,
      statuses: [],
      extra: {
        container: containerRecord(info.container),
        labels: info.labels as JsonObject | undefined,
        discovery: info.discovery as JsonObject | undefined,
        health_check: info.health_check as JsonObject | undefined,
        kill_policy: info.kill_policy as JsonObject | undefined,
      },
    };
    f.tasks.set(id, task);
    this.ctx.state.emit({ type: 'TASK_ADDED', task });
    const withAllocation = (list: unknown) =>
      Array.isArray(list) ? list.map((r) => ({ ...(r as Params), allocation_info: (r as Params).allocation_info ?? { role } })) : list;
    const sent: Params = { ...info, agent_id: { value: agentId }, resources: withAllocation(info.resources) };
    if (executor) sent.executor = { ...executor, framework_id: { value: f.id }, resources: withAllocation(executor.resources ?? []) };
    this.ctx.logger.info(
      'master.cpp:5036',
      `Launching task ${id} of framework ${f.id} (${f.name}) with resources ${JSON.stringify(resourcesV1(valid.resources, { allocationRole: role }))} on agent ${agentId}`,
    );
    this.messenger.send(agentId, MSG.RUN_TASK, { framework: frameworkInfoV1(f), task: sent });
    return subtract(available, [...valid.resources, ...valid.executorResources]);
  }

  // ---- KILL, ACKNOWLEDGE, RECONCILE ----

  kill(f: FrameworkRecord, params: Params): void {
    this.ctx.state.inc('messages_kill_task');
    const taskId = idOf(params.task_id);
    const task = f.tasks.get(taskId);
    if (!task) {
      this.ctx.logger.warning('master.cpp:5712', `Cannot kill task ${taskId} of framework ${f.id} (${f.name}) because it is unknown; performing reconciliation`);
      this.reconcile(f, { tasks: [{ task_id: { value: taskId }, agent_id: params.agent_id }] });
      return;
    }
    const agent = this.ctx.state.agents.registered.get(task.agentId);
    if (!agent?.connected) {
      this.ctx.logger.warning('master.cpp:5760', `Cannot kill task ${taskId} of framework ${f.id} (${f.name}) because the agent ${task.agentId} is disconnected. Kill will be retried if the agent re-registers`);
      return;
    }
    this.ctx.logger.info('master.cpp:5745', `Telling agent ${agent.info.id} at ${agent.pid} (${agent.info.hostname}) to kill task ${taskId} of framework ${f.id} (${f.name})`);
    this.messenger.send(task.agentId, MSG.KILL_TASK, { framework_id: f.id, task_id: taskId, kill_policy: params.kill_policy });
  }

  acknowledge(f: FrameworkRecord, params: Params): void {
    const { state, logger } = this.ctx;
    state.inc('messages_status_update_acknowledgement');
    const taskId = idOf(params.task_id);
    const agentId = idOf(params.agent_id);
    const uuid = String(params.uuid ?? '');
    const task = f.tasks.get(taskId);
    if (!task || task.agentId !== agentId) {
      state.inc('invalid_status_update_acknowledgements');
      logger.warning('master.cpp:5943', `Ignoring status update acknowledgement for task ${taskId} of framework ${f.id}: unknown task`);
      return;
    }
    state.inc('valid_status_update_acknowledgements');
    logger.info('master.cpp:5915', `Processing ACKNOWLEDGE call for status ${uuidText(uuid)} for task ${taskId} of framework ${f.id} (${f.name}) on agent ${agentId}`);
    this.messenger.send(agentId, MSG.STATUS_UPDATE_ACK, { framework_id: f.id, task_id: taskId, uuid });
    if (task.statusUpdateUuid === uuid && task.statusUpdateState && isTerminal(task.statusUpdateState)) this.updates.remove(f, task);
  }

  /** Master::reconcile: explicit for the listed tasks, implicit (every task) for none (docs/mesos/api.md §3.5). */
  reconcile(f: FrameworkRecord, params: Params): void {
    const { state } = this.ctx;
    state.inc('messages_reconcile_tasks');
    const asked = (params.tasks as Params[] | undefined) ?? [];
    const send = (task: { id: string; agentId: string }, s: TaskStatusRecord) => this.updates.forward(f, task, s);
    const reconciled = (state: TaskState, message: string, extra: Partial<TaskStatusRecord> = {}) =>
      this.updates.masterStatus(state, 'REASON_RECONCILIATION', message, extra);
    const latest = (t: TaskRecord) => {
      const last = t.statuses[t.statuses.length - 1];
      return reconciled(t.state, 'Reconciliation: Latest task state', { containerStatus: last?.containerStatus, healthy: last?.healthy });
    };
    const unreachable = (t: { id: string; agentId: string }, time: bigint | undefined) =>
      send(t, reconciled(forFramework(f, 'TASK_UNREACHABLE'), 'Reconciliation: Task is unreachable', { unreachableTime: time }));
    if (asked.length === 0) {
      for (const t of f.tasks.values()) send(t, latest(t));
      for (const t of f.unreachableTasks.values()) unreachable(t, t.statuses[t.statuses.length - 1]?.unreachableTime);
      return;
    }
    for (const a of asked) {
      const id = idOf(a.task_id);
      const agentId = a.agent_id === undefined ? undefined : idOf(a.agent_id);
      const known = f.tasks.get(id);
      const lost = f.unreachableTasks.get(id);
      if (known) send(known, latest(known));
      else if (lost) unreachable(lost, lost.statuses[lost.statuses.length - 1]?.unreachableTime);
      else if (agentId !== undefined && state.agents.unreachable.has(agentId)) unreachable({ id, agentId }, state.agents.unreachable.get(agentId)!.unreachableTime);
      else if (agentId !== undefined && state.agents.gone.has(agentId)) send({ id, agentId }, reconciled(forFramework(f, 'TASK_GONE_BY_OPERATOR'), 'Reconciliation: Task is gone'));
      else if (agentId !== undefined && state.agents.registered.has(agentId)) send({ id, agentId }, reconciled(forFramework(f, 'TASK_GONE'), 'Reconciliation: Task is unknown to the agent'));
      else send({ id, agentId: agentId ?? '' }, reconciled(forFramework(f, 'TASK_UNKNOWN'), 'Reconciliation: Task is unknown'));
    }
  }

  // ---- the agents' status updates ----

  handleStatusUpdate = (req: HttpRequest): HttpResponse => {
    const { state, logger } = this.ctx;
    const from = req.headers[FROM_HEADER];
    const pid = typeof from === 'string' ? parsePid(from) : undefined;
    const agent = pid ? state.findAgentByPid(`${pid.id}@${pid.ip}:${pid.port}`) : undefined;
    let msg: StatusUpdateMessage;
    try {
      msg = JSON.parse(req.body.toString('utf8')) as StatusUpdateMessage;
    } catch {
      return emptyResponse(400);
    }
    state.inc('messages_status_update');
    if (!this.ctx.elected() || !agent) {
      // The agent retries until it is (re)registered with the leader.
      logger.warning('master.cpp:8110', `Ignoring status update ${msg.status?.state} for task ${msg.status?.task_id?.value} from unknown agent ${String(from)}`);
      state.inc('invalid_status_updates');
      return emptyResponse(202);
    }
    const f = state.frameworks.registered.get(msg.framework_id);
    const taskId = msg.status.task_id.value;
    if (!f) {
      logger.warning('master.cpp:8135', `Ignoring status update ${msg.status.state} for task ${taskId} of unknown framework ${msg.framework_id}`);
      state.inc('invalid_status_updates');
      return emptyResponse(202);
    }
    state.inc('valid_status_updates');
    const status = statusFromJson(msg.status);
    const task = f.tasks.get(taskId);
    // The master keeps statuses without their data (docs/mesos/api.md §0.10); the framework gets it all.
    if (task) this.updates.update(task, { ...status, data: undefined }, msg.latest_state as TaskState);
    this.updates.forward(f, { id: taskId, agentId: agent.info.id }, status, msg.status);
    return emptyResponse(202);
  };

  // ---- framework removal ----

  /** Master::removeFramework: its live tasks become KILLED / REASON_FRAMEWORK_REMOVED (docs/mesos/faults.md row 16). */
  frameworkRemoved(f: FrameworkRecord): void {
    for (const task of [...f.tasks.values(), ...f.unreachableTasks.values()]) {
      if (!isTerminal(task.state) || f.unreachableTasks.has(task.id)) {
        const status = this.updates.masterStatus('TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', `Framework ${f.id} removed`);
        this.updates.update(task, status);
      }
      this.updates.remove(f, task);
    }
    for (const agentId of this.ctx.state.agents.registered.keys()) {
      this.messenger.send(agentId, MSG.SHUTDOWN_FRAMEWORK, { framework_id: f.id });
    }
  }
}
