import Dockerode from 'dockerode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '@shared/api/client';
import type { ClusterSpecInput } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import { connectionInfo } from '@shared/cluster/connection';
import type { ActiveRecording, SavedRecording } from '@shared/contract/doctor';
import type { Injection } from '@shared/contract/runs';
import type { Task } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import { ApiError } from '@shared/errors';
import type { FaultId } from '@shared/faults/catalog';
import type { Judgement } from '@shared/faults/judge';
import type { TaskState } from '@shared/mesos/v1';
import type { AgentSpecInput } from '@shared/cluster/spec';
import { createInProcessTransport } from './api/in-process-transport';
import { type Core, createCore } from './core';
import type { DestroyReport } from './engine/destroy';
import { dockerOptionsFor, resolveDockerEndpoint } from './docker/endpoint';
import { sessionFor } from './engine/session-reaper';
import { type AgentInfo, ClusterSession, type FaultOptions, type TaskOutcome, type TaskSpec, type UndoResult } from './scripting/cluster-session';

export type { ClusterSpecInput } from '@shared/cluster/spec';
export type { ClusterSummary } from '@shared/cluster/status';
export type { DestroyReport } from './engine/destroy';
export type { Task, StatusEntry } from '@shared/dashboard/view';
export type { Diagnosis } from '@shared/doctor/diagnosis';
export type { Injection } from '@shared/contract/runs';
export type { Judgement } from '@shared/faults/judge';
export type { FaultId } from '@shared/faults/catalog';
export type { TaskState } from '@shared/mesos/v1';
export type { ActiveRecording, SavedRecording } from '@shared/contract/doctor';
export type { AgentInfo, FaultOptions, TaskOutcome, TaskSpec, UndoResult } from './scripting/cluster-session';
export { ApiError } from '@shared/errors';

/** A fault injected by `cluster.fault()`: what Mesos will do, what it did, and the way back. */
export interface InjectedFault {
  injection: Injection;
  /** Resolves once the outcome is judged (as the Faults tab judges it): as-expected, different, early or late. */
  outcome(timeoutMs?: number): Promise<Judgement>;
  /** Undo the fault (start, unpause, reconnect the node it hit); resolves once the node is back. */
  undo(): Promise<UndoResult>;
}

/** One agent of the cluster, with its node actions. */
export interface AgentHandle extends AgentInfo {
  stop(): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Remove it from the cluster (a cluster keeps at least one agent). */
  remove(): Promise<void>;
}

/** A recording under way (`cluster.record(file)`). */
export interface RecordingHandle extends ActiveRecording {
  /** End it: the file is complete. */
  stop(): Promise<SavedRecording>;
}

export interface RunningCluster {
  name: string;
  /** host:port of the first master (it redirects to the leader). */
  master: string;
  /** zk://host:port/mesos, for MESOS_MASTER. */
  zk: string;
  summary: ClusterSummary;
  /**
   * Run one task with the built-in framework: resolves with its final status (FINISHED, FAILED…), or
   * as soon as it reaches `until`; rejects if it ends otherwise first, or after `timeoutMs` (120 s).
   */
  run(task: TaskSpec, options?: { until?: TaskState; timeoutMs?: number }): Promise<TaskOutcome>;
  /** Every task the leading master knows, oldest first. */
  tasks(): Promise<Task[]>;
  /** Resolves once the task (id, or `<framework id>/<task id>`) is in `state`; rejects if it ends otherwise first. */
  waitForTask(id: string, state: TaskState, timeoutMs?: number): Promise<TaskOutcome>;
  /** Kill a task of the built-in framework. */
  kill(id: string): Promise<void>;
  /** A task's stdout (or stderr) from its sandbox. */
  logs(id: string, options?: { stream?: 'stdout' | 'stderr' }): Promise<string>;
  /** The task doctor's diagnosis: cause, fix and the evidence timeline. */
  diagnose(id: string): Promise<Diagnosis>;
  /** Break something on purpose (faults.md): resolves once the fault is applied. */
  fault(kind: FaultId, options?: FaultOptions): Promise<InjectedFault>;
  /** The agents, with stop/start/pause/unpause/remove. */
  agents(): Promise<AgentHandle[]>;
  /** Add an agent (resources, attributes, flags…); resolves once it is registered. */
  addAgent(spec?: Partial<AgentSpecInput>): Promise<AgentHandle>;
  /** Record the cluster (flight recorder) into `file` until `stop()`. */
  record(file: string): Promise<RecordingHandle>;
  /** Remove everything the cluster made; resolves with what was removed. */
  destroy(): Promise<DestroyReport>;
}

