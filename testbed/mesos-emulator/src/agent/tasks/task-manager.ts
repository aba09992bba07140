// The agent's part of running tasks (Slave::run, killTask, statusUpdate, executorTerminated,
// shutdownFramework in src/slave/slave.cpp): sandboxes, the choice of containerizer, the executor
// registration timer, status updates through the update manager, and what the agent reports
// when it reregisters.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Duration } from '../../common/durations';
import { nowNs, nsToSecs } from '../../common/time';
import type { KillTaskMessage, RunTaskMessage, StatusJson, StatusUpdateAckMessage, TaskJson } from '../../internal/messages';
import type { AgentContext } from '../context';
import type { DockerApi } from '../docker/api';
import { CommandExecutor } from '../executors/command-executor';
import { CustomExecutor } from '../executors/custom-executor';
import { DockerExecutor } from '../executors/docker-executor';
import { SyntheticExecutor } from '../executors/synthetic-executor';
import type { ExecutorHost, ExecutorRuntime, UpdateFields } from './executor';
import { executorEnvironment, overridesAddress, reachBack } from './executor-address';
import { fetchUris, urisOf } from './fetcher';
import { frameworkCaps, isTerminal, type AgentExecutor, type AgentFramework, type AgentTask, type ExecutorKind, type TaskState } from './model';
import { attachSandbox, createSandbox, type RunInfo, type TaskCheckpoint } from './sandbox';
import type { StatusUpdateManager } from './status-updates';

type Obj = Record<string, unknown>;

/** base64 of 16 random bytes. */
const newUuid = () => Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');

/** "40e17dde-6427-4b46-96f8-fc8755ba114e", as logs print a status uuid. */
export function uuidText(b64: string | undefined): string {
  const hex = Buffer.from(b64 ?? '', 'base64').toString('hex');
  return hex.length === 32 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : '';
}

export class TaskManager {
  readonly frameworks = new Map<string, AgentFramework>();
  readonly completedFrameworks: AgentFramework[] = [];
  private readonly runtimes = new Map<string, ExecutorRuntime>();
  private readonly registrationTimers = new Map<string, NodeJS.Timeout>();
  /** Runs whose URIs are being fetched (before their executor starts). */
  private readonly fetching = new Map<string, AbortController>();
  updates!: StatusUpdateManager;

  constructor(
    private readonly ctx: AgentContext,
    private readonly docker: DockerApi,
    private readonly checkpoint: TaskCheckpoint,
    private readonly agentIp: string,
  ) {}

  private agentId(): string {
    return this.ctx.agentId() ?? '';
  }

  private runKey(e: AgentExecutor): string {
    return `${e.frameworkId}/${e.id}/${e.containerId}`;
  }

  findTask(frameworkId: string, taskId: string): { framework: AgentFramework; executor: AgentExecutor } | undefined {
    const framework = this.frameworks.get(frameworkId);
    if (!framework) return undefined;
    for (const executor of [...framework.executors.values(), ...framework.completedExecutors]) {
      if (executor.task.id === taskId) return { framework, executor };
    }
    return undefined;
  }

  ensureFramework(info: Obj): AgentFramework {
    const id = String((info.id as { value?: unknown } | undefined)?.value ?? '');
    let f = this.frameworks.get(id);
    if (!f) {
      f = { id, info, checkpoint: info.checkpoint === true, capabilities: frameworkCaps(info), executors: new Map(), completedExecutors: [] };
      this.frameworks.set(id, f);
    } else {
      f.info = info;
      f.capabilities = frameworkCaps(info);
    }
    if (f.checkpoint) this.checkpoint.framework(id, info);
    return f;
  }

  private kindOf(task: Obj): ExecutorKind | 'unsupported' {
    const containerizers = (this.ctx.flags.str('containerizers') ?? 'mesos').split(',').map((s) => s.trim());
    const docker = (task.container as { type?: unknown } | undefined)?.type === 'DOCKER';
    if (task.executor) return 'custom';
    if (this.ctx.flags.bool('synthetic_tasks')) return 'synthetic';
    if (docker) return containerizers.includes('docker') ? 'docker' : 'unsupported';
    return containerizers.includes('mesos') ? 'command' : 'unsupported';
  }

