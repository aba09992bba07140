import type { Delta } from './deltas';
import type { ClusterView } from './view';

/** Bounds of the view's histories; the main process keeps the same. */
export const MAX_OFFER_HISTORY = 200;
export const MAX_METRIC_SAMPLES = 120;

/**
 * Folds deltas into a view, as the renderer keeps it: upserts replace the entity, removals drop it,
 * histories stay bounded, a snapshot replaces everything. Returns a new view (the old one is unchanged)
 * so that React sees what changed; null until the first snapshot.
 */
export function applyDeltas(view: ClusterView | null, deltas: readonly Delta[]): ClusterView | null {
  let next = view;
  for (const delta of deltas) {
    if (delta.kind === 'snapshot') {
      next = delta.view;
      continue;
    }
    if (!next) continue;
    next = applyOne(next, delta);
  }
  return next;
}

function applyOne(view: ClusterView, delta: Exclude<Delta, { kind: 'snapshot' }>): ClusterView {
  switch (delta.kind) {
    case 'agent':
      return { ...view, agents: { ...view.agents, [delta.agent.id]: delta.agent } };
    case 'agentRemoved':
      return { ...view, agents: without(view.agents, delta.id) };
    case 'framework':
      return { ...view, frameworks: { ...view.frameworks, [delta.framework.id]: delta.framework } };
    case 'task':
      return { ...view, tasks: { ...view.tasks, [delta.task.key]: delta.task } };
    case 'taskRemoved':
      return { ...view, tasks: without(view.tasks, delta.key) };
    case 'offer':
      return { ...view, offers: { ...view.offers, [delta.offer.id]: delta.offer } };
    case 'offerRemoved':
      return { ...view, offers: without(view.offers, delta.id), offerHistory: bounded(view.offerHistory, delta.outcome, MAX_OFFER_HISTORY) };
    case 'offerOutcome':
      return { ...view, offerHistory: bounded(view.offerHistory, delta.outcome, MAX_OFFER_HISTORY) };
    case 'masters':
      return { ...view, masters: delta.masters };
    case 'connection':
      return { ...view, connection: delta.connection };
    case 'metrics':
      return { ...view, metrics: bounded(view.metrics, delta.sample, MAX_METRIC_SAMPLES) };
  }
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function bounded<T>(list: readonly T[], item: T, max: number): T[] {
  return [...list, item].slice(-max);
}
