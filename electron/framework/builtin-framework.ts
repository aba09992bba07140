import { randomBytes } from 'node:crypto';
import type { TaskInfo } from '@shared/mesos/scheduler';
import { TERMINAL_TASK_STATES, type Offer, type TaskState, type TaskStatus } from '@shared/mesos/v1';
import { ApiError } from '@shared/errors';
import { type FrameworkStatus, type FrameworkVariant, type Launched, type OfferDecision, type ReceivedUpdate, type RunRequest, variantKey } from '@shared/runs/schemas';
import { SchedulerClient, type Subscribed } from '../mesos/scheduler-client';
import type { HttpAccess } from '../mesos/access';
import { BUSY_REFUSE_SECONDS, matchOffers, type OfferSummary, summarizeOffer, type Want } from './offer-matcher';
import { taskId as makeTaskId, taskInfo } from './task-infos';

/**
 * The built-in framework "mesoscope" for one cluster and one variant (checkpoint, partition-aware):
 * a real v1 HTTP scheduler (SchedulerClient) that subscribes on first use, with a failover timeout so
 * its tasks outlive a broken stream, an app restart or a master failover (it resubscribes with its
 * id, then reconciles to learn its tasks again). It launches runs on the first offers that fit,
 * declines the rest with a refuse filter and suppresses offers while it has nothing to run, so it never
 * starves other frameworks; it acknowledges every update (SchedulerClient does), and kills on request
 * or after a run's kill_after.
 */

export const FRAMEWORK_NAME = 'mesoscope';
/** One week, as docs/mesos/api.md §3.2's example: long enough to survive the app being closed for a while. */
export const FAILOVER_TIMEOUT_SECS = 604_800;
/** After a resubscription, how long the implicit reconciliation's answers are awaited before the tasks still unanswered are asked for by id. */
export const EXPLICIT_RECONCILE_AFTER_MS = 5000;

/**
 * How the framework reaches an attached cluster's masters: the connection's credentials and TLS on
 * every scheduler call (Mesos' --authenticate_http_frameworks with --http_framework_authenticators=basic
 * refuses a SUBSCRIBE without them), and the principal they authenticate, set in FrameworkInfo (the
 * master refuses one that differs from the authenticated principal).
 */
export interface SchedulerAccess {
  access?: HttpAccess;
  principal?: string;
}

export interface BuiltInFrameworkOptions {
  cluster: string;
  variant: FrameworkVariant;
  masters: () => Promise<string[]>;
  /** An attached cluster's credentials (none for a launched one). */
  schedulerAccess?: () => Promise<SchedulerAccess | undefined>;
  /** Subscribe with this id (a previous run of the app). */
  storedId?: string;
  /** A (re)subscription got this id: keep it. */
  onSubscribed?: (id: string) => void;
  /** The master removed the framework: forget the id. */
  onRemoved?: () => void;
  backoffMs?: readonly number[];
  failoverTimeoutSecs?: number;
  now?: () => number;
}

export interface FrameworkListener {
  status?(status: FrameworkStatus): void;
  offer?(decision: OfferDecision, offer: OfferSummary): void;
  update?(update: ReceivedUpdate, status: TaskStatus): void;
  pending?(): void;
}

interface Run {
  runId: string;
  req: RunRequest;
  expected: number;
  launched: Launched['tasks'];
  resolve: (l: Launched) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  since: number;
  failed?: Error;
}

interface KnownTask {
  agentId?: string;
  state: TaskState;
  runId?: string;
  killAfterSecs?: number;
}

const newRunId = () => randomBytes(3).toString('hex');

/**
 * A task that waits for an offer with no deadline (a service's instance): `build` makes its TaskInfo
 * once an offer holds it (with the host ports taken for it), `launched` and `failed` say what became of it.
 */
export interface Placement extends Want {
  build(offer: OfferSummary, ports: number[]): TaskInfo;
  launched(offer: OfferSummary, ports: number[]): void;
  failed(err: Error): void;
}