  // ---- messages from the master ----

  runTask(msg: RunTaskMessage): void {
    const { logger, flags } = this.ctx;
    const framework = this.ensureFramework(msg.framework);
    const info = msg.task;
    const taskId = String((info.task_id as { value: string }).value);
    if (this.findTask(framework.id, taskId)) {
      logger.warning('slave.cpp:2288', `Ignoring running task ${taskId} of framework ${framework.id}: it is already known`);
      return;
    }
    const custom = info.executor as Obj | undefined;
    const executorId = custom ? String((custom.executor_id as { value: string }).value) : taskId;
    const containerId = randomUUID();
    logger.info('slave.cpp:2310', `Got assigned task '${taskId}' for framework ${framework.id}`);
    const directory = createSandbox(flags.str('work_dir')!, this.agentId(), framework.id, executorId, containerId);
    attachSandbox(this.ctx.files, flags.str('work_dir')!, this.agentId(), framework.id, executorId, directory);
    const kind = this.kindOf(info);
    const task: AgentTask = { id: taskId, name: String(info.name ?? ''), frameworkId: framework.id, executorId: custom ? executorId : '', info, state: 'TASK_STAGING', statuses: [] };
    const executor: AgentExecutor = { id: executorId, frameworkId: framework.id, containerId, directory, kind: kind === 'unsupported' ? 'docker' : kind, task, registered: false, completed: false };
    framework.executors.set(executorId, executor);
    if (framework.checkpoint) this.checkpoint.run(this.runInfo(executor), info, task.executorId);
    logger.info('slave.cpp:2864', `Launching task '${taskId}' for framework ${framework.id}`);

    if (kind === 'unsupported') {
      // docs/mesos/faults.md row 17 (docs/mesos/api.md §9 row 5).
      logger.error('slave.cpp:7105', `None of the enabled containerizers (${flags.str('containerizers')}) could create a container for the provided TaskInfo/ExecutorInfo message`);
      this.agentUpdate(executor, 'TASK_FAILED', { reason: 'REASON_EXECUTOR_TERMINATED', message: 'Abnormal executor termination: unknown container' });
      this.executorTerminated(executor);
      return;
    }
    const timeout = flags.duration('executor_registration_timeout')!;
    this.registrationTimers.set(this.runKey(executor), setTimeout(() => void this.registrationTimeout(executor, timeout), timeout.ms));
    const host = this.host(framework, executor);
    const runtime =
      kind === 'docker' ? new DockerExecutor(host)
      : kind === 'command' ? new CommandExecutor(host)
      : kind === 'custom' ? new CustomExecutor(host)
      : new SyntheticExecutor(host);
    this.runtimes.set(this.runKey(executor), runtime);
    const uris = urisOf(info);
    if (uris.length === 0) {
      runtime.start();
      return;
    }
    // The fetcher runs before the executor, within the registration timeout (docs/mesos/api.md §0.16).
    const key = this.runKey(executor);
    const fetching = new AbortController();
    this.fetching.set(key, fetching);
    const stderr = path.join(directory, 'stderr');
    void fetchUris(uris, directory, (line) => appendSafe(stderr, `${glogPrefix()} fetcher.cpp:0] ${line}\n`), fetching.signal).then(
      () => {
        this.fetching.delete(key);
        if (!executor.completed) runtime.start();
      },
      () => {
        this.fetching.delete(key);
        if (executor.completed) return;
        this.agentUpdate(executor, 'TASK_FAILED', {
          reason: 'REASON_CONTAINER_LAUNCH_FAILED',
          message: `Failed to launch container: Failed to fetch all URIs for container '${containerId}': exited with status 1`,
        });
        this.executorTerminated(executor);
      },
    );
  }

