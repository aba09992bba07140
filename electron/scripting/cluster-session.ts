import { randomBytes } from 'node:crypto';
import { access, copyFile, rename, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { MesoscopeClient } from '@shared/api/client';
import { connectionInfo } from '@shared/cluster/connection';
import type { AgentSpecInput } from '@shared/cluster/spec';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import type { ActiveRecording, SavedRecording } from '@shared/contract/doctor';
import type { FaultRequestInput, Injection } from '@shared/contract/runs';
import type { Agent, ClusterView, StatusEntry, Task } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import type { Verdicts } from '@shared/doctor/verdict';
import { ApiError } from '@shared/errors';
import { clusterTimers, type FaultContext, type FaultId, faultById } from '@shared/faults/catalog';
import { judge, type Judgement } from '@shared/faults/judge';
import { TERMINAL_TASK_STATES, type TaskState } from '@shared/mesos/v1';
import type { FrameworkVariant, Launched, RunRequestInput, RunsView } from '@shared/runs/schemas';
import { RECORDING_EXTENSION } from '@shared/recording/schema';
import { LiveView } from './live-view';

const exists = (path: string) => access(path).then(() => true, () => false);
import { streamLog } from './log-stream';

/**
 * Everything a script does to one cluster, through the API the UI uses (the in-process dispatcher):
 * the `mesoscope` CLI and the test API (`startCluster`) are both thin layers over this class, so a
 * behaviour tested here holds for both, and for the UI, which calls the same handlers.
 */

/** What `run` takes: the Run dialog's fields (the cluster is the session's; the name has a default). */
export type TaskSpec = Omit<RunRequestInput, 'cluster' | 'name'> & { name?: string };

export interface TaskOutcome {
  key: string;
  id: string;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  /** The status that brought it to `state` (undefined while STAGING: it has none). */
  status: StatusEntry | undefined;
  task: Task;
}

export interface AgentInfo {
  /** The node's index (`agent-<index>`). */
  index: number;
  /** Its container name. */
  node: string;
  /** The container's state (running, paused, exited…). */
  container: NodeStatus['state'];
  /** Its Mesos agent id as the leader knows it (the latest, after a wiped work_dir), if registered. */
  agentId?: string;
  /** As the master sees it: active, disconnected, unreachable… */
  mesos?: Agent['state'];
  port: number;
}

export interface FaultOptions {
  /** The agent to hit: its node index (2 for agent-2) or Mesos agent id; default the first ordinary one. */
  agent?: number | string;
  framework?: Partial<FrameworkVariant>;
  /** The image of the task the fault starts (agent and master faults, the OOM task). */
  taskImage?: string;
  /** The fault's other parameters (image, timeout: see the Faults tab). */
  params?: Record<string, string>;
}

export interface UndoResult {
  fault: FaultId;
  node: string;
  action: 'unpause' | 'start' | 'reconnect';
  /** What faults.md says follows. */
  expected: string | undefined;
  /** What the tasks on agents the master did not see active went through after the undo. */
  observed: Array<{ taskKey: string; state: TaskState; status: StatusEntry | undefined; fromFramework?: boolean }>;
}

const DEFAULT_WAIT_MS = 120_000;
const FAULT_SLACK_MS = 10_000;

export class ClusterSession {
  private liveView: LiveView | null = null;
  private recordingTarget: string | undefined;

  constructor(
    readonly api: MesoscopeClient,
    readonly name: string,
  ) {}

  /** The dashboard's and the framework's views of the cluster (subscribed on first use). */
  get live(): LiveView {
    this.liveView ??= new LiveView(this.api, this.name);
    return this.liveView;
  }

  close(): void {
    this.liveView?.close();
    this.liveView = null;
  }

  async summary(): Promise<ClusterSummary> {
    const cluster = (await this.api.call('clusters.list', {})).find((c) => c.name === this.name);
    if (!cluster) throw new ApiError('not-found', `No cluster named "${this.name}".`);
    return cluster;
  }

  /** The summary of a cluster Mesoscope launched; undefined for an attached one (it has no layout of ours). */
  async launchedSummary(): Promise<ClusterSummary | undefined> {
    const attached = (await this.api.call('attach.list', {})).some((c) => c.name === this.name);
    return attached ? undefined : this.summary();
  }

  /** `export MESOS_MASTER=… LIBPROCESS_IP=…` and the first master's URL (any master redirects to the leader). */
  async env(): Promise<Record<string, string>> {
    const info = connectionInfo(await this.summary());
    return { MESOS_MASTER: info.zk, LIBPROCESS_IP: info.libprocessIp, MESOSCOPE_MASTER_URL: `http://${info.master}` };
  }

  // ---- tasks ----

  async tasks(): Promise<Task[]> {
    const view = await this.live.live();
    return Object.values(view.tasks).sort((a, b) => a.seenAt - b.seenAt);
  }

  /** A task by id (or `<framework id>/<task id>`); ids are unique per framework only. */
  async task(idOrKey: string, timeoutMs = 10_000): Promise<Task> {
    await this.live.live();
    return this.live.until(`task ${idOrKey} in the Mesos view`, (view) => (view ? findTask(view, idOrKey) : undefined), timeoutMs).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'failed') throw new ApiError('not-found', `Cluster "${this.name}" has no task ${idOrKey}.`);
      throw err;
    });
  }

  /** Launch with the built-in framework; resolves once every instance is launched. */
  async launch(spec: TaskSpec): Promise<Launched> {
    await this.live.live();
    return this.api.call('runs.launch', { ...spec, cluster: this.name, name: spec.name ?? 'task' });
  }

  /**
   * Resolves with the task once it is in `state` (or any terminal state, when `state` is left out) —
   * or rejects when it ends in another terminal state first, or after `timeoutMs`.
   */
  async waitForTask(idOrKey: string, state?: TaskState, timeoutMs = DEFAULT_WAIT_MS): Promise<TaskOutcome> {
    const key = (await this.task(idOrKey)).key;
    const task = await this.live.until(
      `task ${idOrKey} to be ${state ?? 'over'}`,
      (view) => {
        const t = view?.tasks[key];
        if (!t) return undefined;
        if (state === undefined) return endStatus(t) && t;
        if (state === 'TASK_STAGING' ? t.state === state : t.statuses.some((s) => s.state === state)) return t;
        // LOST is terminal but not final: the agent may come back and say what became of the task.
        const last = t.statuses.at(-1);
        if (last && TERMINAL_TASK_STATES.has(last.state) && last.state !== 'TASK_LOST') {
          throw new ApiError('failed', `Task ${t.id} ended ${last.state}${last.reason ? ` / ${last.reason}` : ''} before reaching ${state}.`, { task: t });
        }
        return undefined;
      },
      timeoutMs,
    );
    return outcomeOf(task);
  }

  /** Run one task (one instance) and resolve with its final status, or once it reaches `until`. */
  async run(spec: TaskSpec, options: { until?: TaskState; timeoutMs?: number } = {}): Promise<TaskOutcome> {
    const launched = await this.launch({ ...spec, instances: 1 });
    const [first] = launched.tasks;
    if (!first) throw new ApiError('internal', 'runs.launch resolved without a task.');
    return this.waitForTask(`${launched.frameworkId}/${first.taskId}`, options.until, options.timeoutMs);
  }

  async kill(idOrKey: string): Promise<void> {
    const task = await this.task(idOrKey);
    await this.api.call('runs.kill', { cluster: this.name, frameworkId: task.frameworkId, taskId: task.id });
  }

  /**
   * Kills every task of the built-in framework that is not over. Found in the dashboard's view (a
   * framework that just resubscribed has not heard of its tasks yet), killed one by one.
   */
  async killAll(): Promise<string[]> {
    const ours = await this.ownFrameworkIds();
    const live = (await this.tasks()).filter((t) => ours.has(t.frameworkId) && !TERMINAL_TASK_STATES.has(t.state));
    for (const t of live) await this.api.call('runs.kill', { cluster: this.name, frameworkId: t.frameworkId, taskId: t.id });
    return live.map((t) => t.key);
  }

  /**
   * Waits (bounded) until the built-in framework's subscriptions the master knows are resubscribed
   * in this process, so that the updates they get from now on are seen here.
   */
  private async builtInSubscribed(timeoutMs = 15_000): Promise<void> {
    const view = await this.live.live();
    const known = Object.values(view.frameworks).filter((f) => f.name === 'mesoscope' && f.state !== 'removed').map((f) => f.id);
    const settled = (runs: RunsView) => known.every((id) => runs.frameworks.some((f) => f.id === id && (f.state === 'subscribed' || f.state === 'failed')));
    await this.live.until('the built-in framework to resubscribe', (_view, runs) => settled(runs), timeoutMs).catch(() => undefined);
  }

  /** The built-in framework's ids on this cluster, once its subscriptions have settled. */
  private async ownFrameworkIds(): Promise<Set<string>> {
    const view = await this.live.live();
    // The master knows it by name; runs.kill resubscribes it with its stored id (or says it is not ours).
    return new Set(Object.values(view.frameworks).flatMap((f) => (f.name === 'mesoscope' && f.state !== 'removed' ? [f.id] : [])));
  }

  /** The task's stdout or stderr from its sandbox, whole (as far as it is written). */
  async logs(idOrKey: string, options: { stream?: 'stdout' | 'stderr' } = {}): Promise<string> {
    const task = await this.task(idOrKey);
    const chunks: string[] = [];
    await streamLog(
      this.api,
      { source: { kind: 'task', cluster: this.name, taskId: task.id, frameworkId: task.frameworkId, file: options.stream ?? 'stdout' }, follow: false, fromOffset: 0 },
      (text, done) => {
        chunks.push(text);
        done();
      },
    );
    return chunks.join('');
  }

  // ---- the doctor ----

  /**
   * The doctor's diagnosis. The evidence (Docker events, log lines) is read from 10 minutes back when
   * a process starts watching the cluster, as a stream: asked again until two answers agree (at most
   * `settleMs`), so a fresh process does not answer before its evidence is in.
   */
  async diagnose(idOrKey: string, settleMs = 3000): Promise<Diagnosis> {
    const task = await this.task(idOrKey);
    const ask = () => this.api.call('doctor.diagnose', { cluster: this.name, taskKey: task.key });
    let last = await ask();
    const deadline = Date.now() + settleMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 400));
      const next = await ask();
      if (sameDiagnosis(last, next)) return next;
      last = next;
    }
    return last;
  }

  async verdicts(): Promise<Verdicts> {
    await this.live.live();
    return this.api.call('doctor.verdicts', { cluster: this.name });
  }

  // ---- faults ----

  async fault(kind: FaultId, options: FaultOptions = {}): Promise<Injection> {
    await this.live.live();
    const params: Record<string, string> = { ...options.params };
    if (options.agent !== undefined) params.agent = typeof options.agent === 'number' ? await this.agentIdOf(options.agent) : options.agent;
    const request: FaultRequestInput = { cluster: this.name, fault: kind, params, framework: options.framework ?? {} };
    if (options.taskImage) request.taskImage = options.taskImage;
    return this.api.call('faults.inject', request);
  }

  /**
   * Watches the fault's task until the judgement is in, judged as the Faults tab judges it
   * (shared/faults/judge.ts): as expected, different, early or late.
   */
  async faultOutcome(injection: Injection, timeoutMs?: number): Promise<Judgement> {
    const exp = injection.expectation;
    const leaderBefore = portOf(injection.leaderBefore);
    let leaderChangedAt: number | undefined;
    return this.live.until(
      `the outcome of ${injection.fault}`,
      (view, runs) => {
        const now = Date.now();
        const leader = portOf(view?.masters.find((m) => m.leader)?.url);
        if (leaderBefore !== undefined && leader !== undefined && leader !== leaderBefore) leaderChangedAt ??= now;
        const reconciled = runs.updates.find((u) => u.taskId === injection.taskId && u.frameworkId === injection.frameworkId && u.reason === 'REASON_RECONCILIATION');
        const task = view?.tasks[`${injection.frameworkId}/${injection.taskId}`];
        const j = judge({ expectation: exp, injectedAt: injection.injectedAt, task, now, leaderChangedAt, reconciled });
        return j.verdict !== 'waiting' && j;
      },
      timeoutMs ?? Math.max(exp.withinMs, exp.holdMs ?? 0) + FAULT_SLACK_MS,
    );
  }

  /**
   * Undoes a node fault: the node it hit is found by its state (the stopped or paused agent, the
   * stopped master, the agent the master cannot reach) unless `agent` names it. Resolves once the
   * node is back (an agent: active again in the master's view) and, for up to `waitMs`, the tasks on
   * that agent have had their say.
   */
  async undo(kind: FaultId, options: { agent?: number; waitMs?: number } = {}): Promise<UndoResult> {
    const def = faultById(kind);
    if (!def.undo) throw new ApiError('invalid-input', `${kind} cannot be undone (only ${['stop-agent', 'pause-agent', 'cut-agent-network', 'stop-leader'].join(', ')} can).`);
    const action = def.undo.action;
    const summary = await this.summary();
    const view = await this.live.live();
    const agents = await this.agents();
    let node: string | undefined;
    let agent: AgentInfo | undefined;
    if (kind === 'stop-leader') {
      node = summary.nodes.find((n) => n.role === 'master' && n.state === 'exited')?.name;
      if (!node) throw new ApiError('not-found', `No stopped master in "${this.name}": nothing to undo.`);
    } else {
      const hit = (a: AgentInfo) => (kind === 'stop-agent' ? a.container === 'exited' : kind === 'pause-agent' ? a.container === 'paused' : a.container === 'running' && a.mesos !== 'active');
      const candidates = options.agent !== undefined ? agents.filter((a) => a.index === options.agent) : agents.filter(hit);
      if (candidates.length === 0) throw new ApiError('not-found', options.agent !== undefined ? `Cluster "${this.name}" has no agent ${options.agent}.` : `No agent of "${this.name}" looks hit by ${kind}: nothing to undo.`);
      if (candidates.length > 1) throw new ApiError('invalid-input', `Several agents look hit by ${kind} (${candidates.map((a) => a.index).join(', ')}): say which with --agent N.`);
      agent = candidates[0] as AgentInfo;
      node = agent.node;
    }
    // The tasks the undo may bring news of: those on agents the master does not see active now (an
    // unreachable agent may be missing from the view, so it cannot be matched by its port).
    const active = new Set(Object.values(view.agents).filter((a) => a.state === 'active').map((a) => a.id));
    const watched = agent ? Object.values(view.tasks).filter((t) => !active.has(t.agentId) && (!TERMINAL_TASK_STATES.has(t.state) || t.state === 'TASK_LOST')) : [];
    await this.api.call('faults.undo', { cluster: this.name, node, action });
    await this.builtInSubscribed();
    const updatesBefore = this.live.runsView.updates.at(-1);
    // News of a task: the updates the built-in framework received since (the operator stream does not
    // carry a re-registered task's reason), else the statuses it got since, else its state changing back.
    const observed = (): UndoResult['observed'] =>
      watched.flatMap((t): UndoResult['observed'] => {
        const updates = this.live.runsView.updates;
        const received = updates
          .slice(updatesBefore ? updates.lastIndexOf(updatesBefore) + 1 : 0)
          .filter((u) => u.frameworkId === t.frameworkId && u.taskId === t.id && u.reason !== 'REASON_RECONCILIATION');
        if (received.length) return received.map((u) => ({ taskKey: t.key, state: u.state, fromFramework: true, status: { state: u.state, at: u.at, reason: u.reason, source: u.source, message: u.message } }));
        const now = this.live.current?.tasks[t.key];
        if (!now) return [];
        const fresh = now.statuses.slice(t.statuses.length).filter((s) => s.reason !== 'REASON_RECONCILIATION');
        if (fresh.length) return fresh.map((status) => ({ taskKey: t.key, state: status.state, status }));
        if (now.state === t.state) return [];
        return [{ taskKey: t.key, state: now.state, status: [...now.statuses].reverse().find((s) => s.state === now.state) }];
      });
    if (agent) {
      const port = agent.port;
      await this.live.until(`agent ${agent.index} to be active again`, (v) => Object.values(v?.agents ?? {}).some((a) => a.port === port && a.state === 'active'), options.waitMs ?? 60_000);
      // Each watched task has its say (reregistered, or failed at recovery), or the wait is over.
      await this.live
        .until(
          'the tasks on the agent to be updated',
          (_view, runs) => {
            const ours = new Set(runs.frameworks.flatMap((f) => (f.id ? [f.id] : [])));
            const news = observed();
            // The built-in framework's tasks: its own update (with the reason); others: any news.
            return watched.every((t) => news.some((o) => o.taskKey === t.key && (!ours.has(t.frameworkId) || o.fromFramework)));
          },
          options.waitMs ?? 15_000,
        )
        .catch(() => undefined);
    }
    return { fault: kind, node, action, expected: def.expect(THEN_CONTEXT, clusterTimers(summary)).then, observed: observed() };
  }

  // ---- agents and nodes ----

  async agents(): Promise<AgentInfo[]> {
    const summary = await this.summary();
    const view = this.live.current ?? (await this.live.live());
    return summary.layout.agents.map((slot) => {
      const node = summary.nodes.find((n) => n.role === 'agent' && n.index === slot.index);
      const mesos = latestAgent(view, slot.port);
      return {
        index: slot.index,
        node: node?.name ?? `mesoscope-${this.name}-agent-${slot.index}`,
        container: node?.state ?? 'missing',
        port: slot.port,
        ...(mesos ? { agentId: mesos.id, mesos: mesos.state } : {}),
      };
    });
  }

  /** The Mesos id of agent N (as registered now). */
  async agentIdOf(index: number): Promise<string> {
    const agent = (await this.agents()).find((a) => a.index === index);
    if (!agent) throw new ApiError('not-found', `Cluster "${this.name}" has no agent ${index}.`);
    if (!agent.agentId) throw new ApiError('refused', `Agent ${index} is not registered with the leading master.`);
    return agent.agentId;
  }

  /** A node by short name (`agent-2`, `master-1`, `zookeeper`) or container name. */
  async nodeName(node: string): Promise<string> {
    const summary = await this.summary();
    const found = summary.nodes.find((n) => n.name === node || n.name === `mesoscope-${this.name}-${node}` || (n.role === 'zookeeper' && node === 'zookeeper'));
    if (!found) throw new ApiError('not-found', `Cluster "${this.name}" has no node "${node}" (nodes: ${summary.nodes.map((n) => n.name.replace(`mesoscope-${this.name}-`, '')).join(', ')}).`);
    return found.name;
  }

  async nodeAction(node: string, action: 'stop' | 'start' | 'restart' | 'pause' | 'unpause'): Promise<void> {
    await this.api.call('clusters.nodeAction', { cluster: this.name, node: await this.nodeName(node), action });
  }

  /** Adds an agent; resolves with it once it is registered with the leader. */
  async addAgent(spec: Partial<AgentSpecInput> = {}): Promise<AgentInfo> {
    const before = new Set((await this.summary()).layout.agents.map((a) => a.index));
    const after = await this.api.call('clusters.addAgent', { cluster: this.name, agent: spec });
    const slot = after.layout.agents.find((a) => !before.has(a.index));
    if (!slot) throw new ApiError('internal', 'The cluster has no new agent after clusters.addAgent.');
    await this.live.live();
    await this.live.until(`agent ${slot.index} in the Mesos view`, (view) => latestAgent(view, slot.port)?.state === 'active', 30_000);
    const added = (await this.agents()).find((a) => a.index === slot.index);
    return added as AgentInfo;
  }

  async removeAgent(index: number): Promise<ClusterSummary> {
    return this.api.call('clusters.removeAgent', { cluster: this.name, index });
  }

  // ---- recordings ----

  /**
   * Records the cluster. The app writes recordings only into its recordings folder, so with `path`
   * the file is written there under a name of its own and moved to `path` when the recording stops.
   */
  async record(path?: string): Promise<ActiveRecording> {
    if (path === undefined) return this.api.call('recordings.start', { cluster: this.name });
    const target = resolve(path);
    if (!target.endsWith(RECORDING_EXTENSION)) throw new ApiError('invalid-input', `${target}: a recording's name ends with ${RECORDING_EXTENSION}.`);
    if (await exists(target)) throw new ApiError('refused', `${target} exists already: pick another name.`);
    const { dir } = await this.api.call('recordings.list', {});
    const name = `${basename(target, RECORDING_EXTENSION)}-${randomBytes(4).toString('hex')}${RECORDING_EXTENSION}`;
    const active = await this.api.call('recordings.start', { cluster: this.name, path: join(dir, name) });
    this.recordingTarget = target;
    return { ...active, path: target };
  }

  /** Ends the recording: the file is complete (and where `record(path)` asked for it). */
  async stopRecording(): Promise<SavedRecording> {
    const saved = await this.api.call('recordings.stop', { cluster: this.name });
    const target = this.recordingTarget;
    this.recordingTarget = undefined;
    if (!target) return saved;
    await rename(saved.path, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another file system: copied, then removed.
      if (err.code !== 'EXDEV') throw err;
      await copyFile(saved.path, target);
      await unlink(saved.path);
    });
    return { ...saved, path: target };
  }
}

