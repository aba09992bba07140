import { GetTasksResponseSchema, TERMINAL_TASK_STATES, type Offer, type Task, type TaskStatus } from '@shared/mesos/v1';
import type { FailureEvent, FrameworkInfo, TaskInfo } from '@shared/mesos/scheduler';
import { post } from './http';
import { SchedulerClient, type Subscribed } from './scheduler-client';

/**
 * A test framework on top of SchedulerClient: launches tasks on the agent it is asked for, keeps
 * offers from nobody (SUPPRESS while it wants nothing, DECLINE what it cannot use), and records
 * every update with the time it arrived.
 */

export interface Received {
  status: TaskStatus;
  at: number;
}

interface Pending {
  agentId?: string;
  tasks: TaskInfo[];
  resolve: () => void;
  reject: (e: Error) => void;
}

function withMultiRole(capabilities: FrameworkInfo['capabilities'] = []): NonNullable<FrameworkInfo['capabilities']> {
  return capabilities.some((c) => c.type === 'MULTI_ROLE') ? capabilities : [{ type: 'MULTI_ROLE' }, ...capabilities];
}

export class TestFramework {
  readonly client: SchedulerClient;
  readonly received: Received[] = [];
  readonly failures: Array<{ failure: FailureEvent['failure']; at: number }> = [];
  readonly subscriptions: Subscribed[] = [];
  private readonly pending: Pending[] = [];
  private readonly waiters = new Set<() => void>();
  private suppressed = false;

  constructor(masters: string[], info: Partial<FrameworkInfo> & { name: string }) {
    this.client = new SchedulerClient({
      masters,
      // `roles` needs the MULTI_ROLE capability: real Mesos answers ERROR "'FrameworkInfo.roles' must
      // not be set when the framework is not MULTI_ROLE capable" without it.
      framework: { user: 'root', roles: ['*'], ...info, capabilities: withMultiRole(info.capabilities) },
      backoffMs: [200, 400, 800, 1000],
      startTimeoutMs: 30_000,
    });
    this.client.on('update', (status) => this.notify(() => this.received.push({ status, at: Date.now() })));
    this.client.on('failure', (failure) => this.notify(() => this.failures.push({ failure, at: Date.now() })));
    this.client.on('subscribed', (s) => this.notify(() => this.subscriptions.push(s)));
    this.client.on('offers', (offers) => void this.offers(offers));
  }

  get id(): string {
    return this.client.frameworkId ?? '';
  }

  async start(): Promise<Subscribed> {
    const s = await this.client.start();
    await this.suppress();
    return s;
  }

  /** ACCEPTs the next offer of `agentId` (any agent without one) with LAUNCH of `tasks`. */
  launch(agentId: string | undefined, tasks: TaskInfo[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ agentId, tasks, resolve, reject });
      if (this.suppressed) {
        this.suppressed = false;
        this.client.revive().catch(reject);
      }
    });
  }

  private async offers(offers: Offer[]): Promise<void> {
    for (const offer of offers) {
      const i = this.pending.findIndex((p) => !p.agentId || p.agentId === offer.agent_id.value);
      if (i < 0) {
        await this.client.decline([offer.id.value], { refuse_seconds: 1 }).catch(() => undefined);
        continue;
      }
      const [p] = this.pending.splice(i, 1);
      await this.client.launch(offer, p!.tasks, { refuse_seconds: 0.2 }).then(p!.resolve, p!.reject);
    }
    if (this.pending.length === 0) await this.suppress();
  }

  private async suppress(): Promise<void> {
    if (this.suppressed || this.pending.length > 0) return;
    this.suppressed = true;
    await this.client.suppress().catch(() => (this.suppressed = false));
  }

  private notify(change: () => void): void {
    change();
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once `check` holds, re-checked on every update, failure and subscription. */
  until<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const run = () => {
        const v = check();
        if (v === undefined) return;
        this.waiters.delete(run);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(run);
        reject(new Error(`${this.client.frameworkId}: no ${what} within ${timeoutMs} ms; updates: ${this.received.map((r) => `${r.status.task_id.value}:${r.status.state}`).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(run);
      run();
    });
  }

  updates(taskId: string): Received[] {
    return this.received.filter((r) => r.status.task_id.value === taskId);
  }

  /** The first update of `taskId` in `state` (after index `from` of that task's updates). */
  update(taskId: string, state: string, timeoutMs?: number, from = 0): Promise<Received> {
    return this.until(`${taskId} ${state}`, () => this.updates(taskId).slice(from).find((r) => r.status.state === state), timeoutMs);
  }

  terminal(taskId: string, timeoutMs?: number): Promise<Received> {
    return this.until(`a terminal update of ${taskId}`, () => this.updates(taskId).find((r) => TERMINAL_TASK_STATES.has(r.status.state)), timeoutMs);
  }

  close(): void {
    this.client.close();
  }
}

/** v1 GET_TASKS on any master (redirects followed), parsed with the app's schema. */
export async function getTasks(masters: string[]): Promise<{ tasks: Task[]; unreachable: Task[]; completed: Task[] }> {
  let last: unknown;
  for (const m of masters) {
    try {
      const r = await post(`${m}/api/v1`, JSON.stringify({ type: 'GET_TASKS' }), { timeoutMs: 5000 });
      if (r.status !== 200) throw new Error(`GET_TASKS answered ${r.status}: ${r.body}`);
      const parsed = GetTasksResponseSchema.parse(JSON.parse(r.body)).get_tasks;
      return { tasks: parsed.tasks, unreachable: parsed.unreachable_tasks, completed: parsed.completed_tasks };
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

export function findTask(all: { tasks: Task[]; unreachable: Task[]; completed: Task[] }, frameworkId: string, taskId: string) {
  for (const [list, where] of [
    [all.tasks, 'tasks'],
    [all.unreachable, 'unreachable_tasks'],
    [all.completed, 'completed_tasks'],
  ] as const) {
    const t = list.find((x) => x.task_id.value === taskId && x.framework_id.value === frameworkId);
    if (t) return { task: t, where };
  }
  return undefined;
}

/** state / reason / source / message, the columns of docs/mesos/faults.md. */
export const row = (s: Pick<TaskStatus, 'state' | 'reason' | 'source' | 'message'>) => [s.state, s.reason ?? '–', s.source ?? '', s.message ?? ''];
