import type { ClusterView } from '../dashboard/view';
import type { RunsView } from '../runs/schemas';
import { explainFunnel, type Funnel } from './funnel';

type PendingRun = RunsView['pending'][number];

/**
 * The funnel of a run of the built-in framework waiting for offers, from the two live views the UI and
 * the CLI hold: the dashboard's (agents, outstanding offers, tasks, frameworks) and the framework's own.
 */
export function runFunnel(view: ClusterView | null, runs: RunsView, pending: PendingRun, now: number): Funnel {
  const variant = runs.frameworks.find((f) => f.key === pending.frameworkKey);
  return explainFunnel({
    needs: { cpus: pending.cpus, mem: pending.mem, agentId: pending.agentId, role: '*' },
    framework: {
      // Every variant is Mesoscope's own: an offer held by another variant is not "another framework".
      ids: runs.frameworks.flatMap((f) => (f.id ? [f.id] : [])),
      roles: ['*'],
      state: variant?.state ?? 'subscribing',
      error: variant?.error,
      suppressed: variant?.suppressed,
    },
    agents: Object.values(view?.agents ?? {}),
    offers: Object.values(view?.offers ?? {}),
    tasks: Object.values(view?.tasks ?? {}),
    frameworks: view?.frameworks ?? {},
    decisions: runs.offers.filter((d) => !variant?.id || d.frameworkId === variant.id),
    since: pending.since,
    now,
  });
}

/** The funnel as lines of text (the CLI's `run --explain`). */
export function funnelText(funnel: Funnel): string[] {
  const lines = [funnel.headline];
  for (const a of funnel.agents) {
    lines.push(`  ${a.name}: ${a.text}`);
    for (const o of a.offers) lines.push(`    offer ${o.offerId} (${o.outcome}): ${o.text}`);
  }
  if (funnel.reasons.length > 0) {
    lines.push('  Why no offer holds it:');
    for (const r of funnel.reasons) lines.push(`    - ${r}`);
  }
  return lines;
}
