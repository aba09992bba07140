import type { Companion } from './monitor-registry';

/** What runs beside a cluster's dashboard monitor. */
export interface MonitorCompanion {
  start(): void;
  stop(): Promise<void>;
}

/**
 * One companion per cluster whose dashboard monitor runs: made and started with it, stopped with it
 * (pass `companion` to MonitorRegistry.alongside); `get` hands out the running one.
 */
export class CompanionRegistry<T extends MonitorCompanion> {
  private readonly running = new Map<string, T>();

  constructor(private readonly make: (cluster: string) => T) {}

  readonly companion: Companion = (cluster) => {
    const made = this.make(cluster);
    this.running.set(cluster, made);
    made.start();
    return async () => {
      if (this.running.get(cluster) === made) this.running.delete(cluster);
      await made.stop();
    };
  };

  /** The cluster's companion, while its monitor runs. */
  get(cluster: string): T | undefined {
    return this.running.get(cluster);
  }
}
