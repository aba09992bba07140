import { CompanionRegistry } from '../dashboard/companion-registry';
import { ClusterEvidence, type ClusterEvidenceDeps, type ClusterEvidenceOptions } from './cluster-evidence';

/** One ClusterEvidence per cluster whose dashboard monitor runs. */
export class EvidenceRegistry extends CompanionRegistry<ClusterEvidence> {
  constructor(deps: ClusterEvidenceDeps, options: ClusterEvidenceOptions = {}) {
    super((cluster) => new ClusterEvidence(cluster, deps, options));
  }
}