export interface StartOptions {
  /** Docker endpoint; by default found as the docker CLI finds it (DOCKER_HOST, the current context, …). */
  dockerHost?: string;
  /** Where agents' work dirs go: a posix path on the Docker host (same path there and in the agent). */
  workRoot?: string;
  readyTimeoutMs?: number;
  /**
   * The reaper removes this process's clusters after it ends, even by kill -9 (engine/reaper.ts):
   * false turns it off; `image` (an image with perl; default the agent image), `graceMs` (default 10 s).
   */
  reaper?: false | { image?: string; graceMs?: number };
}

/**
 * For test code: launch a cluster and resolve when every node is ready (ZooKeeper answers, a master
 * leads, every agent is registered). Always `destroy()` it, e.g. in afterAll.
 *
 *   const cluster = await startCluster({ name: 'it', agents: { count: 2 } });
 *   const result = await cluster.run({ command: 'echo hello' });   // result.state === 'TASK_FINISHED'
 *   await cluster.destroy();
 *
 * Behind it is the app's own API (the in-process dispatcher), as the UI and the CLI use it. Settings
 * and the built-in framework's ids live in a temporary folder of its own: a test is not changed by the
 * user's settings, and leaves nothing in them.
 */
export async function startCluster(spec: ClusterSpecInput, options: StartOptions = {}): Promise<RunningCluster> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.dockerHost) env.DOCKER_HOST = options.dockerHost;
  const endpoint = resolveDockerEndpoint(null, env);
  // Before anything is created: the reaper holds this process's session.
  const { workRoot, labels } = await sessionFor(new Dockerode(dockerOptionsFor(endpoint)), spec, { endpointUrl: endpoint.url, workRoot: options.workRoot, reaper: options.reaper });
  const configDir = await mkdtemp(join(tmpdir(), 'mesoscope-test-api-'));
  let core: Core;
  try {
    core = await createCore({ configDir, env: { ...env, MESOSCOPE_CONFIG_DIR: configDir }, readyTimeoutMs: options.readyTimeoutMs, workRoot, labels });
  } catch (err) {
    await rm(configDir, { recursive: true, force: true });
    throw err;
  }
  const api = createClient(createInProcessTransport(core.dispatcher));
  const shutdown = async () => {
    await core.dispose();
    await rm(configDir, { recursive: true, force: true });
  };
  let summary: ClusterSummary;
  try {
    summary = await api.call('clusters.create', { spec });
  } catch (err) {
    // A launch that got as far as creating containers must not leave them behind in a test run
    // (refused and invalid launches created nothing).
    if (err instanceof ApiError && err.code === 'failed' && typeof spec.name === 'string') {
      await api.call('clusters.destroy', { name: spec.name }).catch(() => undefined);
    }
    await shutdown();
    throw err;
  }
  const info = connectionInfo(summary);
  const session = new ClusterSession(api, summary.name);
  return {
    name: summary.name,
    master: info.master,
    zk: info.zk,
    summary,
    run: (task, runOptions) => session.run(task, runOptions),
    tasks: () => session.tasks(),
    waitForTask: (id, state, timeoutMs) => session.waitForTask(id, state, timeoutMs),
    kill: (id) => session.kill(id),
    logs: (id, logOptions) => session.logs(id, logOptions),
    diagnose: (id) => session.diagnose(id),
    fault: async (kind, faultOptions) => {
      const injection = await session.fault(kind, faultOptions);
      const agentIndex = injection.node ? (await session.agents()).find((a) => a.node === injection.node)?.index : undefined;
      return {
        injection,
        outcome: (timeoutMs) => session.faultOutcome(injection, timeoutMs),
        undo: () => session.undo(kind, agentIndex !== undefined ? { agent: agentIndex } : {}),
      };
    },
    agents: async () => (await session.agents()).map((a) => agentHandle(session, a)),
    addAgent: async (agentSpec) => agentHandle(session, await session.addAgent(agentSpec)),
    record: async (file) => ({ ...(await session.record(resolve(file))), stop: () => session.stopRecording() }),
    destroy: async () => {
      session.close();
      try {
        return await api.call('clusters.destroy', { name: summary.name });
      } finally {
        await shutdown();
      }
    },
  };
}

function agentHandle(session: ClusterSession, agent: AgentInfo): AgentHandle {
  return {
    ...agent,
    stop: () => session.nodeAction(agent.node, 'stop'),
    start: () => session.nodeAction(agent.node, 'start'),
    pause: () => session.nodeAction(agent.node, 'pause'),
    unpause: () => session.nodeAction(agent.node, 'unpause'),
    remove: async () => void (await session.removeAgent(agent.index)),
  };
}
