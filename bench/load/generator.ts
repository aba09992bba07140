import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The load source's events: a seeded, deterministic stream of operator events for a busy cluster, shaped
 * like the real Mesos 1.12 stream recorded in testbed/transcripts (field names, nesting, `{ value }` ids,
 * float-second timestamps, base64 uuids, allocation_info on task resources).
 *
 * The cluster: `agents` agents, a framework "bench-load" with `tasks` RUNNING tasks spread over them, and a
 * small second framework whose finished tasks give the Framework filter something to leave out. The
 * updates, at whatever rate the caller pulls them:
 * - most are health-check updates of a running task (TASK_RUNNING, `healthy` flipped, reason
 *   REASON_TASK_HEALTH_CHECK_STATUS_UPDATED: what Mesos sends when a health check changes its mind);
 * - a share are a rolling restart (what a service scheduler does): a running task is killed (KILLING,
 *   KILLED) and a replacement launched (TASK_ADDED, then STARTING, RUNNING). These change a row's state,
 *   so the table's rows move between states.
 * Every update sent is kept (`sent`): the bench matches them with the rows' paint times.
 * The set of running tasks stays at `tasks`; the table grows by the killed ones.
 */

export interface LoadShape {
  agents: number;
  tasks: number;
  seed: number;
  /** Of the updates, the share that are restart steps (state changes); the rest are health checks. */
  churn: number;
  /** Agents' address (the source's own host and port: any request to an agent reaches the source). */
  agentHost: string;
  agentPort: number;
}

/** A status update sent: the bench matches these with the rows' paint times. */
export interface Transition {
  task: string;
  state: string;
  /** The status' own timestamp, epoch ms. */
  at: number;
}

type Json = Record<string, unknown>;

