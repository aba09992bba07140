import { randomBytes } from 'node:crypto';
import { ApiError } from '@shared/errors';
import { TERMINAL_TASK_STATES, type TaskStatus } from '@shared/mesos/v1';
import type { ServiceEvent, ServiceInstance, ServiceSpec, ServiceView, ServicesView } from '@shared/services/schemas';
import type { BuiltInFramework } from './builtin-framework';
import { RelaunchBackoff } from './relaunch-backoff';
import { parseServiceTaskId, serviceTaskId, serviceTaskInfo } from './service-task-infos';
import type { ServiceStore, StoredService } from './service-store';

/**
 * A cluster's services, kept running by the built-in framework (its default variant: checkpoint on,
 * not partition-aware). Each service fills slots 1…instances; an instance that ends is relaunched in
 * its slot after the service's backoff (relaunch-backoff.ts), unless it was ended on purpose (scale
 * down, remove; restart relaunches at once). Every launch, end (with the doctor's verdict) and
 * relaunch goes into the service's history. Definitions and instances are stored (service-store.ts),
 * so after an app restart the services resume with their tasks (reconciled with the master).
 */

const MAX_HISTORY = 100;

export interface ServiceManagerOptions {
  cluster: string;
  store: ServiceStore;
  /** The framework the services run on, subscribed (resumed with its stored id). */
  framework: () => Promise<BuiltInFramework>;
  /** The doctor's verdict on a task that ended (taskKey `<frameworkId>/<taskId>`). */
  verdict?: (taskKey: string) => Promise<{ title: string; summary?: string } | undefined>;
  backoff?: () => RelaunchBackoff;
  now?: () => number;
}

interface Instance extends ServiceInstance {
  /** Cancels the wait for an offer. */
  cancel?: () => void;
  timer?: ReturnType<typeof setTimeout>;
  /** Ended on purpose: what happens next. */
  ending?: 'drop' | 'relaunch-now';
  /** Since when it has been RUNNING and (with a health check) healthy. */
  goodSince?: number;
}

interface Service {
  spec: ServiceSpec;
  instances: Map<number, Instance>;
  history: ServiceEvent[];
  backoff: RelaunchBackoff;
  removing: boolean;
}

const random = () => randomBytes(3).toString('hex');

export class ServiceManager {
  private readonly services = new Map<string, Service>();
  private readonly listeners = new Set<() => void>();
  private framework: BuiltInFramework | null = null;
  private unlisten: (() => void) | null = null;
  private loaded: Promise<void> | null = null;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: ServiceManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(): ServicesView {
    return {
      cluster: this.options.cluster,
      services: [...this.services.values()].map((s) => this.serviceView(s)).sort((a, b) => a.spec.id.localeCompare(b.spec.id)),
    };
  }

  private serviceView(s: Service): ServiceView {
    const instances = [...s.instances.values()]
      .sort((a, b) => a.slot - b.slot)
      .map(({ cancel: _c, timer: _t, ending: _e, goodSince: _g, ...rest }) => rest);
    return { spec: s.spec, instances, backoffMs: s.backoff.current, removing: s.removing, history: [...s.history] };
  }

  /** Loads the stored services and resumes them (once): their tasks are reconciled, missing slots launched. */
  resume(): Promise<void> {
    this.loaded ??= (async () => {
      const stored = await this.options.store.services(this.options.cluster);
      if (stored.length === 0) return;
      const f = await this.attach();
      const known: Array<string> = [];
      for (const st of stored) {
        const s = this.newService(st.spec, st.history);
        for (const i of st.instances) {
          s.instances.set(i.slot, { slot: i.slot, taskId: i.taskId, frameworkId: f.id, agentId: i.agentId, host: i.host, ports: i.ports, state: 'TASK_STAGING', launchedAt: i.launchedAt });
          known.push(i.taskId);
        }
        this.fill(s);
      }
      this.changed();
      // The master answers with each task's state; one it does not know comes back LOST and is relaunched.
      if (known.length > 0) await f.reconcile(known).catch(() => undefined);
    })();
    return this.loaded;
  }

  private async attach(): Promise<BuiltInFramework> {
    const f = await this.options.framework();
    if (this.framework !== f) {
      this.unlisten?.();
      this.framework = f;
      this.unlisten = f.listen({ update: (_u, status) => this.onUpdate(status) });
    }
    return f;
  }

  private newService(spec: ServiceSpec, history: ServiceEvent[] = []): Service {
    const s: Service = { spec, instances: new Map(), history, backoff: this.options.backoff?.() ?? new RelaunchBackoff(), removing: false };
    this.services.set(spec.id, s);
    return s;
  }

  async create(spec: ServiceSpec): Promise<ServiceView> {
    await this.resume();
    const existing = this.services.get(spec.id);
    if (existing && !existing.removing) throw new ApiError('refused', `A service named ${spec.id} already exists on ${this.options.cluster}.`);
    if (existing) throw new ApiError('refused', `Service ${spec.id} is still being removed; try again when its instances have ended.`);
    await this.attach();
    const s = this.newService(spec);
    this.event(s, { kind: 'created', text: `Created: ${spec.instances} instance${spec.instances === 1 ? '' : 's'}${spec.image ? ` of ${spec.image}` : ''}` });
    this.fill(s);
    await this.persist(s);
    this.changed();
    return this.serviceView(s);
  }

