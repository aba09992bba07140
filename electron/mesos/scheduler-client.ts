import type http from 'node:http';
import {
  SchedulerEventSchema,
  type FailureEvent,
  type Filters,
  type FrameworkInfo,
  type SchedulerEvent,
  type TaskInfo,
} from '@shared/mesos/scheduler';
import type { MasterInfo, Offer, TaskStatus } from '@shared/mesos/v1';
import type { HttpAccess } from './access';
import { MesosHttpError, openStream, post } from './http';
import { RecordIODecoder } from './recordio';
import { backoffDelay, HeartbeatWatchdog } from './stream-keepalive';

/**
 * A v1 HTTP scheduler (docs/mesos/api.md §3): SUBSCRIBE on a long-lived RecordIO stream, every other call on its
 * own connection with the stream's `Mesos-Stream-Id`. It follows leader redirects, acknowledges every
 * update that carries a uuid (an unacknowledged update is resent and holds back later ones, §0.8), and
 * after a broken stream resubscribes with its framework id, trying the last leader first and then every
 * master it knows (docs/mesos/faults.md row 18). An ERROR event (for instance "Framework has been removed" or
 * "Framework failed over") ends it for good: resubscribing would fight whoever took over.
 */

export interface SchedulerClientOptions {
  /** Base URLs of the masters (`http://127.0.0.1:5050`); any one will do, a standby redirects. */
  masters: readonly string[];
  /** FrameworkInfo to subscribe with; set `id` to take over a previous framework. */
  framework: FrameworkInfo;
  /** Resubscribe after the stream breaks (default true). */
  reconnect?: boolean;
  /** Waits between rounds of attempts; the last one repeats. */
  backoffMs?: readonly number[];
  /** Heartbeat intervals without a byte before the stream counts as broken (default 5, docs/mesos/api.md §2.3). */
  missedHeartbeats?: number;
  /** Acknowledge every update that carries a uuid (default true). */
  autoAcknowledge?: boolean;
  /** Per call (default 10 s). */
  callTimeoutMs?: number;
  /**
   * Credentials and TLS for every call (a cluster Mesoscope did not start): with
   * --authenticate_http_frameworks the master answers 401 to a SUBSCRIBE without them.
   */
  access?: HttpAccess;
  /** How long `start()` keeps trying before it gives up (default 30 s). */
  startTimeoutMs?: number;
}

export interface Subscribed {
  frameworkId: string;
  streamId: string;
  /** The scheduler endpoint of the leader that answered. */
  endpoint: string;
  heartbeatIntervalSeconds: number;
  masterInfo?: MasterInfo;
  /** A resubscription after a broken stream (same framework id). */
  resubscribed: boolean;
}

export interface SchedulerClientEvents {
  subscribed: Subscribed;
  offers: Offer[];
  /** An offer id the master took back. */
  rescind: string;
  update: TaskStatus;
  /** An agent was lost (agent_id), or a custom executor exited (executor_id, status). */
  failure: FailureEvent['failure'];
  /** An ERROR event: the master refused or dropped the framework; the client stops. */
  error: string;
  heartbeat: undefined;
  disconnected: { reason: string; willReconnect: boolean };
  /** Every event, as received. */
  event: SchedulerEvent;
  /** Something went wrong that does not stop the client (a failed acknowledgement, an unparsable event). */
  problem: Error;
}

type Listener<T> = (value: T) => void;

export class SchedulerCallError extends Error {
  override readonly name = 'SchedulerCallError';
}

const SCHEDULER_PATH = '/api/v1/scheduler';

export class SchedulerClient {
  private readonly listeners = new Map<keyof SchedulerClientEvents, Set<Listener<never>>>();
  private state: 'idle' | 'connecting' | 'subscribed' | 'closed' = 'idle';
  private current: { request: http.ClientRequest; endpoint: string; streamId: string } | null = null;
  private subscribedInfo: Subscribed | null = null;
  private frameworkIdValue: string | undefined;
  private readonly watchdog: HeartbeatWatchdog;
  private onSilent: (reason: string) => void = () => undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private firstSubscription: { resolve: (s: Subscribed) => void; reject: (e: Error) => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SchedulerClientOptions) {
    if (options.masters.length === 0) throw new Error('SchedulerClient needs at least one master URL');
    this.frameworkIdValue = options.framework.id?.value;
    this.watchdog = new HeartbeatWatchdog((reason) => this.onSilent(reason), options.missedHeartbeats);
  }

