import type { MasterClientOptions } from '../mesos/master-client';
import { ClusterMonitor, type ClusterMonitorOptions } from './cluster-monitor';

interface Entry {
  monitor: ClusterMonitor;
  users: number;
  idle?: ReturnType<typeof setTimeout>;
  /** What runs beside the monitor (see alongside()): stopped with it. */
  companions: Array<() => Promise<void> | void>;
}

/** Started with a cluster's monitor; the returned function stops it when the monitor stops. */
export type Companion = (cluster: string, monitor: ClusterMonitor) => () => Promise<void> | void;

/**
 * One ClusterMonitor per cluster, shared by every view that shows it: started for the first
 * subscriber, stopped a while after the last one leaves (switching views must not reconnect).
 */
export class MonitorRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly companionStarters: Companion[] = [];

  constructor(
    /** Where the cluster's masters are; throws for an unknown cluster. */
    private readonly locate: (cluster: string) => Promise<MasterClientOptions>,
    private readonly idleMs = 30_000,
    private readonly create: (options: ClusterMonitorOptions) => ClusterMonitor = (options) => new ClusterMonitor(options),
  ) {}

  async acquire(cluster: string): Promise<{ monitor: ClusterMonitor; release: () => void }> {
    let entry = this.entries.get(cluster);
    if (!entry) {
      const client = await this.locate(cluster);
      entry = this.entries.get(cluster);
      if (!entry) {
        const created: Entry = { monitor: this.create({ clusterId: cluster, client }), users: 0, companions: [] };
        this.entries.set(cluster, created);
        created.monitor.start();
        created.companions = this.companionStarters.map((start) => start(cluster, created.monitor));
        entry = created;
      }
    }
    const held = entry;
    clearTimeout(held.idle);
    held.users += 1;
    let released = false;
    return {
      monitor: held.monitor,
      release: () => {
        if (released) return;
        released = true;
        held.users -= 1;
        if (held.users > 0) return;
        held.idle = setTimeout(() => void this.retire(cluster, held), this.idleMs);
      },
    };
  }

  /**
   * Runs something beside every monitor, for as long as it runs (the doctor's evidence buffer):
   * started for each monitor started from now on, stopped when that monitor stops.
   */
  alongside(companion: Companion): void {
    this.companionStarters.push(companion);
  }

  /** The cluster's monitor if one runs (someone watches it), without starting one. */
  peek(cluster: string): ClusterMonitor | undefined {
    return this.entries.get(cluster)?.monitor;
  }

  /** The cluster is gone (destroyed): stop following it now. */
  async forget(cluster: string): Promise<void> {
    const entry = this.entries.get(cluster);
    if (entry) await this.retire(cluster, entry);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.entries].map(([cluster, entry]) => this.retire(cluster, entry)));
  }

  private async retire(cluster: string, entry: Entry): Promise<void> {
    clearTimeout(entry.idle);
    if (this.entries.get(cluster) === entry) this.entries.delete(cluster);
    await Promise.all([entry.monitor.stop(), ...entry.companions.map(async (stop) => stop())]);
  }
}
