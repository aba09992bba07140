// Frameworks on the master: SUBSCRIBE (new, or again with an id after a broken stream or a
// leader change), the stream's end and failover_timeout (0 tears the framework down at once,
// docs/mesos/api.md §0.7, docs/mesos/faults.md row 16), TEARDOWN, and the FRAMEWORK_* operator events.
import type { JsonObject } from '../common/json';
import { dbl } from '../common/json';
import { Duration } from '../common/durations';
import { nowNs } from '../common/time';
import type http from 'node:http';
import type { Allocator } from './allocator';
import type { MasterContext } from './context';
import type { FrameworkRecord } from './model';
import { masterInfoV1 } from './render-v1';
import { SchedulerStream, SCHEDULER_HEARTBEAT_SECS, type SchedulerStreams } from './scheduler-streams';
import type { TaskManager } from './tasks';

type Info = Record<string, unknown>;

const capabilitiesOf = (info: Info) =>
  Array.isArray(info.capabilities) ? (info.capabilities as Array<{ type?: unknown }>).map((c) => String(c.type)) : [];

export class FrameworkManager {
  private readonly failoverTimers = new Map<string, NodeJS.Timeout>();
  /** Set once the task manager exists (they need each other). */
  tasks!: TaskManager;

  constructor(
    private readonly ctx: MasterContext,
    private readonly streams: SchedulerStreams,
    private readonly allocator: Allocator,
  ) {}

  /** Answers SUBSCRIBE on `res` (already validated): SUBSCRIBED, then HEARTBEATs (docs/mesos/api.md §3.2). */
  subscribe(res: http.ServerResponse, info: Info): void {
    const { state, logger } = this.ctx;
    const requestedId = (info.id as { value?: string } | undefined)?.value;
    state.inc(requestedId ? 'messages_reregister_framework' : 'messages_register_framework');

    if (requestedId && state.frameworks.completed.some((f) => f.id === requestedId)) {
      // docs/mesos/api.md §9: resubscribing with the id of a removed framework.
      const stream = new SchedulerStream(res, this.streams.heartbeatMs, () => undefined);
      stream.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
      stream.end();
      return;
    }

    const now = nowNs();
    let f = requestedId ? state.frameworks.registered.get(requestedId) : undefined;
    if (f) {
      const previous = this.streams.get(f.id);
      if (previous?.open) {
        // Only one subscription per framework: the old stream learns it was replaced (docs/mesos/api.md §3.1).
        previous.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
        previous.end();
      }
      clearTimeout(this.failoverTimers.get(f.id));
      this.failoverTimers.delete(f.id);
      this.applyInfo(f, info);
      f.active = true;
      f.connected = true;
      f.recovered = false;
      f.reregisteredTime = now;
      logger.info('master.cpp:2930', `Framework ${f.id} (${f.name}) failed over`);
      this.streams.set(f.id, this.openStream(f, res));
      this.sendSubscribed(f);
      state.emit({ type: 'FRAMEWORK_UPDATED', framework: f });
      return;
    }

    f = this.newRecord(requestedId ?? state.newFrameworkId(), info, now);
    f.active = true;
    f.connected = true;
    // Equal to registered_time at first (transcripts/basic/operator.events.jsonl FRAMEWORK_ADDED).
    f.reregisteredTime = f.registeredTime;
    state.frameworks.registered.set(f.id, f);
    const caps = f.capabilities.join(', ');
    logger.info('master.cpp:2772', `Subscribing framework '${f.name}' with checkpointing ${f.checkpoint ? 'enabled' : 'disabled'} and capabilities [ ${caps} ]`);
    logger.info('hierarchical.cpp:789', `Added framework ${f.id}`);
    this.streams.set(f.id, this.openStream(f, res));
    this.sendSubscribed(f);
    state.emit({ type: 'FRAMEWORK_ADDED', framework: f });
  }

  /** A framework an agent reports that this master does not know (it became leader after the framework subscribed). */
  adopt(info: Info): void {
    const id = (info.id as { value?: string } | undefined)?.value;
    const { state } = this.ctx;
    if (!id || state.frameworks.registered.has(id) || state.frameworks.completed.some((f) => f.id === id)) return;
    const f = this.newRecord(id, info, nowNs());
    f.recovered = true;
    state.frameworks.registered.set(id, f);
    state.emit({ type: 'FRAMEWORK_ADDED', framework: f });
    // A recovered framework that never comes back is removed after its failover timeout.
    this.startFailover(f);
  }

  /** The `Mesos-Stream-Id` of the framework's current subscription. */
  streamId(frameworkId: string): string | undefined {
    return this.streams.get(frameworkId)?.id;
  }

