import type { OfferDecision } from '@shared/runs/schemas';
import { ClusterFrameworks } from './cluster-frameworks';
import type { FrameworkStore } from './framework-store';
import type { ServiceStore } from './service-store';
import type { OfferSummary } from './offer-matcher';
import type { SchedulerAccess } from './builtin-framework';

export interface FrameworkRegistryOptions {
  store: FrameworkStore;
  serviceStore: ServiceStore;
  verdict?: (cluster: string, taskKey: string) => Promise<{ title: string; summary?: string } | undefined>;
  /** The masters' base URLs of a cluster; throws for an unknown one. */
  masters: (cluster: string) => Promise<string[]>;
  /** An attached cluster's credentials for the scheduler API; undefined for a launched one. */
  schedulerAccess?: (cluster: string) => Promise<SchedulerAccess | undefined>;
  onOffer?: (cluster: string, decision: OfferDecision, offer: OfferSummary) => void;
  backoffMs?: readonly number[];
}

/** One ClusterFrameworks per cluster, for the app's lifetime (or until the cluster is destroyed). */
export class FrameworkRegistry {
  private readonly clusters = new Map<string, ClusterFrameworks>();

  constructor(private readonly options: FrameworkRegistryOptions) {}

  get(cluster: string): ClusterFrameworks {
    let c = this.clusters.get(cluster);
    if (!c) {
      c = new ClusterFrameworks({
        cluster,
        masters: () => this.options.masters(cluster),
        schedulerAccess: this.options.schedulerAccess ? () => this.options.schedulerAccess!(cluster) : undefined,
        store: this.options.store,
        serviceStore: this.options.serviceStore,
        verdict: this.options.verdict ? (taskKey) => this.options.verdict?.(cluster, taskKey) ?? Promise.resolve(undefined) : undefined,
        backoffMs: this.options.backoffMs,
        onOffer: (decision, offer) => this.options.onOffer?.(cluster, decision, offer),
      });
      this.clusters.set(cluster, c);
    }
    return c;
  }

  /** The cluster was destroyed: its frameworks went with it. */
  async forget(cluster: string): Promise<void> {
    this.clusters.get(cluster)?.close();
    this.clusters.delete(cluster);
    await this.options.store.forgetCluster(cluster);
    await this.options.serviceStore.forgetCluster(cluster);
  }

  dispose(): void {
    for (const c of this.clusters.values()) c.close();
    this.clusters.clear();
  }
}
