import type { Companion } from '../dashboard/monitor-registry';
import { ClusterEvidence, type ClusterEvidenceDeps, type ClusterEvidenceOptions } from './cluster-evidence';

/**
 * One ClusterEvidence per cluster whose dashboard monitor runs: started and stopped with it (pass
 * `companion` to MonitorRegistry.alongside).
 */
export class EvidenceRegistry {
  private readonly running = new Map<string, ClusterEvidence>();

  constructor(
    private readonly deps: ClusterEvidenceDeps,
    private readonly options: ClusterEvidenceOptions = {},
  ) {}

  readonly companion: Companion = (cluster) => {
    const evidence = new ClusterEvidence(cluster, this.deps, this.options);
    this.running.set(cluster, evidence);
    evidence.start();
    return async () => {
      if (this.running.get(cluster) === evidence) this.running.delete(cluster);
      await evidence.stop();
    };
  };

  /** The cluster's evidence, while its monitor runs. */
  get(cluster: string): ClusterEvidence | undefined {
    return this.running.get(cluster);
  }
}