  killTask(msg: KillTaskMessage): void {
    const found = this.findTask(msg.framework_id, msg.task_id);
    const { logger } = this.ctx;
    if (!found || found.executor.completed || isTerminal(found.executor.task.state)) {
      logger.warning('slave.cpp:3208', `Ignoring kill task ${msg.task_id} of framework ${msg.framework_id}: the task is unknown or already terminal`);
      return;
    }
    const { executor } = found;
    logger.info('slave.cpp:3990', `Asked to kill task ${msg.task_id} of framework ${msg.framework_id}`);
    if (executor.unreachable) {
      // Real Mesos sends the kill to the executor, which never gets it: no update (docs/mesos/faults.md row 14).
      logger.warning('process.cpp:1917', `Failed to send 'mesos.internal.KillTaskMessage' to '${executor.unreachable.address}', connect: ${executor.unreachable.error}`);
      return;
    }
    const runtime = this.runtimes.get(this.runKey(executor));
    if (!executor.registered || !runtime) {
      // The task never reached its executor (still launching, or row 14's unreachable executor).
      void runtime?.destroy();
      this.agentUpdate(executor, 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH', message: 'Killed before delivery to the executor' });
      this.executorTerminated(executor);
      return;
    }
    runtime.kill(this.gracePeriodMs(executor.task.info, msg.kill_policy));
  }

  /** The KILL call's kill_policy, else the task's, else --executor_shutdown_grace_period (the ~5 s of docs/mesos/faults.md row 7). */
  private gracePeriodMs(task: Obj, callPolicy: KillTaskMessage['kill_policy']): number {
    const ns = callPolicy?.grace_period?.nanoseconds ?? (task.kill_policy as KillTaskMessage['kill_policy'])?.grace_period?.nanoseconds;
    return ns !== undefined ? Number(ns) / 1e6 : this.ctx.flags.duration('executor_shutdown_grace_period')!.ms;
  }

  acknowledge(msg: StatusUpdateAckMessage): void {
    if (!this.updates.acknowledge(msg.framework_id, msg.task_id, msg.uuid)) {
      this.ctx.logger.warning('task_status_update_manager.cpp:394', `Ignoring acknowledgement ${msg.uuid} for task ${msg.task_id} of framework ${msg.framework_id}: not the update in flight`);
    }
  }

  /** Called by the update manager once the head update is acknowledged. */
  acknowledged(frameworkId: string, taskId: string, status: StatusJson): void {
    const found = this.findTask(frameworkId, taskId);
    if (!found) return;
    const { framework, executor } = found;
    if (framework.checkpoint && status.uuid) this.checkpoint.ack(this.runInfo(executor), taskId, status.uuid);
  }

  shutdownFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (!framework) return;
    this.ctx.logger.info('slave.cpp:3420', `Asked to shut down framework ${frameworkId} by the master`);
    this.updates.dropFramework(frameworkId);
    for (const executor of [...framework.executors.values()]) {
      const runtime = this.runtimes.get(this.runKey(executor));
      executor.completed = true;
      if (runtime) void runtime.destroy();
      else this.executorTerminated(executor);
    }
    this.frameworks.delete(frameworkId);
    this.completedFrameworks.push(framework);
  }

  // ---- executors ----

  private host(framework: AgentFramework, executor: AgentExecutor): ExecutorHost {
    const { flags, logger } = this.ctx;
    const stderr = path.join(executor.directory, 'stderr');
    const stdout = path.join(executor.directory, 'stdout');
    return {
      flags,
      logger,
      docker: this.docker,
      agentId: this.agentId(),
      agentIp: this.agentIp,
      framework,
      executor,
      update: (state, fields) => this.transition(executor, state, fields),
      register: () => this.registerExecutor(executor),
      log: (source, message) => appendSafe(stderr, `${glogPrefix()} ${source}] ${message}\n`),
      output: (stream, data) => appendSafe(stream === 'stdout' ? stdout : stderr, data),
      terminated: () => this.executorTerminated(executor),
    };
  }