  teardown(f: FrameworkRecord): void {
    this.ctx.logger.info('master.cpp:3301', `Processing TEARDOWN call for framework ${f.id} (${f.name})`);
    this.remove(f);
  }

  private newRecord(id: string, info: Info, now: bigint): FrameworkRecord {
    const f: FrameworkRecord = {
      id,
      info: {},
      name: '',
      user: '',
      roles: [],
      capabilities: [],
      checkpoint: false,
      failoverTimeout: 0,
      hostname: '',
      webuiUrl: '',
      active: false,
      connected: false,
      recovered: false,
      registeredTime: now,
      tasks: new Map(),
      unreachableTasks: new Map(),
      completedTasks: [],
      offers: new Map(),
      filters: new Map(),
      suppressed: false,
    };
    this.applyInfo(f, info);
    return f;
  }

  private applyInfo(f: FrameworkRecord, info: Info): void {
    const { id: _id, ...rest } = info;
    f.info = rest as JsonObject;
    f.name = String(info.name ?? '');
    f.user = String(info.user ?? '');
    f.roles = Array.isArray(info.roles) ? (info.roles as string[]) : [String(info.role ?? '*')];
    f.capabilities = capabilitiesOf(info);
    f.checkpoint = info.checkpoint === true;
    f.failoverTimeout = typeof info.failover_timeout === 'number' ? info.failover_timeout : 0;
    f.hostname = String(info.hostname ?? '');
    f.webuiUrl = String(info.webui_url ?? '');
    f.principal = typeof info.principal === 'string' ? info.principal : undefined;
  }

  private openStream(f: FrameworkRecord, res: http.ServerResponse): SchedulerStream {
    return new SchedulerStream(res, this.streams.heartbeatMs, (stream) => this.disconnected(f, stream));
  }

  private sendSubscribed(f: FrameworkRecord): void {
    this.streams.send(f.id, {
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: f.id },
        heartbeat_interval_seconds: dbl(SCHEDULER_HEARTBEAT_SECS),
        master_info: masterInfoV1(this.ctx.info),
      },
    });
    this.streams.send(f.id, { type: 'HEARTBEAT' });
  }

  /** The stream broke: deactivate, then wait failover_timeout before removing (Master::_exited). */
  private disconnected(f: FrameworkRecord, stream: SchedulerStream): void {
    if (this.streams.get(f.id) !== stream) return;
    this.streams.delete(f.id, stream);
    if (!this.ctx.state.frameworks.registered.has(f.id)) return;
    const { logger } = this.ctx;
    logger.info('master.cpp:3428', `Deactivating framework ${f.id} (${f.name})`);
    logger.info('master.cpp:3412', `Disconnecting framework ${f.id} (${f.name})`);
    f.active = false;
    f.connected = false;
    this.allocator.dropOffersOf(f);
    this.startFailover(f);
  }

  private startFailover(f: FrameworkRecord): void {
    const timeout = Duration.secs(f.failoverTimeout);
    this.ctx.logger.info('master.cpp:1431', `Giving framework ${f.id} (${f.name}) ${timeout} to failover`);
    const timer = setTimeout(() => {
      this.ctx.logger.info('master.cpp:9390', `Framework failover timeout, removing framework ${f.id} (${f.name})`);
      this.remove(f);
    }, timeout.ms);
    timer.unref();
    this.failoverTimers.set(f.id, timer);
  }

  /** Master::removeFramework: tasks killed, offers dropped, the framework completed. */
  remove(f: FrameworkRecord): void {
    const { state, logger } = this.ctx;
    if (!state.frameworks.registered.has(f.id)) return;
    clearTimeout(this.failoverTimers.get(f.id));
    this.failoverTimers.delete(f.id);
    logger.info('master.cpp:10401', `Removing framework ${f.id} (${f.name})`);
    this.streams.get(f.id)?.end();
    this.streams.delete(f.id);
    this.allocator.dropOffersOf(f);
    this.tasks.frameworkRemoved(f);
    state.frameworks.registered.delete(f.id);
    f.active = false;
    f.connected = false;
    f.unregisteredTime = nowNs();
    state.frameworks.completed.push(f);
    const max = this.ctx.flags.int('max_completed_frameworks') ?? 50;
    if (state.frameworks.completed.length > max) state.frameworks.completed.splice(0, state.frameworks.completed.length - max);
    state.emit({ type: 'FRAMEWORK_REMOVED', framework: f });
  }

  stop(): void {
    for (const t of this.failoverTimers.values()) clearTimeout(t);
    this.failoverTimers.clear();
    this.streams.endAll();
  }
}