  get frameworkId(): string | undefined {
    return this.frameworkIdValue;
  }

  /** The current subscription's `Mesos-Stream-Id`. */
  get streamId(): string | undefined {
    return this.current?.streamId;
  }

  get subscription(): Subscribed | null {
    return this.state === 'subscribed' ? this.subscribedInfo : null;
  }

  on<K extends keyof SchedulerClientEvents>(event: K, listener: Listener<SchedulerClientEvents[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Subscribes; resolves at the first SUBSCRIBED, rejects on a refusal, an ERROR event or the start timeout. */
  start(): Promise<Subscribed> {
    if (this.state !== 'idle') return Promise.reject(new Error(`SchedulerClient already ${this.state}`));
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    return new Promise<Subscribed>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.firstSubscription = null;
        this.close();
        reject(new Error(`no subscription within ${timeoutMs} ms (masters: ${this.options.masters.join(', ')})`));
      }, timeoutMs);
      this.firstSubscription = {
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      void this.connect(0);
    });
  }

  /** Drops the stream without tearing the framework down (its failover_timeout starts on the master). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    this.watchdog.stop();
    this.current?.request.destroy();
    this.current = null;
  }

  // ---- calls (docs/mesos/api.md §3.3) ----

  accept(offerIds: string[], operations: unknown[], filters?: Filters): Promise<void> {
    return this.call('ACCEPT', { offer_ids: offerIds.map((value) => ({ value })), operations, ...(filters ? { filters } : {}) });
  }

  /** ACCEPT with one LAUNCH of `tasks` on `offer`'s agent (agent_id filled in where missing). */
  launch(offer: Offer, tasks: TaskInfo[], filters?: Filters): Promise<void> {
    const taskInfos = tasks.map((t) => ({ ...t, agent_id: t.agent_id ?? offer.agent_id }));
    return this.accept([offer.id.value], [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters);
  }

  decline(offerIds: string[], filters?: Filters): Promise<void> {
    return this.call('DECLINE', { offer_ids: offerIds.map((value) => ({ value })), ...(filters ? { filters } : {}) });
  }

  acknowledge(status: TaskStatus): Promise<void> {
    if (!status.uuid || !status.agent_id) return Promise.resolve();
    return this.call('ACKNOWLEDGE', { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid });
  }

  kill(taskId: string, agentId?: string, gracePeriodNs?: number): Promise<void> {
    return this.call('KILL', {
      task_id: { value: taskId },
      ...(agentId ? { agent_id: { value: agentId } } : {}),
      ...(gracePeriodNs !== undefined ? { kill_policy: { grace_period: { nanoseconds: gracePeriodNs } } } : {}),
    });
  }

  /** Explicit reconciliation of `tasks`, or implicit (every task the master knows) when empty. */
  reconcile(tasks: Array<{ taskId: string; agentId?: string }> = []): Promise<void> {
    return this.call('RECONCILE', {
      tasks: tasks.map((t) => ({ task_id: { value: t.taskId }, ...(t.agentId ? { agent_id: { value: t.agentId } } : {}) })),
    });
  }

  revive(): Promise<void> {
    return this.call('REVIVE', {});
  }

  suppress(): Promise<void> {
    return this.call('SUPPRESS', {});
  }

  /** Removes the framework: the master kills its tasks (REASON_FRAMEWORK_REMOVED) and ends the stream. */
  async teardown(): Promise<void> {
    try {
      await this.call('TEARDOWN');
    } finally {
      this.close();
    }
  }

  /**
   * Calls go out one at a time, in the order they were made. Mesos takes each on its own connection
   * and acts on it before answering 202, so only waiting for the answer keeps the order: otherwise a
   * REVIVE can overtake an earlier DECLINE or SUPPRESS and the framework sees no offer until the
   * refuse filter (or forever, suppressed) runs out.
   */
  private call(type: string, body?: Record<string, unknown>): Promise<void> {
    const next = this.queue.then(() => this.send(type, body));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async send(type: string, body?: Record<string, unknown>): Promise<void> {
    const current = this.current;
    const frameworkId = this.frameworkIdValue;
    if (this.state !== 'subscribed' || !current || !frameworkId) throw new SchedulerCallError(`cannot send ${type}: not subscribed`);
    const payload = { framework_id: { value: frameworkId }, type, ...(body ? { [type.toLowerCase()]: body } : {}) };
    const answer = await post(current.endpoint, JSON.stringify(payload), {
      headers: { 'Mesos-Stream-Id': current.streamId },
      timeoutMs: this.options.callTimeoutMs ?? 10_000,
      access: this.options.access,
    });
    if (answer.status !== 202) throw new MesosHttpError(answer.status, answer.body, answer.url);
  }

  // ---- the subscription ----

  private candidates(): string[] {
    const masters = this.options.masters.map((m) => m.replace(/\/+$/, '') + SCHEDULER_PATH);
    const last = this.subscribedInfo?.endpoint;
    return last ? [last, ...masters.filter((m) => m !== last)] : masters;
  }

  /**
   * Resubscribing names the id twice: Mesos refuses a SUBSCRIBE whose `framework_info.id` differs from
   * the call's `framework_id` (400 "'framework_id' differs from 'subscribe.framework_info.id'"), and an
   * absent `framework_id` counts as different.
   */
  private subscribeBody(): string {
    const id = this.frameworkIdValue ? { value: this.frameworkIdValue } : undefined;
    const framework = { ...this.options.framework, ...(id ? { id } : {}) };
    return JSON.stringify({ type: 'SUBSCRIBE', ...(id ? { framework_id: id } : {}), subscribe: { framework_info: framework } });
  }

  private async connect(round: number): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    let last: unknown;
    for (const url of this.candidates()) {
      if (this.state !== 'connecting') return;
      try {
        const opened = await openStream(url, this.subscribeBody(), { access: this.options.access });
        if (this.state !== 'connecting') {
          opened.request.destroy();
          return;
        }
        this.read(opened.url, opened.request, opened.response);
        return;
      } catch (err) {
        last = err;
        // 4xx other than a redirect is a refusal (bad FrameworkInfo…): retrying cannot help.
        if (err instanceof MesosHttpError && err.status >= 400 && err.status < 500) {
          this.fail(new SchedulerCallError(`SUBSCRIBE refused: ${err.message}`));
          return;
        }
      }
    }
    if (this.options.reconnect === false && !this.firstSubscription) {
      this.fail(new SchedulerCallError(`SUBSCRIBE failed: ${String((last as Error)?.message ?? last)}`));
      return;
    }
    const delay = backoffDelay(this.options.backoffMs, round);
    this.reconnectTimer = setTimeout(() => void this.connect(round + 1), delay);
  }

  private read(endpoint: string, request: http.ClientRequest, response: http.IncomingMessage): void {
    const streamId = String(response.headers['mesos-stream-id'] ?? '');
    const decoder = new RecordIODecoder();
    let subscribed = false;
    let ended = false;
    const broken = (reason: string) => {
      if (ended) return;
      ended = true;
      this.watchdog.stop();
      if (this.current?.request === request) this.current = null;
      request.destroy();
      this.streamBroken(reason);
    };
    this.onSilent = broken;
    const arm = (seconds: number) => this.watchdog.arm(seconds);
    arm(15);
    response.on('data', (chunk: Buffer) => {
      if (ended) return;
      let records: Buffer[];
      try {
        records = decoder.push(chunk);
      } catch (err) {
        this.emit('problem', err as Error);
        broken((err as Error).message);
        return;
      }
      for (const record of records) {
        const event = this.parse(record);
        if (!event) continue;
        if (event.type === 'SUBSCRIBED' && !subscribed) {
          subscribed = true;
          this.current = { request, endpoint, streamId };
        }
        this.dispatch(event, endpoint, streamId);
        if (event.type === 'ERROR') {
          ended = true;
          this.watchdog.stop();
          request.destroy();
          return;
        }
      }
      arm(this.subscribedInfo?.heartbeatIntervalSeconds ?? 15);
    });
    response.on('end', () => broken('the master ended the stream'));
    response.on('error', (err) => broken(err.message));
    request.on('close', () => broken('the connection closed'));
  }

  private parse(record: Buffer): SchedulerEvent | undefined {
    let json: unknown;
    try {
      json = JSON.parse(record.toString('utf8'));
    } catch (err) {
      this.emit('problem', new Error(`unparsable scheduler event: ${(err as Error).message}`));
      return undefined;
    }
    const parsed = SchedulerEventSchema.safeParse(json);
    if (!parsed.success) {
      this.emit('problem', new Error(`unexpected scheduler event: ${parsed.error.message}`));
      return undefined;
    }
    return parsed.data;
  }

  private dispatch(event: SchedulerEvent, endpoint: string, streamId: string): void {
    this.emit('event', event);
    switch (event.type) {
      case 'SUBSCRIBED': {
        const s = (event as Extract<SchedulerEvent, { type: 'SUBSCRIBED' }>).subscribed;
        const info: Subscribed = {
          frameworkId: s.framework_id.value,
          streamId,
          endpoint,
          heartbeatIntervalSeconds: s.heartbeat_interval_seconds ?? 15,
          masterInfo: s.master_info,
          resubscribed: this.subscribedInfo !== null,
        };
        this.frameworkIdValue = info.frameworkId;
        this.subscribedInfo = info;
        this.state = 'subscribed';
        this.emit('subscribed', info);
        this.firstSubscription?.resolve(info);
        this.firstSubscription = null;
        return;
      }
      case 'OFFERS':
        this.emit('offers', (event as Extract<SchedulerEvent, { type: 'OFFERS' }>).offers.offers);
        return;
      case 'RESCIND':
        this.emit('rescind', (event as Extract<SchedulerEvent, { type: 'RESCIND' }>).rescind.offer_id.value);
        return;
      case 'UPDATE': {
        const status = (event as Extract<SchedulerEvent, { type: 'UPDATE' }>).update.status;
        this.emit('update', status);
        if (this.options.autoAcknowledge !== false && status.uuid) {
          this.acknowledge(status).catch((err: unknown) => this.emit('problem', new Error(`acknowledging ${status.task_id.value} ${status.state}: ${(err as Error).message}`)));
        }
        return;
      }
      case 'FAILURE':
        this.emit('failure', (event as Extract<SchedulerEvent, { type: 'FAILURE' }>).failure);
        return;
      case 'ERROR': {
        const message = (event as Extract<SchedulerEvent, { type: 'ERROR' }>).error.message;
        this.emit('error', message);
        this.fail(new SchedulerCallError(`the master sent ERROR: ${message}`));
        return;
      }
      case 'HEARTBEAT':
        this.emit('heartbeat', undefined);
        return;
      default:
        return;
    }
  }

  private streamBroken(reason: string): void {
    if (this.state === 'closed') return;
    const willReconnect = this.options.reconnect !== false && this.frameworkIdValue !== undefined;
    this.emit('disconnected', { reason, willReconnect });
    if (!willReconnect) {
      this.fail(new SchedulerCallError(`stream broken: ${reason}`));
      return;
    }
    this.state = 'connecting';
    const first = backoffDelay(this.options.backoffMs, 0);
    this.reconnectTimer = setTimeout(() => void this.connect(1), first);
  }

  private fail(err: Error): void {
    this.firstSubscription?.reject(err);
    this.firstSubscription = null;
    this.close();
  }

  private emit<K extends keyof SchedulerClientEvents>(event: K, value: SchedulerClientEvents[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<SchedulerClientEvents[K]>)(value);
      } catch (err) {
        if (event !== 'problem') this.emit('problem', err as Error);
      }
    }
  }
}
