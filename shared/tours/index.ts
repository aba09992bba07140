import { describeIssues, fieldIssues } from '../validation';
import agentDies from './data/agent-dies.json' with { type: 'json' };
import dockerOnMesos from './data/docker-on-mesos.json' with { type: 'json' };
import leaderFailover from './data/leader-failover.json' with { type: 'json' };
import offersAndFrameworks from './data/offers-and-frameworks.json' with { type: 'json' };
import { type Tour, TourSchema } from './schema';

/** The tour files shipped with the app (shared/tours/data, one file each). */
export const TOUR_FILES: Readonly<Record<string, unknown>> = {
  'agent-dies.json': agentDies,
  'offers-and-frameworks.json': offersAndFrameworks,
  'leader-failover.json': leaderFailover,
  'docker-on-mesos.json': dockerOnMesos,
};

/** A tour file checked against the schema; the error names the file and each offending field. */
export function parseTour(file: string, data: unknown): Tour {
  const parsed = TourSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(fieldIssues(parsed.error))}`);
  return parsed.data;
}

let loaded: Tour[] | undefined;

/** Every shipped tour, validated once. */
export function tours(): Tour[] {
  loaded ??= Object.entries(TOUR_FILES).map(([file, data]) => parseTour(file, data));
  return loaded;
}

export function tourById(id: string): Tour | undefined {
  return tours().find((t) => t.id === id);
}