  private async registerExecutor(executor: AgentExecutor): Promise<boolean> {
    if (executor.completed) return false;
    // The agent took the RegisterExecutorMessage: from here on the registration timer is moot.
    clearTimeout(this.registrationTimers.get(this.runKey(executor)));
    const env = executorEnvironment(this.ctx.flags.str('executor_environment_variables'));
    const { address, error } = overridesAddress(env) ? await reachBack(env, this.ctx.flags.str('ip') ?? '0.0.0.0', this.agentIp) : { address: '' };
    if (error) {
      // What Mesos 1.12 logs here (observed): the registration counts, the link back fails, the task is
      // sent anyway and lost. Registered, so no registration timeout ever ends it: STAGING for good.
      const { logger } = this.ctx;
      const pid = `executor(1)@${address}`;
      logger.info('slave.cpp:5499', `Got registration for executor '${executor.id}' of framework ${executor.frameworkId} from ${pid}`);
      logger.warning('process.cpp:1480', `Failed to link to '${address}', connect: ${error}`);
      logger.info('slave.cpp:6718', `Got exited event for ${pid}`);
      logger.info('slave.cpp:3652', `Sending queued task '${executor.task.id}' to executor '${executor.id}' of framework ${executor.frameworkId} at ${pid}`);
      logger.warning('process.cpp:1917', `Failed to send 'mesos.internal.RunTaskMessage' to '${address}', connect: ${error}`);
      executor.registered = true;
      executor.unreachable = { address, error };
      return false;
    }
    executor.registered = true;
    return !executor.completed;
  }

