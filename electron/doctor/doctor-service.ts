import { agentsOf, validateSpec } from '@shared/cluster/spec';
import { unsafeAgentFlagIssues } from '@shared/cluster/unsafe-flags';
import type { DockerEndpointStatus } from '@shared/attach/connection';
import type { ClusterSummary } from '@shared/cluster/status';
import type { ApplyFixResult, FixAction } from '@shared/contract/doctor';
import type { ClusterView } from '@shared/dashboard/view';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import { type DoctorContext, diagnoseTask, diagnoseView } from '@shared/doctor/input';
import { agentSpecWithChange, applySpecChange, type SpecChange } from '@shared/doctor/spec-change';
import { type Verdicts, verdictsOf } from '@shared/doctor/verdict';
import { ApiError } from '@shared/errors';
import { describeIssues } from '@shared/validation';
import type { MonitorRegistry } from '../dashboard/monitor-registry';
import type { ClusterEngine } from '../engine/cluster-engine';
import type { EvidenceRegistry } from './evidence-registry';

/**
 * The task doctor on a live cluster: the dashboard's view of it (its monitor), the evidence gathered
 * beside the monitor, and what the engine knows (spec, layout, Mesos version), put through the same
 * pure diagnose() a recording is replayed with. Applies the spec changes the doctor offers.
 */

export interface DoctorServiceDeps {
  monitors: Pick<MonitorRegistry, 'acquire' | 'forget'>;
  /** The evidence gathered beside a cluster's monitor (a launched cluster's, or an attached one's Mesos logs). */
  evidence: {
    get(cluster: string): (Pick<NonNullable<ReturnType<EvidenceRegistry['get']>>, 'summary' | 'dockerEvents' | 'logs'> & { dockerStatus?(): DockerEndpointStatus[] }) | undefined;
  };
  engine: Pick<ClusterEngine, 'get' | 'addAgent' | 'removeAgent' | 'destroy' | 'create'>;
  stagingThresholdMs?: number;
  /** An attached cluster has no spec nor layout: the doctor works from Mesos' own evidence. */
  attached?: (cluster: string) => boolean;
  /** How long a just-started monitor is given to show the cluster (default 5 s). */
  connectMs?: number;
  now?: () => number;
}

export class DoctorService {
  constructor(private readonly deps: DoctorServiceDeps) {}

  async diagnose(cluster: string, taskKey: string): Promise<Diagnosis> {
    const { view, context } = await this.live(cluster);
    const diagnosis = diagnoseTask(view, taskKey, context);
    if (!diagnosis) throw new ApiError('not-found', `Cluster "${cluster}" has no task ${taskKey} (or not any more: the dashboard keeps a bounded history).`);
    const gaps = this.dockerStatus(cluster).filter((s) => s.state === 'unreachable').map((s) => s.message);
    return gaps.length > 0 && diagnosis.kind !== 'none' ? { ...diagnosis, evidenceGaps: gaps } : diagnosis;
  }

  /** An attached cluster's named Docker endpoints and whether they answer (none for launched clusters). */
  dockerStatus(cluster: string): DockerEndpointStatus[] {
    return this.deps.evidence.get(cluster)?.dockerStatus?.() ?? [];
  }

  async verdicts(cluster: string): Promise<Verdicts> {
    const { view, context } = await this.live(cluster);
    return verdictsOf(diagnoseView(view, context));
  }

  async applyFix(cluster: string, change: Pick<SpecChange, 'path' | 'suggested'>, action: FixAction, agentIndex?: number): Promise<ApplyFixResult> {
    const summary = await this.deps.engine.get(cluster);
    const shown = change.suggested === null ? `${change.path} removed` : `${change.path}: ${change.suggested}`;
    if (action === 'replace-agent') {
      if (agentIndex === undefined) throw new ApiError('invalid-input', 'agent: which agent to replace (its node index) is needed.');
      const position = summary.layout.agents.findIndex((a) => a.index === agentIndex);
      if (position < 0) throw new ApiError('not-found', `Cluster "${cluster}" has no agent ${agentIndex} (any more).`);
      const fixed = agentSpecWithChange(agentsOf(summary.spec)[position]!, change);
      if (!fixed) throw new ApiError('refused', `${change.path} is not an agent's setting: re-create the cluster with the change instead.`);
      // The change comes from the caller: it may not set what the cluster's spec may not.
      const unsafe = unsafeAgentFlagIssues(fixed.flags, summary.spec.allowUnsafeFlags, 'change');
      if (unsafe.length > 0) throw new ApiError('invalid-input', `The change is refused: ${describeIssues(unsafe.map((i) => ({ ...i, path: change.path })))}`);
      // Both agents run for a moment: the new one takes a task port range of its own, not the old one's.
      const { ports: _taken, ...resources } = fixed.resources;
      fixed.resources = resources;
      // Added first: a cluster keeps at least one agent, and the new one must come up before the old goes.
      const grown = await this.deps.engine.addAgent(cluster, fixed);
      const added = grown.layout.agents.find((a) => !summary.layout.agents.some((b) => b.index === a.index));
      const after = await this.deps.engine.removeAgent(cluster, agentIndex);
      return {
        action,
        message: `Agent ${agentIndex} was replaced by agent ${added?.index ?? '?'} with ${shown}. Tasks launched from now on can run there.`,
        cluster: after,
      };
    }
    let changed: unknown;
    try {
      changed = applySpecChange(summary.spec, change);
    } catch (err) {
      throw new ApiError('invalid-input', `change.path: ${(err as Error).message}`);
    }
    const validation = validateSpec(changed);
    if (!validation.ok) throw new ApiError('invalid-input', `The changed spec is not valid: ${describeIssues(validation.issues)}`);
    await this.deps.engine.destroy(cluster);
    await this.deps.monitors.forget(cluster);
    const created = await this.deps.engine.create(validation.spec);
    return { action, message: `The cluster was re-created with ${shown}.`, cluster: created };
  }

  /** The cluster's view now (waiting briefly for a monitor that was not running yet) and the doctor's context for it. */
  private async live(cluster: string): Promise<{ view: ClusterView; context: DoctorContext }> {
    const { monitor, release } = await this.deps.monitors.acquire(cluster);
    try {
      const deadline = Date.now() + (this.deps.connectMs ?? 5000);
      while (monitor.snapshot().connection.state === 'connecting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const view = monitor.snapshot();
      const evidence = this.deps.evidence.get(cluster);
      const summary: Partial<Pick<ClusterSummary, 'spec' | 'layout' | 'mesos'>> =
        evidence?.summary ?? (this.deps.attached?.(cluster) ? {} : await this.deps.engine.get(cluster));
      return {
        view,
        context: {
          summary,
          dockerEvents: evidence?.dockerEvents() ?? [],
          logs: evidence?.logs() ?? [],
          now: (this.deps.now ?? Date.now)(),
          stagingThresholdMs: this.deps.stagingThresholdMs,
        },
      };
    } finally {
      release();
    }
  }
}
