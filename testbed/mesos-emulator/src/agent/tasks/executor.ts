// What an emulated executor (executors/*.ts) gets from the agent, and what it offers back.
// Real Mesos runs mesos-docker-executor / mesos-executor as processes that speak to the agent;
// here they run inside the agent process, and they die with it, as executors do when an agent
// container without --docker_mesos_image stops (docs/mesos/api.md §7.4).
import type { Flags } from '../../common/flags';
import type { Logger } from '../../logging/glog';
import type { DockerApi } from '../docker/api';
import type { AgentExecutor, AgentFramework, TaskState } from './model';

export interface UpdateFields {
  source: 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';
  reason?: string;
  message?: string;
  data?: string;
  containerStatus?: Record<string, unknown>;
  /** A health check's result (RUNNING with REASON_TASK_HEALTH_CHECK_STATUS_UPDATED), or the end of a task it killed. */
  healthy?: boolean;
}

export interface ExecutorHost {
  readonly flags: Flags;
  readonly logger: Logger;
  readonly docker: DockerApi;
  readonly agentId: string;
  /** The agent's advertised IP: what a container without network info reports (docs/mesos/api.md §1.5). */
  readonly agentIp: string;
  readonly framework: AgentFramework;
  readonly executor: AgentExecutor;
  /** Sends a status update for the executor's task. */
  update(state: TaskState, fields: UpdateFields): void;
  /**
   * The executor registers with the agent (RegisterExecutorMessage). Resolves false when the agent
   * cannot answer it (the executor's advertised address is unreachable, docs/mesos/faults.md row 14): the
   * executor then never receives its task.
   */
  register(): Promise<boolean>;
  /** A glog line of the executor, written to the sandbox's stderr (docs/mesos/faults.md, side effects). */
  log(source: string, message: string): void;
  /** Appends task output to the sandbox's stdout or stderr. */
  output(stream: 'stdout' | 'stderr', data: Buffer | string): void;
  /** The executor has ended (after its terminal update, or abnormally). */
  terminated(): void;
}

export interface ExecutorRuntime {
  /** KILL from the framework: KILLING (with TASK_KILLING_STATE), then stop within the grace period. */
  kill(graceMs: number): void;
  /** The agent destroys the container (registration timeout, framework shutdown); resolves once it is gone. */
  destroy(): Promise<void>;
  /** Still fetching or pulling: a destroy now is a launch that never finished (docs/mesos/faults.md row 13). */
  launching(): boolean;
}

/** `TASK_STARTING`/`TASK_RUNNING`'s container_status (transcripts/basic/sched.events.jsonl). */
export function containerStatus(containerId: string, ip: string, executorPid?: number): Record<string, unknown> {
  return {
    container_id: { value: containerId },
    network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: ip }] }],
    ...(executorPid === undefined ? {} : { executor_pid: executorPid }),
  };
}

/** The command of a TaskInfo or ExecutorInfo: `/bin/sh -c value` with shell (the default), else value and arguments. */
export function commandArgv(command: Record<string, unknown> | undefined): string[] {
  const value = typeof command?.value === 'string' ? command.value : undefined;
  const args = Array.isArray(command?.arguments) ? (command.arguments as unknown[]).map(String) : [];
  if (command?.shell !== false) return ['/bin/sh', '-c', value ?? ''];
  return value === undefined ? args : [value, ...args.slice(args[0] === value ? 1 : 0)];
}

/** CommandInfo.environment.variables as `NAME=value`. */
export function commandEnv(command: Record<string, unknown> | undefined): string[] {
  const vars = ((command?.environment as { variables?: Array<{ name?: string; value?: string }> } | undefined)?.variables ?? []);
  return vars.filter((v) => typeof v.name === 'string').map((v) => `${v.name}=${v.value ?? ''}`);
}

export const hasKillingState = (f: AgentFramework) => f.capabilities.includes('TASK_KILLING_STATE');