/** A seeded random number in [0, 1): the same seed gives the same stream (pure-rand's xoroshiro128+). */
function prng(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const id = (value: string) => ({ value });
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

interface Running {
  id: string;
  agent: number;
  container: string;
  healthy: boolean;
}

/** A restart under way: the steps left, in order. */
type Step = { kind: 'status'; task: Running; state: string; reason?: string; message?: string } | { kind: 'added'; task: Running };

export class LoadGenerator {
  readonly frameworkId: string;
  readonly otherFrameworkId: string;
  readonly sent: Transition[] = [];
  private readonly random: () => number;
  private readonly running: Running[] = [];
  private readonly done: Array<{ task: Running; state: string; at: number }> = [];
  private readonly restarts: Step[][] = [];
  private readonly clusterId: string;
  private nextTask = 0;
  private nextContainer = 0;
  private readonly startedAt: number;
  /** Of the updates, the share that are restart steps (state changes) from now on. */
  churn: number;
  /**
   * Health checks go to the running tasks in turn rather than at random: n × tasks of them give every
   * task n more statuses (bench:events fills every history to its bound this way before its soak).
   */
  roundRobin = false;
  private turn = 0;

  constructor(
    private readonly shape: LoadShape,
    now = Date.now(),
  ) {
    this.random = prng(shape.seed);
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(this.random() * 16).toString(16)).join('');
    this.clusterId = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    this.frameworkId = `${this.clusterId}-0000`;
    this.otherFrameworkId = `${this.clusterId}-0001`;
    this.startedAt = now;
    this.churn = shape.churn;
    for (let i = 0; i < shape.tasks; i++) this.running.push(this.newTask());
  }

  private agentId(i: number): string {
    return `${this.clusterId}-S${i}`;
  }

  private newTask(): Running {
    const n = this.nextTask++;
    return { id: `svc-${String(n).padStart(5, '0')}`, agent: n % this.shape.agents, container: this.containerId(), healthy: true };
  }

  private containerId(): string {
    const n = (this.nextContainer++).toString(16).padStart(12, '0');
    return `${this.clusterId.slice(0, 8)}-0000-4000-8000-${n}`;
  }

  private uuid(): string {
    return Buffer.from(Array.from({ length: 16 }, () => Math.floor(this.random() * 256))).toString('base64');
  }

  private agent(i: number): Json {
    const resources = [scalar('cpus', 64), scalar('mem', 262144), scalar('disk', 1048576), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } }];
    const registered = (this.startedAt - 3_600_000 + i * 1000) * 1e6;
    return {
      agent_info: { hostname: this.shape.agentHost, port: this.shape.agentPort, resources, id: id(this.agentId(i)), attributes: [{ name: 'rack', type: 'TEXT', text: { value: `r${i % 5}` } }] },
      active: true,
      deactivated: false,
      version: '1.12.0',
      pid: `slave(1)@${this.shape.agentHost}:${this.shape.agentPort}`,
      registered_time: { nanoseconds: registered },
      total_resources: resources.map((r) => ({ ...r, role: '*' })),
      capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT', 'RESOURCE_PROVIDER', 'RESIZE_VOLUME', 'AGENT_OPERATION_FEEDBACK', 'AGENT_DRAINING', 'TASK_RESOURCE_LIMITS'].map((type) => ({ type })),
    };
  }

  private framework(frameworkId: string, name: string): Json {
    const t = { nanoseconds: (this.startedAt - 3_000_000) * 1e6 };
    return {
      framework_info: { user: 'root', name, id: id(frameworkId), failover_timeout: 604800, checkpoint: true, roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }] },
      active: true,
      connected: true,
      recovered: false,
      registered_time: t,
      reregistered_time: t,
      unregistered_time: { nanoseconds: 0 },
    };
  }

  private status(task: Running, state: string, at: number, extra: Json = {}): Json {
    return {
      task_id: id(task.id),
      state,
      source: 'SOURCE_EXECUTOR',
      agent_id: id(this.agentId(task.agent)),
      executor_id: id(task.id),
      timestamp: at / 1000,
      uuid: this.uuid(),
      container_status: { container_id: id(task.container), network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }] },
      ...extra,
    };
  }

  private taskInfo(task: Running, frameworkId: string, state: string, statuses?: Json[]): Json {
    return {
      name: task.id,
      task_id: id(task.id),
      framework_id: id(frameworkId),
      agent_id: id(this.agentId(task.agent)),
      state,
      resources: [
        { ...scalar('cpus', 0.1), allocation_info: { role: '*' } },
        { ...scalar('mem', 32), allocation_info: { role: '*' } },
      ],
      ...(statuses ? { statuses } : {}),
      container: { type: 'DOCKER', docker: { image: 'mesoscope/task-base:test', network: 'HOST', privileged: false, force_pull_image: false } },
    };
  }

  /** How many tasks run and how many ended (for the metrics snapshot). */
  counts(): { agents: number; running: number; ended: number } {
    return { agents: this.shape.agents, running: this.running.length, ended: this.done.length + 100 };
  }

  /** The SUBSCRIBED event: the whole cluster as GET_STATE has it, taken with the stream. */
  subscribed(now: number, heartbeatSeconds: number): Json {
    return { type: 'SUBSCRIBED', subscribed: { get_state: this.state(now), heartbeat_interval_seconds: heartbeatSeconds } };
  }

  /** GET_STATE now (the answer's `get_state`). */
  state(now: number): Json {
    const started = now - 600_000;
    const others = Array.from({ length: 100 }, (_, i) => ({ id: `batch-${String(i).padStart(3, '0')}`, agent: i % this.shape.agents, container: `${this.clusterId.slice(0, 8)}-0001-4000-8000-${String(i).padStart(12, '0')}`, healthy: true }));
    return {
      get_tasks: {
        tasks: this.running.map((t) => this.taskInfo(t, this.frameworkId, 'TASK_RUNNING', [this.status(t, 'TASK_RUNNING', started, { healthy: t.healthy })])),
        unreachable_tasks: [],
        completed_tasks: [
          ...this.done.map(({ task, state, at }) => this.taskInfo(task, this.frameworkId, state, [this.status(task, state, at)])),
          ...others.map((t) => this.taskInfo(t, this.otherFrameworkId, 'TASK_FINISHED', [this.status(t, 'TASK_FINISHED', started, { message: 'Command exited with status 0' })])),
        ],
      },
      get_executors: { executors: [] },
      get_frameworks: { frameworks: [this.framework(this.frameworkId, 'bench-load'), this.framework(this.otherFrameworkId, 'nightly-batch')], completed_frameworks: [] },
      get_agents: { agents: Array.from({ length: this.shape.agents }, (_, i) => this.agent(i)), recovered_agents: [] },
    };
  }

  /** One more status update (and, when a replacement starts, its TASK_ADDED before it). */
  next(now: number): Json[] {
    if (this.running.length > 0 && this.random() >= this.churn) return [this.healthCheck(now)];
    return this.restartStep(now);
  }

  private healthCheck(now: number): Json {
    const task = this.running[this.roundRobin ? this.turn++ % this.running.length : Math.floor(this.random() * this.running.length)]!;
    task.healthy = !task.healthy;
    const status = this.status(task, 'TASK_RUNNING', now, { healthy: task.healthy, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' });
    this.sent.push({ task: task.id, state: 'TASK_RUNNING', at: now });
    return { type: 'TASK_UPDATED', task_updated: { framework_id: id(this.frameworkId), status, state: 'TASK_RUNNING' } };
  }

  /**
   * The next step of one of up to 8 restarts under way, round robin (so a task's steps are spread out
   * the way a real one's are); a new restart begins when fewer are under way.
   */
  private restartStep(now: number): Json[] {
    if (this.restarts.length < 8 && this.running.length > 0) {
      const at = Math.floor(this.random() * this.running.length);
      const old = this.running.splice(at, 1)[0]!;
      const fresh = this.newTask();
      this.restarts.push([
        { kind: 'status', task: old, state: 'TASK_KILLING' },
        { kind: 'status', task: old, state: 'TASK_KILLED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'Command terminated with signal Terminated' },
        { kind: 'added', task: fresh },
        { kind: 'status', task: fresh, state: 'TASK_STARTING' },
        { kind: 'status', task: fresh, state: 'TASK_RUNNING' },
      ]);
    }
    const steps = this.restarts.shift()!;
    const step = steps.shift()!;
    if (steps.length > 0) this.restarts.push(steps);
    const out: Json[] = [];
    let status = step;
    if (step.kind === 'added') {
      out.push({ type: 'TASK_ADDED', task_added: { task: this.taskInfo(step.task, this.frameworkId, 'TASK_STAGING') } });
      this.sent.push({ task: step.task.id, state: 'TASK_STAGING', at: now });
      status = steps.shift()!;
      if (steps.length === 0) this.restarts.pop();
    }
    if (status.kind !== 'status') throw new Error('a restart has two TASK_ADDED in a row');
    const { task, state, reason, message } = status;
    out.push({
      type: 'TASK_UPDATED',
      task_updated: { framework_id: id(this.frameworkId), status: this.status(task, state, now, { ...(reason ? { reason } : {}), ...(message ? { message } : {}) }), state },
    });
    this.sent.push({ task: task.id, state, at: now });
    if (state === 'TASK_KILLED') this.done.push({ task, state, at: now });
    if (state === 'TASK_RUNNING') this.running.push(task);
    return out;
  }
}
