import type { Delta } from './deltas';
import { appendStatuses } from './history';
import type { ClusterView, StatusEntry } from './view';

/** Bounds of the view's histories; the main process keeps the same. */
export const MAX_OFFER_HISTORY = 200;
export const MAX_METRIC_SAMPLES = 120;

/**
 * Folds deltas into a view, as the renderer keeps it: upserts replace the entity, removals drop it,
 * histories stay bounded, a snapshot replaces everything. Returns a new view (the old one is unchanged)
 * so that React sees what changed; null until the first snapshot.
 *
 * Each collection a batch touches is copied once per call and then changed in place (not once per
 * delta): a batch of k task updates on a view of n tasks costs O(n + k), not O(n·k). Objects that
 * came in (the view given, a snapshot's view) are never written to.
 */
export function applyDeltas(view: ClusterView | null, deltas: readonly Delta[]): ClusterView | null {
  let next = view;
  /** The fields of `next` this call has already copied (so may change); null: `next` itself is not ours yet. */
  let owned: Set<keyof ClusterView> | null = null;
  const own = <K extends keyof ClusterView>(field: K): ClusterView[K] => {
    if (!owned) {
      next = { ...next! };
      owned = new Set();
    }
    if (!owned.has(field)) {
      const value = next![field];
      (next as ClusterView)[field] = (Array.isArray(value) ? [...value] : { ...value }) as ClusterView[K];
      owned.add(field);
    }
    return next![field];
  };
  const set = <K extends keyof ClusterView>(field: K, value: ClusterView[K]) => {
    if (!owned) {
      next = { ...next! };
      owned = new Set();
    }
    (next as ClusterView)[field] = value;
    owned.add(field);
  };

  for (const delta of deltas) {
    if (delta.kind === 'snapshot') {
      next = delta.view;
      owned = null;
      continue;
    }
    if (!next) continue;
    switch (delta.kind) {
      case 'agent':
        own('agents')[delta.agent.id] = delta.agent;
        break;
      case 'agentRemoved':
        if (delta.id in next.agents) delete own('agents')[delta.id];
        break;
      case 'framework':
        own('frameworks')[delta.framework.id] = delta.framework;
        break;
      case 'task':
        own('tasks')[delta.task.key] = delta.task;
        break;
      case 'taskUpdate': {
        const had = next.tasks[delta.task.key]?.statuses ?? [];
        own('tasks')[delta.task.key] = { ...delta.task, statuses: appendStatuses(had, delta.statuses) as StatusEntry[] };
        break;
      }
      case 'taskRemoved':
        if (delta.key in next.tasks) delete own('tasks')[delta.key];
        break;
      case 'offer':
        own('offers')[delta.offer.id] = delta.offer;
        break;
      case 'offerRemoved':
        if (delta.id in next.offers) delete own('offers')[delta.id];
        bounded(own('offerHistory'), delta.outcome, MAX_OFFER_HISTORY);
        break;
      case 'offerOutcome':
        bounded(own('offerHistory'), delta.outcome, MAX_OFFER_HISTORY);
        break;
      case 'masters':
        set('masters', delta.masters);
        break;
      case 'connection':
        set('connection', delta.connection);
        break;
      case 'metrics':
        bounded(own('metrics'), delta.sample, MAX_METRIC_SAMPLES);
        break;
    }
  }
  return next;
}

/** Appends to a list this call owns, dropping the oldest beyond `max`. */
function bounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}