  private async registrationTimeout(executor: AgentExecutor, timeout: Duration): Promise<void> {
    if (executor.completed || executor.registered) return;
    const runtime = this.runtimes.get(this.runKey(executor));
    const fetch = this.fetching.get(this.runKey(executor));
    fetch?.abort();
    const launching = fetch !== undefined || (runtime?.launching() ?? false);
    this.ctx.logger.info('slave.cpp:6896', `Terminating executor '${executor.id}' of framework ${executor.frameworkId} because it did not register within ${timeout}`);
    executor.completed = true;
    await runtime?.destroy();
    if (launching) {
      // Observed, not what the source suggests (docs/mesos/faults.md row 13): the pull is discarded.
      this.agentUpdate(executor, 'TASK_FAILED', {
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: 'Failed to launch container: discarded; Abnormal executor termination: unknown container',
      });
    } else {
      this.agentUpdate(executor, 'TASK_FAILED', { reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', message: `Executor did not register within ${timeout}` });
    }
  }

  private executorTerminated(executor: AgentExecutor): void {
    clearTimeout(this.registrationTimers.get(this.runKey(executor)));
    this.registrationTimers.delete(this.runKey(executor));
    this.runtimes.delete(this.runKey(executor));
    executor.completed = true;
    const framework = this.frameworks.get(executor.frameworkId) ?? this.completedFrameworks.find((f) => f.id === executor.frameworkId);
    if (!framework || framework.executors.get(executor.id) !== executor) return;
    framework.executors.delete(executor.id);
    framework.completedExecutors.push(executor);
    const max = this.ctx.flags.int('max_completed_executors_per_framework') ?? 150;
    if (framework.completedExecutors.length > max) framework.completedExecutors.shift();
    if (executor.kind === 'docker') this.scheduleRemoval(executor.containerId);
  }

  /** Exited task containers stay until --docker_remove_delay (docs/mesos/faults.md, side effects). */
  private scheduleRemoval(containerId: string): void {
    const delay = this.ctx.flags.duration('docker_remove_delay')!;
    const timer = setTimeout(() => void this.docker.remove(`mesos-${containerId}`).catch(() => undefined), Math.min(delay.ms, 2 ** 31 - 1));
    timer.unref();
  }

  // ---- status updates ----

  private agentUpdate(executor: AgentExecutor, state: TaskState, fields: Omit<UpdateFields, 'source'>): void {
    this.transition(executor, state, { ...fields, source: 'SOURCE_AGENT' });
  }

  private transition(executor: AgentExecutor, state: TaskState, fields: UpdateFields): void {
    const task = executor.task;
    if (isTerminal(task.state)) return;
    const status: StatusJson = {
      task_id: { value: task.id },
      state,
      message: fields.message,
      source: fields.source,
      reason: fields.reason,
      data: fields.data,
      agent_id: { value: this.agentId() },
      executor_id: { value: executor.id },
      timestamp: nsToSecs(nowNs()),
      uuid: newUuid(),
      container_status: fields.containerStatus,
      healthy: fields.healthy,
    };
    for (const k of Object.keys(status) as Array<keyof StatusJson>) if (status[k] === undefined) delete status[k];
    this.record(executor, status);
  }

  /** Applies and sends a status (also used by recovery for its terminal updates). */
  record(executor: AgentExecutor, status: StatusJson): void {
    const task = executor.task;
    task.state = status.state as TaskState;
    task.statuses.push(status);
    const framework = this.frameworks.get(executor.frameworkId);
    if (framework?.checkpoint) this.checkpoint.update(this.runInfo(executor), task.id, status);
    this.ctx.logger.info('slave.cpp:6060', `Handling status update ${status.state} for task ${task.id} of framework ${executor.frameworkId}`);
    this.updates.enqueue(executor.frameworkId, status);
  }

  /** A recovered run whose executor is gone (the agent restarted): its task ends here (docs/mesos/faults.md row 12). */
  executorLost(executor: AgentExecutor, message: string): void {
    this.agentUpdate(executor, 'TASK_FAILED', { reason: 'REASON_EXECUTOR_TERMINATED', message });
    this.executorTerminated(executor);
  }

  /** Puts a recovered run back in place, its sandbox reachable through /files again. */
  adopt(framework: AgentFramework, executor: AgentExecutor): void {
    framework.executors.set(executor.id, executor);
    try {
      attachSandbox(this.ctx.files, this.ctx.flags.str('work_dir')!, this.agentId(), framework.id, executor.id, executor.directory);
    } catch {
      /* the sandbox is gone */
    }
  }

  latestState(frameworkId: string, taskId: string): string {
    return this.findTask(frameworkId, taskId)?.executor.task.state ?? 'TASK_STAGING';
  }

  runInfo(e: AgentExecutor): RunInfo {
    return { frameworkId: e.frameworkId, executorId: e.id, containerId: e.containerId, kind: e.kind, directory: e.directory };
  }

  // ---- what a reregistration reports (ReregisterSlaveMessage.tasks / frameworks) ----

  report(): { tasks: TaskJson[]; frameworks: Obj[] } {
    const tasks: TaskJson[] = [];
    for (const f of this.frameworks.values()) {
      for (const e of [...f.executors.values(), ...f.completedExecutors]) {
        const t = e.task;
        const pending = this.updates.pending(f.id, t.id);
        // Terminal tasks whose updates were all acknowledged are done with.
        if (isTerminal(t.state) && pending.length === 0) continue;
        tasks.push(taskJson(this.agentId(), t, pending[0]));
      }
    }
    return { tasks, frameworks: [...this.frameworks.values()].map((f) => f.info) };
  }

  stop(): void {
    for (const t of this.registrationTimers.values()) clearTimeout(t);
    this.updates.stop();
  }
}

export function taskJson(agentId: string, t: AgentTask, inFlight?: StatusJson): TaskJson {
  // Statuses keep their data: a task re-added from a report shows it (transcripts/fault-stop-legacy/operator.events.jsonl).
  const statuses = t.statuses;
  return {
    name: t.name,
    task_id: { value: t.id },
    framework_id: { value: t.frameworkId },
    ...(t.executorId ? { executor_id: { value: t.executorId } } : {}),
    agent_id: { value: agentId },
    state: t.state,
    resources: (t.info.resources as Obj[] | undefined) ?? [],
    statuses,
    ...(inFlight ? { status_update_state: inFlight.state, status_update_uuid: inFlight.uuid } : {}),
    ...(t.info.container ? { container: t.info.container as Obj } : {}),
  };
}

function appendSafe(file: string, data: Buffer | string): void {
  try {
    fs.appendFileSync(file, data);
  } catch {
    /* the sandbox was removed */
  }
}

/** `I1121 14:55:11.673635  9433` */
function glogPrefix(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = p(d.getMilliseconds() * 1000, 6);
  return `I${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${us} ${String(process.pid).padStart(5, ' ')}`;
}
