import type { Delta, DeltaBatch } from '@shared/dashboard/deltas';
import type { ClusterView } from '@shared/dashboard/view';
import type { OperatorEvent } from '@shared/dashboard/operator';
import { MasterClient, type MasterClientOptions, type StreamItem } from '../mesos/master-client';
import { ClusterModel, coalesce, type ClusterModelOptions } from './cluster-model';
import type { OfferDecisionReport } from './offer-ledger';
import { RateMeter } from './rate-meter';

/**
 * The live view of one cluster (ARCHITECTURE.md §2): follows the operator stream through MasterClient,
 * folds it into a ClusterModel, polls `/master/state` for offers only while someone watches them (they
 * are never in the stream, docs/mesos/api.md §0.13), samples metrics, and hands listeners the deltas in batches.
 * A broken stream marks the view `reconnecting` (then `stale`); the SUBSCRIBED of the reconnected stream
 * replaces the view (a `snapshot` delta).
 */

export interface ClusterMonitorOptions {
  clusterId: string;
  /** A client, or what to build one from. */
  client: MasterClient | MasterClientOptions;
  /**
   * While busy, deltas are gathered and sent at most this often (default 16 ms: a frame; each subscriber
   * paces its own, SubscriberFeed). While quiet, a delta goes on the next turn of the event loop: at 10
   * updates a second a fixed wait was a frame added to every update's way to the screen (bench:events).
   */
  batchMs?: number;
  /** Busy: more deltas than this in about the last second (default 100). */
  busyPerSecond?: number;
  offerPollMs?: number;
  metricsPollMs?: number;
  /** Disconnected this long: `reconnecting` becomes `stale` (default 10 s). */
  staleAfterMs?: number;
  model?: ClusterModelOptions;
  now?: () => number;
}

export type DeltaListener = (batch: DeltaBatch) => void;
/** An operator event as it came off the stream (before folding), and when. */
export type OperatorEventListener = (event: OperatorEvent, at: number) => void;

const MAX_PROBLEMS = 50;