const isPlacement = (w: Want): w is Placement => typeof (w as Placement).build === 'function';

export class BuiltInFramework {
  readonly key: string;
  readonly tasks = new Map<string, KnownTask>();
  private client: SchedulerClient | null = null;
  private starting: Promise<void> | null = null;
  private current: FrameworkStatus;
  private readonly waiting: Array<Want> = [];
  private readonly runs = new Map<string, Run>();
  private readonly killTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<FrameworkListener>();
  private readonly waiters = new Set<() => void>();
  private readonly lastStatus = new Map<string, TaskStatus>();
  private explicitReconcile: ReturnType<typeof setTimeout> | undefined;
  private suppressed = false;
  private lastOffers: OfferSummary[] = [];
  /** What became of each of the last offers, and when they came: a refused run says why. */
  private readonly lastOutcome = new Map<string, string>();
  private lastOffersAt = 0;
  private storedId: string | undefined;
  private masterUrls: string[] = [];
  private readonly now: () => number;

  constructor(private readonly options: BuiltInFrameworkOptions) {
    this.key = variantKey(options.variant);
    this.storedId = options.storedId;
    this.now = options.now ?? Date.now;
    this.current = {
      key: this.key,
      variant: options.variant,
      name: FRAMEWORK_NAME,
      id: options.storedId,
      state: 'closed',
      resubscriptions: 0,
      failoverTimeoutSecs: options.failoverTimeoutSecs ?? FAILOVER_TIMEOUT_SECS,
    };
  }

  get status(): FrameworkStatus {
    return this.current;
  }

  get id(): string | undefined {
    return this.current.id;
  }

  /** Runs still waiting for offers. */
  pending(): Array<{ runId: string; name: string; waiting: number; agentId?: string; since: number; cpus: number; mem: number }> {
    return [...this.runs.values()].map((r) => ({
      runId: r.runId,
      name: r.req.name,
      waiting: r.expected - r.launched.length,
      agentId: r.req.agentId,
      since: r.since,
      cpus: r.req.cpus,
      mem: r.req.mem,
    }));
  }