  async scale(id: string, instances: number): Promise<ServiceView> {
    const s = await this.get(id);
    const before = s.spec.instances;
    s.spec = { ...s.spec, instances };
    this.event(s, { kind: 'scaled', text: `Scaled from ${before} to ${instances}` });
    await Promise.all([...s.instances.values()].filter((inst) => inst.slot > instances).map((inst) => this.end(s, inst, 'drop')));
    this.fill(s);
    await this.persist(s);
    this.changed();
    return this.serviceView(s);
  }

  /** Every instance is killed and relaunched at once (no backoff). */
  async restart(id: string): Promise<ServiceView> {
    const s = await this.get(id);
    this.event(s, { kind: 'restart', text: `Restart of ${s.instances.size} instance${s.instances.size === 1 ? '' : 's'}` });
    s.backoff.reset();
    await Promise.all([...s.instances.values()].map((inst) => this.end(s, inst, 'relaunch-now')));
    this.changed();
    return this.serviceView(s);
  }

  /** Kills every instance; the service goes once they have ended. */
  async remove(id: string): Promise<void> {
    const s = await this.get(id);
    s.removing = true;
    s.spec = { ...s.spec, instances: 0 };
    this.event(s, { kind: 'removed', text: 'Removed: its instances are killed' });
    await Promise.all([...s.instances.values()].map((inst) => this.end(s, inst, 'drop')));
    await this.options.store.remove(this.options.cluster, id);
    this.dropIfGone(s);
    this.changed();
  }

  private async get(id: string): Promise<Service> {
    await this.resume();
    const s = this.services.get(id);
    if (!s || s.removing) throw new ApiError('not-found', `No service ${id} on ${this.options.cluster}.`);
    return s;
  }

  // ---- instances ----

  /** Launches what the slots 1…instances lack. */
  private fill(s: Service): void {
    if (s.removing) return;
    for (let slot = 1; slot <= s.spec.instances; slot++) if (!s.instances.has(slot)) this.launch(s, slot, 0);
  }

  private launch(s: Service, slot: number, delayMs: number, previousPorts: readonly number[] = []): void {
    const inst: Instance = { slot, ports: [], state: delayMs > 0 ? 'BACKOFF' : 'WAITING_FOR_OFFER', ...(delayMs > 0 ? { relaunchAt: this.now() + delayMs } : {}) };
    s.instances.set(slot, inst);
    const place = () => {
      if (s.instances.get(slot) !== inst || this.closed) return;
      inst.timer = undefined;
      inst.state = 'WAITING_FOR_OFFER';
      delete inst.relaunchAt;
      const taskId = serviceTaskId(s.spec.id, slot, random());
      const spec = s.spec;
      void this.attach().then(
        (f) => {
          if (s.instances.get(slot) !== inst) return;
          inst.cancel = f.place({
            runId: `service:${spec.id}`,
            taskId,
            cpus: spec.cpus,
            mem: spec.mem,
            ports: spec.ports.length,
            avoidPorts: previousPorts,
            build: (offer, ports) => serviceTaskInfo(spec, taskId, slot, offer.agentId, ports),
            launched: (offer, ports) => {
              inst.cancel = undefined;
              Object.assign(inst, { taskId, frameworkId: f.id, agentId: offer.agentId, host: offer.hostname, ports, state: 'TASK_STAGING', launchedAt: this.now() });
              this.event(s, { kind: 'launched', slot, taskId, text: `Instance ${slot} launched as ${taskId} on ${offer.hostname}${ports.length ? ` (ports ${ports.join(', ')})` : ''}` });
              void this.persist(s);
              this.changed();
            },
            failed: (err) => {
              inst.cancel = undefined;
              this.event(s, { kind: 'ended', slot, taskId, text: `Instance ${slot} could not be launched: ${err.message}` });
              this.relaunch(s, inst);
            },
          });
          this.changed();
        },
        (err: unknown) => {
          this.event(s, { kind: 'ended', slot, text: `Instance ${slot} waits: the framework could not subscribe (${(err as Error).message})` });
          this.relaunch(s, inst);
        },
      );
    };
    if (delayMs > 0) inst.timer = setTimeout(place, delayMs);
    else place();
    this.changed();
  }

  /** Ends an instance on purpose: kill it if it runs (resolves once the KILL is sent), else stop waiting. */
  private async end(s: Service, inst: Instance, next: 'drop' | 'relaunch-now'): Promise<void> {
    inst.ending = next;
    if (inst.timer || inst.cancel || !inst.taskId) {
      clearTimeout(inst.timer);
      inst.cancel?.();
      s.instances.delete(inst.slot);
      if (next === 'relaunch-now') this.launch(s, inst.slot, 0);
      return;
    }
    const f = await this.attach();
    await f.kill(inst.taskId).catch(() => undefined);
  }