export class ClusterMonitor {
  readonly clusterId: string;
  /** Recent problems (malformed records, failed polls), newest last. */
  readonly problems: string[] = [];
  private readonly client: MasterClient;
  private readonly model: ClusterModel;
  private readonly now: () => number;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<DeltaListener>();
  private readonly eventListeners = new Set<OperatorEventListener>();
  private pending: Delta[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private offerTimer: ReturnType<typeof setTimeout> | undefined;
  private metricsTimer: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private readonly rate: RateMeter;
  private offerWatchers = 0;
  private disconnectedSince: number | undefined;
  private running: Promise<void> | null = null;

  constructor(private readonly options: ClusterMonitorOptions) {
    this.clusterId = options.clusterId;
    this.client = options.client instanceof MasterClient ? options.client : new MasterClient(options.client);
    this.now = options.now ?? Date.now;
    this.rate = new RateMeter(this.now);
    this.model = new ClusterModel(options.model, this.now());
  }

  start(): void {
    if (this.running) return;
    this.running = this.follow();
    this.scheduleMetrics(0);
  }

  /** Ends the stream and the polls; listeners get a last `connection: stopped`. */
  async stop(): Promise<void> {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    clearTimeout(this.offerTimer);
    clearTimeout(this.metricsTimer);
    await this.running;
    this.emit(this.model.setConnection({ state: 'stopped' }, this.now()));
    this.flush();
  }

  /** Listens to delta batches; call `snapshot()` first for the state they apply to. */
  onDeltas(listener: DeltaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The view and then every batch after it, with nothing between them lost or doubled: deltas still
   * pending go to the other listeners first, so the view is exactly what the next batch builds on.
   * (snapshot() + onDeltas() can count a pending metrics sample or offer outcome twice.)
   */
  attach(listener: DeltaListener): { view: ClusterView; detach: () => void } {
    this.flush();
    const view = this.model.view();
    this.listeners.add(listener);
    return { view, detach: () => this.listeners.delete(listener) };
  }

  /** Listens to the raw operator events (the flight recorder keeps them for inspection). */
  onOperatorEvent(listener: OperatorEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The whole view now, as sent on (re)subscribe. Deltas still pending are included in it. */
  snapshot(): ClusterView {
    return this.model.view();
  }

  /** Polls offers while at least one caller watches; returns the release (idempotent). */
  watchOffers(): () => void {
    this.offerWatchers += 1;
    if (this.offerWatchers === 1) this.scheduleOffers(0);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.offerWatchers -= 1;
      if (this.offerWatchers === 0) clearTimeout(this.offerTimer);
    };
  }

  /** What our own scheduler knows about an offer the polls can only see vanish. */
  noteOfferOutcome(offerId: string, outcome: 'declined' | 'rescinded'): void {
    this.model.noteOfferOutcome(offerId, outcome);
  }

  /** Our own scheduler decided about an offer (accepted for which tasks, declined with which filter, rescinded). */
  reportOfferDecision(decision: OfferDecisionReport): void {
    this.emit(this.model.reportOfferDecision(decision, this.now()));
  }

  // ---- the stream ----

  private async follow(): Promise<void> {
    try {
      for await (const item of this.client.subscribe(this.controller.signal)) this.handle(item);
    } catch (err) {
      // subscribe() reports everything as items; this is a bug, not a cluster problem.
      this.problem(`operator stream stopped: ${(err as Error).message}`);
    }
  }

  private handle(item: StreamItem): void {
    const now = this.now();
    switch (item.kind) {
      case 'subscribed':
        this.disconnectedSince = undefined;
        // The snapshot supersedes what precedes it in a batch: masters and connection come after it.
        this.emit(this.model.reset(item.state, now));
        this.emit(this.model.setMasters(item.leader.masters));
        this.emit(this.model.setConnection({ state: 'live', lastEventAt: now, leader: item.leader.url }, now));
        return;
      case 'event':
        for (const listener of [...this.eventListeners]) {
          try {
            listener(item.event, now);
          } catch (err) {
            this.problem(`operator event listener: ${(err as Error).message}`);
          }
        }
        this.emit(this.model.apply(item.event, now));
        this.emit(this.model.setConnection({ lastEventAt: now }, now));
        return;
      case 'heartbeat':
        this.emit(this.model.setConnection({ lastEventAt: now }, now));
        return;
      case 'problem':
        this.problem(item.error);
        return;
      case 'disconnected': {
        this.disconnectedSince ??= now;
        const stale = now - this.disconnectedSince >= (this.options.staleAfterMs ?? 10_000);
        this.emit(this.model.setConnection({ state: stale ? 'stale' : 'reconnecting', error: item.reason }, now));
        return;
      }
    }
  }

  // ---- polls ----

  private scheduleOffers(delay: number): void {
    clearTimeout(this.offerTimer);
    this.offerTimer = setTimeout(() => void this.pollOffers(), delay);
  }

  private async pollOffers(): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted || this.offerWatchers === 0) return;
    if (this.model.connectionState === 'live') {
      try {
        const state = await this.client.masterState(signal);
        if (!signal.aborted) this.emit(this.model.applyMasterState(state, this.now()));
      } catch (err) {
        if (!signal.aborted) this.problem(`offer poll: ${(err as Error).message}`);
      }
    }
    if (!signal.aborted && this.offerWatchers > 0) this.scheduleOffers(this.options.offerPollMs ?? 1000);
  }

  private scheduleMetrics(delay: number): void {
    this.metricsTimer = setTimeout(() => void this.sampleMetrics(), delay);
  }

  private async sampleMetrics(): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return;
    if (this.model.connectionState === 'live') {
      try {
        const values = await this.client.metrics(signal);
        if (!signal.aborted) this.emit(this.model.addMetrics(values, this.now()));
      } catch (err) {
        if (!signal.aborted) this.problem(`metrics: ${(err as Error).message}`);
      }
    }
    // Until the stream is live there is nothing to sample yet: look again soon, so the charts fill
    // as soon as a view opens rather than one whole interval later.
    const live = this.model.connectionState === 'live';
    if (!signal.aborted) this.scheduleMetrics(live ? (this.options.metricsPollMs ?? 5000) : 500);
  }

  // ---- batching ----

  private emit(deltas: Delta[]): void {
    if (deltas.length === 0) return;
    this.pending.push(...deltas);
    const busy = this.rate.add(deltas.length) > (this.options.busyPerSecond ?? 100);
    this.flushTimer ??= setTimeout(() => this.flush(), busy ? (this.options.batchMs ?? 16) : 0);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const batch: DeltaBatch = { clusterId: this.clusterId, seq: ++this.seq, deltas: coalesce(this.pending) };
    this.pending = [];
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (err) {
        this.problem(`delta listener: ${(err as Error).message}`);
      }
    }
  }

  private problem(message: string): void {
    this.problems.push(message);
    if (this.problems.length > MAX_PROBLEMS) this.problems.shift();
  }
}
