import { ApiError } from '@shared/errors';
import { type FrameworkVariant, type Launched, type OfferDecision, type ReceivedUpdate, type RunRequest, type RunsView, variantKey } from '@shared/runs/schemas';
import { BuiltInFramework, type SchedulerAccess } from './builtin-framework';
import type { FrameworkStore } from './framework-store';
import { ServiceManager, type ServiceManagerOptions } from './service-manager';
import type { ServiceStore } from './service-store';
import type { OfferSummary } from './offer-matcher';

/**
 * The built-in framework of one cluster: one BuiltInFramework per variant, created (and subscribed) on
 * first use or resumed from the ids stored by an earlier run of the app; the view the UI shows.
 */

const MAX_OFFERS = 100;
const MAX_UPDATES = 200;

export interface ClusterFrameworksOptions {
  cluster: string;
  masters: () => Promise<string[]>;
  /** An attached cluster's credentials for the scheduler API (none for a launched one). */
  schedulerAccess?: () => Promise<SchedulerAccess | undefined>;
  store: FrameworkStore;
  /** Where the services' definitions are kept (services.json beside frameworks.json). */
  serviceStore: ServiceStore;
  /** The doctor's verdict on a task that ended, for the services' history. */
  verdict?: ServiceManagerOptions['verdict'];
  /** What the framework did with an offer, for the dashboard's offer history. */
  onOffer?: (decision: OfferDecision, offer: OfferSummary) => void;
  backoffMs?: readonly number[];
}

/** Services run on the default variant: checkpoint on (they outlive an agent restart), classic TASK_LOST. */
export const SERVICE_VARIANT: FrameworkVariant = { checkpoint: true, partitionAware: false };

const VARIANT_OF_KEY: Record<string, FrameworkVariant> = {
  ckpt: { checkpoint: true, partitionAware: false },
  'ckpt+pa': { checkpoint: true, partitionAware: true },
  nockpt: { checkpoint: false, partitionAware: false },
  'nockpt+pa': { checkpoint: false, partitionAware: true },
};

export class ClusterFrameworks {
  private readonly frameworks = new Map<string, BuiltInFramework>();
  private offers: OfferDecision[] = [];
  private updates: ReceivedUpdate[] = [];
  private readonly listeners = new Set<() => void>();
  private resumed: Promise<void> | null = null;
  /** The services, kept running on the default variant's framework. */
  readonly services: ServiceManager;

  constructor(private readonly options: ClusterFrameworksOptions) {
    this.services = new ServiceManager({
      cluster: options.cluster,
      store: options.serviceStore,
      framework: () => this.ready(SERVICE_VARIANT),
      verdict: options.verdict,
    });
  }

  get cluster(): string {
    return this.options.cluster;
  }

  view(): RunsView {
    const frameworks = [...this.frameworks.values()];
    return {
      cluster: this.cluster,
      frameworks: frameworks.map((f) => f.status),
      offers: [...this.offers],
      updates: [...this.updates],
      pending: frameworks.flatMap((f) => f.pending().map((p) => ({ ...p, frameworkKey: f.key }))),
    };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resubscribes the frameworks an earlier run of the app left (their ids are stored); once. */
  resume(): Promise<void> {
    this.resumed ??= (async () => {
      const ids = await this.options.store.ids(this.cluster);
      await Promise.all(
        Object.keys(ids)
          .filter((key) => VARIANT_OF_KEY[key])
          .map((key) => this.framework(VARIANT_OF_KEY[key] as FrameworkVariant, ids[key]).start().catch(() => undefined)),
      );
      // Services stored by an earlier run resume on their framework (not awaited: it waits for this).
      void this.services.resume().catch(() => undefined);
    })();
    return this.resumed;
  }

  /** The framework of this variant, created on first use (not yet subscribed). */
  framework(variant: FrameworkVariant, storedId?: string): BuiltInFramework {
    const key = variantKey(variant);
    let f = this.frameworks.get(key);
    if (f) return f;
    f = new BuiltInFramework({
      cluster: this.cluster,
      variant,
      masters: this.options.masters,
      schedulerAccess: this.options.schedulerAccess,
      storedId,
      backoffMs: this.options.backoffMs,
      onSubscribed: (id) => void this.options.store.save(this.cluster, key, id).catch(() => undefined),
      onRemoved: () => void this.options.store.forgetId(this.cluster, key).catch(() => undefined),
    });
    f.listen({
      status: () => this.changed(),
      pending: () => this.changed(),
      offer: (decision, offer) => {
        this.offers = [...this.offers, decision].slice(-MAX_OFFERS);
        this.options.onOffer?.(decision, offer);
        this.changed();
      },
      update: (update) => {
        this.updates = [...this.updates, update].slice(-MAX_UPDATES);
        this.changed();
      },
    });
    this.frameworks.set(key, f);
    this.changed();
    return f;
  }

  /** The variant's framework, resumed with its stored id if an earlier run of the app left one. */
  async ready(variant: FrameworkVariant): Promise<BuiltInFramework> {
    await this.resume();
    const f = this.framework(variant);
    await f.start();
    return f;
  }

  async launch(req: RunRequest): Promise<Launched> {
    const f = await this.ready(req.framework);
    return f.launch(req);
  }

  async kill(frameworkId: string, taskId: string): Promise<void> {
    await this.resume();
    const f = [...this.frameworks.values()].find((x) => x.id === frameworkId);
    if (!f) throw new ApiError('not-found', `Framework ${frameworkId} is not Mesoscope's built-in framework on ${this.cluster}: only its own tasks can be killed from here.`);
    await f.kill(taskId);
  }

  async killAll(): Promise<number> {
    await this.resume();
    let n = 0;
    for (const f of this.frameworks.values()) if (f.status.state === 'subscribed') n += await f.killAll();
    return n;
  }

  /** Drops the streams; the frameworks and their tasks stay on the master (failover timeout). */
  close(): void {
    this.services.close();
    for (const f of this.frameworks.values()) f.close();
    this.listeners.clear();
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}