  private onUpdate(status: TaskStatus): void {
    const taskId = status.task_id.value;
    const parsed = parseServiceTaskId(taskId);
    const s = parsed && this.services.get(parsed.service);
    const inst = s?.instances.get(parsed?.slot ?? -1);
    if (!s || !inst || inst.taskId !== taskId) return;
    const now = this.now();
    const hasCheck = s.spec.healthCheck !== undefined;
    if (status.agent_id?.value) inst.agentId = status.agent_id.value;
    if (status.healthy !== undefined && status.healthy !== inst.healthy) {
      this.event(s, { kind: 'health', slot: inst.slot, taskId, healthy: status.healthy, reason: status.reason, text: `Instance ${inst.slot} ${status.healthy ? 'healthy' : 'unhealthy'}` });
    }
    if (status.healthy !== undefined) inst.healthy = status.healthy;
    if (status.state === 'TASK_RUNNING' && inst.state !== 'TASK_RUNNING') {
      inst.runningSince = now;
      this.event(s, { kind: 'running', slot: inst.slot, taskId, text: `Instance ${inst.slot} running` });
    }
    inst.state = status.state;
    const good = status.state === 'TASK_RUNNING' && (!hasCheck || inst.healthy === true);
    if (good) inst.goodSince ??= now;
    else if (!TERMINAL_TASK_STATES.has(status.state)) inst.goodSince = undefined;
    if (TERMINAL_TASK_STATES.has(status.state)) this.ended(s, inst, status);
    this.changed();
  }

  private ended(s: Service, inst: Instance, status: TaskStatus): void {
    const taskId = inst.taskId as string;
    const entry = this.event(s, {
      kind: 'ended',
      slot: inst.slot,
      taskId,
      state: status.state,
      reason: status.reason,
      message: status.message,
      healthy: status.healthy,
      text: `Instance ${inst.slot} ended: ${status.state}${status.reason ? ` (${status.reason})` : ''}${status.message ? `: ${status.message}` : ''}`,
    });
    if (this.options.verdict && inst.frameworkId) {
      // The doctor needs the end in its view first; a moment later it has it.
      const key = `${inst.frameworkId}/${taskId}`;
      void (async () => {
        for (let attempt = 0; attempt < 10 && !entry.verdict; attempt++) {
          const v = await this.options.verdict?.(key).catch(() => undefined);
          if (v) {
            entry.verdict = v;
            void this.persist(s);
            this.changed();
            return;
          }
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
    }
    if (s.instances.get(inst.slot) === inst) s.instances.delete(inst.slot);
    if (inst.ending === 'drop' || s.removing || inst.slot > s.spec.instances) {
      void this.persist(s);
      this.dropIfGone(s);
      return;
    }
    if (inst.ending === 'relaunch-now') this.launch(s, inst.slot, 0, inst.ports);
    else this.relaunch(s, inst);
    void this.persist(s);
  }

  private relaunch(s: Service, inst: Instance): void {
    if (this.closed || s.removing || inst.slot > s.spec.instances) return;
    const delay = s.backoff.relaunch(inst.goodSince, this.now());
    this.event(s, { kind: 'relaunch', slot: inst.slot, delayMs: delay, text: `Instance ${inst.slot} relaunched in ${delay / 1000} s` });
    this.launch(s, inst.slot, delay, inst.ports);
  }

  private dropIfGone(s: Service): void {
    if (s.removing && s.instances.size === 0 && this.services.get(s.spec.id) === s) this.services.delete(s.spec.id);
  }

  private event(s: Service, e: Omit<ServiceEvent, 'at'>): ServiceEvent {
    const entry: ServiceEvent = { at: this.now(), ...e };
    s.history.push(entry);
    if (s.history.length > MAX_HISTORY) s.history.splice(0, s.history.length - MAX_HISTORY);
    // A healthy minute resets the backoff even while nothing ends.
    for (const inst of s.instances.values()) s.backoff.goodFor(inst.goodSince, entry.at);
    return entry;
  }

  private async persist(s: Service): Promise<void> {
    if (s.removing) return;
    const instances = [...s.instances.values()]
      .filter((i) => i.taskId && i.agentId && i.host !== undefined && !TERMINAL_TASK_STATES.has(i.state as never))
      .map((i) => ({ slot: i.slot, taskId: i.taskId as string, agentId: i.agentId as string, host: i.host as string, ports: i.ports, launchedAt: i.launchedAt ?? this.now() }));
    const stored: StoredService = { spec: s.spec, instances, history: s.history };
    await this.options.store.save(this.options.cluster, stored).catch(() => undefined);
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Stops timers and listening; the tasks stay on the cluster (the framework's failover timeout). */
  close(): void {
    this.closed = true;
    for (const s of this.services.values()) {
      for (const inst of s.instances.values()) {
        clearTimeout(inst.timer);
        inst.cancel?.();
      }
    }
    this.unlisten?.();
    this.listeners.clear();
  }
}
