import type { DockerStatus } from '@shared/docker';

export interface DockerStatusWatcherOptions {
  /** Probe the engine; must not throw. */
  probe: () => Promise<DockerStatus>;
  /** How often a reachable engine is checked. */
  intervalMs?: number;
  /** Retry delays while unreachable, the last one repeating. */
  backoffMs?: readonly number[];
}

type Listener = (status: DockerStatus) => void;

/**
 * Watches the Docker engine while anyone listens: a heartbeat while it answers (which also catches a
 * daemon that hangs rather than goes away), retries with backoff while it does not, and one event per
 * change: gone, back, a different engine, different counts.
 */
export class DockerStatusWatcher {
  private readonly listeners = new Set<Listener>();
  private readonly intervalMs: number;
  private readonly backoffMs: readonly number[];
  private latest: DockerStatus | null = null;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<DockerStatus> | null = null;
  private generation = 0;

  constructor(private readonly options: DockerStatusWatcherOptions) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.backoffMs = options.backoffMs ?? [500, 1000, 2000, 3000];
  }

  /** Probe now (sharing a probe already under way), notify listeners on change, and return the status. */
  check(): Promise<DockerStatus> {
    if (this.inFlight) return this.inFlight;
    const generation = this.generation;
    const probe = this.options.probe().then((status) => {
      // A probe of the endpoint in use before a reset() must not overwrite what the new one finds.
      if (generation === this.generation) this.publish(status);
      return status;
    });
    this.inFlight = probe;
    const clear = () => {
      if (this.inFlight === probe) this.inFlight = null;
    };
    probe.then(clear, clear);
    return probe;
  }

  /** Forget what was seen (the endpoint changed) and check again. */
  reset(): Promise<DockerStatus> {
    this.generation += 1;
    this.inFlight = null;
    this.latest = null;
    this.failures = 0;
    return this.check();
  }

  /** Listen for changes; the current status is delivered first. Watching runs while anyone listens. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    if (this.listeners.size === 1) this.loop();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) clearTimeout(this.timer);
    };
  }

  dispose(): void {
    this.listeners.clear();
    clearTimeout(this.timer);
  }

  private loop(): void {
    clearTimeout(this.timer);
    void this.check().then((status) => {
      if (this.listeners.size === 0) return;
      this.failures = status.reachable ? 0 : this.failures + 1;
      const delay = status.reachable
        ? this.intervalMs
        : (this.backoffMs[Math.min(this.failures - 1, this.backoffMs.length - 1)] ?? this.intervalMs);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.loop(), delay);
    });
  }

  private publish(status: DockerStatus): void {
    const changed = !this.latest || fingerprint(this.latest) !== fingerprint(status);
    this.latest = status;
    if (changed) for (const listener of this.listeners) listener(status);
  }
}

/** Everything but the probe time: two statuses that differ only in when they were taken are the same. */
function fingerprint(status: DockerStatus): string {
  const { checkedAt: _checkedAt, ...rest } = status;
  return JSON.stringify(rest);
}