/** A task by key, or by id when exactly one framework has a task of that id. */
export function findTask(view: ClusterView, idOrKey: string): Task | undefined {
  const byKey = view.tasks[idOrKey];
  if (byKey) return byKey;
  const matches = Object.values(view.tasks).filter((t) => t.id === idOrKey);
  if (matches.length > 1) throw new ApiError('invalid-input', `Several frameworks have a task ${idOrKey}: name it as <framework id>/${idOrKey} (${matches.map((t) => t.key).join(', ')}).`);
  return matches[0];
}

/** The agent registered on that port now (after a wiped work_dir a port has had several ids). */
export function latestAgent(view: ClusterView | null, port: number): Agent | undefined {
  const at = (a: Agent) => Math.max(a.registeredAt ?? 0, a.reregisteredAt ?? 0);
  return Object.values(view?.agents ?? {})
    .filter((a) => a.port === port)
    .sort((a, b) => (a.state === 'active' ? 1 : 0) - (b.state === 'active' ? 1 : 0) || at(a) - at(b))
    .at(-1);
}

export function outcomeOf(task: Task): TaskOutcome {
  const status = endStatus(task) ?? task.statuses.at(-1);
  return { key: task.key, id: task.id, frameworkId: task.frameworkId, agentId: task.agentId, state: status?.state ?? task.state, status, task };
}

/**
 * The status that ended the task, once it has come. The operator stream's TASK_UPDATED carries the
 * task's latest `state` beside the `status` in flight, which can be an earlier one: a task is over
 * when its terminal status is in, not when its state says so.
 */
export function endStatus(t: Task): StatusEntry | undefined {
  return t.statuses.find((s) => TERMINAL_TASK_STATES.has(s.state));
}

const portOf = (url: string | undefined) => (url ? new URL(url).port : undefined);

function sameDiagnosis(a: Diagnosis, b: Diagnosis): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'none' || b.kind === 'none') return true;
  return (a.kind === 'diagnosed' && b.kind === 'diagnosed' ? a.ruleId === b.ruleId : true) && a.timeline.length === b.timeline.length;
}

/** For the `then` line of an undone fault, which depends on none of these. */
const THEN_CONTEXT: FaultContext = { variant: { checkpoint: true, partitionAware: false }, agentHostname: '', image: '', timeout: '2secs' };