  listen(listener: FrameworkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Subscribes unless subscribed (or subscribing) already; after a failure, tries again. While it is
   * reconnecting, the masters are asked for anew: a cluster destroyed and re-created under the same
   * name (by the CLI, say) may have other ports, and the old ones would never answer.
   */
  async start(): Promise<void> {
    if (this.starting && this.current.state === 'reconnecting' && (await this.mastersMoved())) this.starting = null;
    if (this.starting && this.current.state !== 'failed' && this.current.state !== 'closed') return this.starting;
    this.client?.close();
    this.client = null;
    this.starting = this.subscribe();
    return this.starting;
  }

  private async mastersMoved(): Promise<boolean> {
    const now = await this.options.masters().catch(() => undefined);
    return now !== undefined && now.join(' ') !== this.masterUrls.join(' ');
  }

  private frameworkInfo(principal?: string) {
    const { variant } = this.options;
    return {
      user: 'root',
      name: FRAMEWORK_NAME,
      roles: ['*'],
      checkpoint: variant.checkpoint,
      failover_timeout: this.current.failoverTimeoutSecs,
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }, ...(variant.partitionAware ? [{ type: 'PARTITION_AWARE' }] : [])],
      labels: { labels: [{ key: 'io.mesoscope.variant', value: this.key }] },
      ...(principal ? { principal } : {}),
      ...(this.storedId ? { id: { value: this.storedId } } : {}),
    };
  }

  private async subscribe(): Promise<void> {
    this.setStatus({ state: 'subscribing', error: undefined });
    let masters: string[];
    let access: SchedulerAccess | undefined;
    try {
      masters = await this.options.masters();
      access = await this.options.schedulerAccess?.();
    } catch (err) {
      this.setStatus({ state: 'failed', error: (err as Error).message });
      throw err;
    }
    this.masterUrls = masters;
    const client = new SchedulerClient({
      masters,
      framework: this.frameworkInfo(access?.principal),
      access: access?.access,
      backoffMs: this.options.backoffMs ?? [250, 500, 1000, 2000],
    });
    this.client = client;
    const resuming = this.storedId !== undefined;
    client.on('subscribed', (s) => this.subscribed(s, resuming));
    client.on('disconnected', ({ reason, willReconnect }) => this.setStatus({ state: willReconnect ? 'reconnecting' : 'failed', error: reason }));
    client.on('offers', (offers) => void this.onOffers(client, offers));
    client.on('rescind', (offerId) => this.onRescind(offerId));
    client.on('update', (status) => this.onUpdate(status));
    client.on('error', (message) => this.onError(message));
    try {
      await client.start();
    } catch (err) {
      // An ERROR event has said why already (onError); otherwise this is the reason.
      if (this.client === client && this.current.state !== 'failed') this.setStatus({ state: 'failed', error: (err as Error).message });
      throw new ApiError('unavailable', `The built-in framework could not subscribe to ${this.options.cluster}: ${(err as Error).message}`);
    }
  }

  private subscribed(s: Subscribed, resuming: boolean): void {
    const again = s.resubscribed || resuming;
    this.storedId = s.frameworkId;
    this.setStatus({
      state: 'subscribed',
      id: s.frameworkId,
      error: undefined,
      subscribedAt: this.now(),
      endpoint: s.endpoint,
      resubscriptions: this.current.resubscriptions + (s.resubscribed ? 1 : 0),
    });
    this.options.onSubscribed?.(s.frameworkId);
    // Offers are suppressed on the master's side while we wait for nothing; a new leader forgets that.
    // Runs that came while the stream was down revive here (their REVIVE could not be sent then).
    this.setSuppressed(false);
    if (this.waiting.length === 0) void this.suppress();
    else this.client?.revive().catch(() => undefined);
    // After a broken stream or an app restart, learn our tasks again: implicit reconciliation for what
    // the master knows, then explicit for the tasks we think live that it did not answer, since the
    // master says nothing of tasks it does not know in an implicit one (a cluster re-created under the
    // same name: they are gone). Explicit only later: asked at once after a failover, a task whose agent
    // has not reregistered with the new leader yet is answered TASK_LOST by a master that kept no
    // registry (`--registry=in_memory`, and the emulator), though it runs; with the replicated log, Mesos
    // says nothing of it until its agent is back (docs/mesos/api.md §3.5).
    if (again) {
      const live = [...this.tasks].filter(([, t]) => !TERMINAL_TASK_STATES.has(t.state)).map(([taskId, t]) => ({ taskId, agentId: t.agentId }));
      const known = new Map(live.map(({ taskId }) => [taskId, this.lastStatus.get(taskId)]));
      this.client?.reconcile([]).catch(() => undefined);
      clearTimeout(this.explicitReconcile);
      this.explicitReconcile = setTimeout(() => {
        const unanswered = live.filter(({ taskId }) => this.lastStatus.get(taskId) === known.get(taskId));
        if (unanswered.length > 0) this.client?.reconcile(unanswered).catch(() => undefined);
      }, EXPLICIT_RECONCILE_AFTER_MS);
    }
  }

  private onError(message: string): void {
    if (/removed/i.test(message)) {
      this.storedId = undefined;
      this.options.onRemoved?.();
      this.setStatus({ state: 'failed', id: undefined, error: `The master removed this framework (${message}); the next run subscribes afresh.` });
    } else {
      this.setStatus({ state: 'failed', error: `The master ended the subscription: ${message}` });
    }
    for (const run of [...this.runs.values()]) this.failRun(run, new ApiError('failed', `The framework lost its subscription: ${message}`));
  }

  // ---- runs ----

  /** Waits for offers and launches every instance; resolves when all are launched. */
  launch(req: RunRequest): Promise<Launched> {
    const runId = newRunId();
    return new Promise<Launched>((resolve, reject) => {
      const timer = setTimeout(() => this.timeOut(runId), req.offerTimeoutSecs * 1000);
      const run: Run = { runId, req, expected: req.instances, launched: [], resolve, reject, timer, since: this.now() };
      this.runs.set(runId, run);
      // Waiting before the subscription completes: the offers that follow SUBSCRIBED find the run.
      for (let i = 1; i <= req.instances; i++) {
        this.waiting.push({ runId, taskId: makeTaskId(req.name, runId, i, req.instances), cpus: req.cpus, mem: req.mem, agentId: req.agentId });
      }
      this.emit((l) => l.pending?.());
      this.start().then(
        // New work: clear our refuse filters and unsuppress (docs/mesos/api.md §3.3 REVIVE). Not subscribed just
        // now (the stream is being re-established): the resubscription revives.
        () => {
          this.setSuppressed(false);
          return this.client?.subscription ? this.client.revive() : undefined;
        },
        (err: unknown) => this.failRun(run, err instanceof Error ? err : new Error(String(err))),
      ).catch((err: unknown) => this.failRun(run, new ApiError('unavailable', `REVIVE failed: ${(err as Error).message}`)));
    });
  }

  /** Waits for an offer that holds the task, then launches it; returns a cancel for a task not placed yet. */
  place(placement: Placement): () => void {
    this.waiting.push(placement);
    this.emit((l) => l.pending?.());
    this.start().then(
      () => {
        this.suppressed = false;
        return this.client?.subscription ? this.client.revive() : undefined;
      },
      () => undefined, // keeps waiting: the resubscription revives
    ).catch(() => undefined);
    return () => {
      const i = this.waiting.indexOf(placement);
      if (i >= 0) this.waiting.splice(i, 1);
    };
  }

  private timeOut(runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const size = `${run.req.cpus} cpus and ${run.req.mem} MB${run.req.agentId ? ` on agent ${run.req.agentId}` : ''}`;
    const describe = (o: OfferSummary) => {
      const outcome = this.lastOutcome.get(o.id);
      return `${o.hostname} ${Math.round(o.cpus * 100) / 100} cpus, ${Math.round(o.mem)} MB${o.faultAgent ? ' (fault agent)' : ''}${outcome ? ` (${outcome})` : ''}`;
    };
    const seen = this.lastOffers.length
      ? `${this.lastOffersAt < run.since ? `no offer came since the run began; the last ones, ${Math.round((run.since - this.lastOffersAt) / 1000)} s before it` : 'the last offers'}: ${this.lastOffers.map(describe).join('; ')}`
      : 'no offer came at all';
    const subscription = this.current.state === 'subscribed' ? '' : ` The framework is ${this.current.state}${this.current.error ? ` (${this.current.error})` : ''}.`;
    const what = `No offer could hold ${run.req.name} (${size}) within ${run.req.offerTimeoutSecs} s: ${seen}.${subscription}`;
    this.failRun(run, new ApiError(run.launched.length > 0 ? 'failed' : 'refused', run.launched.length > 0 ? `${what} ${run.launched.length} of ${run.expected} launched.` : what));
  }

  private failRun(run: Run, err: Error): void {
    if (this.runs.get(run.runId) !== run) return;
    clearTimeout(run.timer);
    this.runs.delete(run.runId);
    for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]?.runId === run.runId) this.waiting.splice(i, 1);
    run.reject(err);
    this.emit((l) => l.pending?.());
  }

  private async onOffers(client: SchedulerClient, offers: Offer[]): Promise<void> {
    const summaries = offers.map(summarizeOffer);
    this.lastOffers = summaries;
    this.lastOffersAt = this.now();
    this.lastOutcome.clear();
    const decisions = matchOffers(summaries, this.waiting);
    for (const d of decisions) this.lastOutcome.set(d.offer.id, d.kind === 'decline' ? `declined: ${d.why}` : `taken for ${d.wants.map((w) => w.taskId).join(', ')}`);
    for (const d of decisions) {
      if (d.kind !== 'launch') continue;
      for (const w of d.wants) this.waiting.splice(this.waiting.indexOf(w), 1);
    }
    const frameworkId = this.current.id ?? '';
    await Promise.all(
      decisions.map(async (d) => {
        const base = { offerId: d.offer.id, frameworkId, agentId: d.offer.agentId, hostname: d.offer.hostname, cpus: d.offer.cpus, mem: d.offer.mem };
        if (d.kind === 'decline') {
          await client.decline([d.offer.id], { refuse_seconds: d.refuseSeconds }).catch(() => undefined);
          this.emitOffer({ ...base, at: this.now(), outcome: 'declined', refuseSeconds: d.refuseSeconds, why: d.why }, d.offer);
          return;
        }
        const infos: TaskInfo[] = [];
        for (const w of d.wants) {
          if (isPlacement(w)) {
            const ports = d.ports.get(w.taskId) ?? [];
            infos.push(w.build(d.offer, ports));
            this.tasks.set(w.taskId, { agentId: d.offer.agentId, state: 'TASK_STAGING' });
            continue;
          }
          const run = this.runs.get(w.runId);
          if (!run) continue;
          infos.push(taskInfo(run.req, w.taskId, run.runId, d.offer.agentId));
          this.tasks.set(w.taskId, { agentId: d.offer.agentId, state: 'TASK_STAGING', runId: run.runId, killAfterSecs: run.req.killAfterSecs });
        }
        try {
          await client.accept([d.offer.id], [{ type: 'LAUNCH', launch: { task_infos: infos } }], { refuse_seconds: BUSY_REFUSE_SECONDS });
        } catch (err) {
          for (const w of d.wants) {
            this.tasks.delete(w.taskId);
            if (isPlacement(w)) {
              w.failed(new ApiError('failed', `ACCEPT of offer ${d.offer.id} failed: ${(err as Error).message}`));
              continue;
            }
            const run = this.runs.get(w.runId);
            if (run) this.failRun(run, new ApiError('failed', `ACCEPT of offer ${d.offer.id} failed: ${(err as Error).message}`));
          }
          return;
        }
        const ids = infos.map((t) => t.task_id.value);
        this.emitOffer({ ...base, at: this.now(), outcome: 'accepted', taskIds: ids, refuseSeconds: BUSY_REFUSE_SECONDS, why: `launched ${ids.join(', ')}` }, d.offer);
        for (const w of d.wants) {
          if (isPlacement(w)) {
            w.launched(d.offer, d.ports.get(w.taskId) ?? []);
            continue;
          }
          const run = this.runs.get(w.runId);
          if (!run) continue;
          run.launched.push({ taskId: w.taskId, agentId: d.offer.agentId, offerId: d.offer.id });
          if (run.launched.length === run.expected) {
            clearTimeout(run.timer);
            this.runs.delete(run.runId);
            run.resolve({ frameworkId, tasks: run.launched });
          }
        }
        this.emit((l) => l.pending?.());
      }),
    );
    if (this.waiting.length === 0) await this.suppress();
  }

  private onRescind(offerId: string): void {
    const offer = this.lastOffers.find((o) => o.id === offerId);
    const base = offer ?? { id: offerId, agentId: '', hostname: '', cpus: 0, mem: 0, ports: [], faultAgent: undefined };
    this.emitOffer(
      { offerId, frameworkId: this.current.id ?? '', agentId: base.agentId, hostname: base.hostname, cpus: base.cpus, mem: base.mem, at: this.now(), outcome: 'rescinded', why: 'the master took it back' },
      base,
    );
  }

  private async suppress(): Promise<void> {
    if (this.suppressed || !this.client?.subscription) return;
    this.setSuppressed(true);
    await this.client.suppress().catch(() => this.setSuppressed(false));
  }

  /** Kept in the status too: the funnel names a suppressed framework as a reason no offer comes. */
  private setSuppressed(on: boolean): void {
    this.suppressed = on;
    if ((this.current.suppressed ?? false) !== on) this.setStatus({ suppressed: on });
  }

  // ---- updates and kills ----

  private onUpdate(status: TaskStatus): void {
    const id = status.task_id.value;
    const known = this.tasks.get(id);
    const task: KnownTask = { ...known, agentId: status.agent_id?.value ?? known?.agentId, state: status.state };
    this.tasks.set(id, task);
    this.lastStatus.set(id, status);
    const update: ReceivedUpdate = {
      frameworkId: this.current.id ?? '',
      taskId: id,
      state: status.state,
      reason: status.reason,
      source: status.source,
      message: status.message,
      agentId: status.agent_id?.value,
      at: this.now(),
    };
    if (status.state === 'TASK_RUNNING' && task.killAfterSecs !== undefined && !this.killTimers.has(id)) {
      this.killTimers.set(
        id,
        setTimeout(() => void this.kill(id).catch(() => undefined), task.killAfterSecs * 1000),
      );
    }
    if (TERMINAL_TASK_STATES.has(status.state)) {
      clearTimeout(this.killTimers.get(id));
      this.killTimers.delete(id);
    }
    this.emit((l) => l.update?.(update, status));
    for (const w of [...this.waiters]) w();
  }

  async kill(taskId: string): Promise<void> {
    await this.start();
    const client = this.client;
    if (!client?.subscription) throw new ApiError('unavailable', `The built-in framework is not subscribed (${this.current.state}); try again in a moment.`);
    await client.kill(taskId, this.tasks.get(taskId)?.agentId).catch((err: unknown) => {
      throw new ApiError('failed', `KILL of ${taskId} failed: ${(err as Error).message}`);
    });
  }

  /** Kills every task not over yet; returns how many. */
  async killAll(): Promise<number> {
    const live = [...this.tasks].filter(([, t]) => !TERMINAL_TASK_STATES.has(t.state)).map(([id]) => id);
    await Promise.all(live.map((id) => this.kill(id)));
    return live.length;
  }

  /** Explicit reconciliation: the master answers with each task's latest state (REASON_RECONCILIATION). */
  async reconcile(taskIds: string[]): Promise<void> {
    await this.start();
    await this.client?.reconcile(taskIds.map((taskId) => ({ taskId, agentId: this.tasks.get(taskId)?.agentId })));
  }

  /** Resolves with the task's state once `accept` takes it (at once if it does already). */
  waitForState(taskId: string, accept: (state: TaskState) => boolean, timeoutMs: number): Promise<TaskState> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const state = this.tasks.get(taskId)?.state;
        if (state === undefined || !accept(state)) return;
        done();
        resolve(state);
      };
      const timer = setTimeout(() => {
        done();
        reject(new ApiError('failed', `${taskId} did not get there within ${timeoutMs / 1000} s (it is ${this.tasks.get(taskId)?.state ?? 'unknown'}).`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The last update received for the task. */
  lastUpdate(taskId: string): TaskStatus | undefined {
    return this.lastStatus.get(taskId);
  }

  /** Drops the stream, keeping the framework (and its tasks) on the master until the failover timeout. */
  close(): void {
    clearTimeout(this.explicitReconcile);
    for (const t of this.killTimers.values()) clearTimeout(t);
    this.killTimers.clear();
    for (const run of [...this.runs.values()]) this.failRun(run, new ApiError('unavailable', 'The framework was closed.'));
    this.client?.close();
    this.client = null;
    this.starting = null;
    this.setStatus({ state: 'closed' });
  }

  private setStatus(patch: Partial<FrameworkStatus>): void {
    const next = { ...this.current, ...patch };
    for (const k of Object.keys(next) as Array<keyof FrameworkStatus>) if (next[k] === undefined) delete next[k];
    this.current = next;
    this.emit((l) => l.status?.(next));
  }

  private emitOffer(decision: OfferDecision, offer: OfferSummary): void {
    this.emit((l) => l.offer?.(decision, offer));
  }

  private emit(call: (l: FrameworkListener) => void): void {
    for (const l of [...this.listeners]) {
      try {
        call(l);
      } catch {
        // A listener's problem is not the framework's.
      }
    }
  }
}
