import type { MesoscopeClient } from '@shared/api/client';
import { applyDeltas } from '@shared/dashboard/apply';
import type { ClusterView } from '@shared/dashboard/view';
import { ApiError } from '@shared/errors';
import { emptyRunsView, type RunsView } from '@shared/runs/schemas';

/**
 * A cluster's live Mesos view (dashboard.deltas) and the built-in framework's view (runs.view), as a
 * script watches them: the same subscriptions the UI holds, folded the way the UI folds them, and a
 * way to wait until something holds. Subscribing also starts the doctor's evidence for the cluster
 * (it runs beside the dashboard monitor), and resubscribes the frameworks an earlier process left.
 */
export class LiveView {
  private view: ClusterView | null = null;
  private runs: RunsView;
  private failure: ApiError | null = null;
  private readonly waiters = new Set<() => void>();
  private readonly stops: Array<() => void>;

  constructor(
    private readonly api: MesoscopeClient,
    readonly cluster: string,
  ) {
    this.runs = emptyRunsView(cluster);
    const fail = (error: ApiError) => {
      this.failure = error;
      this.changed();
    };
    this.stops = [
      api.subscribe('dashboard.deltas', { cluster }, (batch) => {
        this.view = applyDeltas(this.view, batch.deltas);
        this.changed();
      }, fail),
      api.subscribe('runs.view', { cluster }, (runs) => {
        this.runs = runs;
        this.changed();
      }, fail),
    ];
  }

  /** The view now; null before the first snapshot. */
  get current(): ClusterView | null {
    return this.view;
  }

  get runsView(): RunsView {
    return this.runs;
  }

  /**
   * Resolves with the first value `probe` returns that is neither undefined nor false, looked at on
   * every change of either view (and every 250 ms, for probes that read the clock); rejects after
   * `timeoutMs` with `what` in the message, or when a subscription fails (the cluster is gone).
   */
  until<T>(what: string, probe: (view: ClusterView | null, runs: RunsView) => T | undefined | false, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        if (this.failure) return finish(() => reject(this.failure));
        let value: T | undefined | false;
        try {
          value = probe(this.view, this.runs);
        } catch (err) {
          return finish(() => reject(err));
        }
        if (value !== undefined && value !== false) finish(() => resolve(value as T));
      };
      const tick = setInterval(check, 250);
      const timer = setTimeout(() => finish(() => reject(new ApiError('failed', `Timed out after ${timeoutMs / 1000} s waiting for ${what}.`, { timeout: true }))), timeoutMs);
      const finish = (settle: () => void) => {
        clearInterval(tick);
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The view once the operator stream is live (a snapshot has come). */
  live(timeoutMs = 30_000): Promise<ClusterView> {
    return this.until(`the Mesos view of ${this.cluster}`, (view) => (view && view.connection.state === 'live' ? view : undefined), timeoutMs);
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.waiters.clear();
  }

  private changed(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** A timeout from LiveView.until (a script may want its own exit code for it). */
export const isTimeout = (err: unknown): boolean => err instanceof ApiError && (err.detail as { timeout?: boolean } | undefined)?.timeout === true;
