import type { Offer, OfferOutcome } from '@shared/dashboard/view';
import { zero } from './resources';

/**
 * The offers of one cluster: which are outstanding (from the snapshot and the `/master/state` polls,
 * docs/mesos/api.md §0.13), what became of each (the history), and what our own scheduler decided about them,
 * which a poll cannot tell (declined, rescinded, accepted for which tasks). Pure, like the model it
 * serves: every call takes `now` and returns the changes it made.
 */

/** What our own scheduler tells about an offer it decided on. */
export interface OfferDecisionReport {
  offerId: string;
  frameworkId: string;
  agentId: string;
  cpus: number;
  mem: number;
  outcome: 'accepted' | 'declined' | 'rescinded';
  taskKeys?: string[];
  note: string;
}

export type OfferChange =
  /** A new outstanding offer, and its `made` entry in the history. */
  | { kind: 'made'; offer: Offer; outcome: OfferOutcome }
  /** An outstanding offer is gone, with what became of it. */
  | { kind: 'removed'; offer: Offer; outcome: OfferOutcome }
  /** An outcome for an offer no poll showed outstanding. */
  | { kind: 'outcome'; outcome: OfferOutcome };

const MAX_DECIDED = 1000;

export class OfferLedger {
  private readonly outstanding = new Map<string, Offer>();
  /** Outcomes our own scheduler reported before the offer vanished from a poll. */
  private readonly knownOutcomes = new Map<string, 'declined' | 'rescinded'>();
  /** Offers our own scheduler already decided about (decide), oldest first. */
  private readonly decided = new Set<string>();
  private history: OfferOutcome[] = [];

  constructor(
    /** The tasks of the offer's framework that appeared on its agent while it was outstanding. */
    private readonly launchedWhileOutstanding: (offer: Offer) => string[],
    private readonly maxHistory = 200,
  ) {}

  get offers(): ReadonlyMap<string, Offer> {
    return this.outstanding;
  }

  outcomes(): OfferOutcome[] {
    return [...this.history];
  }

  /** The outstanding offers are now exactly `current`: new ones are made, vanished ones get an outcome. */
  fold(current: readonly Offer[], now: number): OfferChange[] {
    const changes: OfferChange[] = [];
    const ids = new Set(current.filter((o) => !this.decided.has(o.id)).map((o) => o.id));
    for (const [id, offer] of this.outstanding) {
      if (ids.has(id)) continue;
      this.outstanding.delete(id);
      const outcome = this.outcomeOf(offer, now);
      this.push(outcome);
      changes.push({ kind: 'removed', offer, outcome });
    }
    for (const o of current) {
      if (this.outstanding.has(o.id) || this.decided.has(o.id)) continue;
      const offer = { ...o, firstSeenAt: now };
      this.outstanding.set(o.id, offer);
      const made: OfferOutcome = { ...offer, outcome: 'made', at: now };
      this.push(made);
      changes.push({ kind: 'made', offer, outcome: made });
    }
    return changes;
  }

  /** Our own scheduler knows what the poll cannot: it declined an offer, or the master rescinded it. */
  note(offerId: string, outcome: 'declined' | 'rescinded'): void {
    this.knownOutcomes.set(offerId, outcome);
  }

  /**
   * Our own scheduler decided about an offer, usually before any poll saw it: the outcome goes into the
   * history with what the scheduler knows (the tasks, the refuse filter). An offer a poll shows as
   * outstanding is removed with this outcome; one a late poll still lists afterwards is not taken anew.
   */
  decide(decision: OfferDecisionReport, now: number): OfferChange[] {
    if (this.decided.has(decision.offerId)) return [];
    this.decided.add(decision.offerId);
    if (this.decided.size > MAX_DECIDED) this.decided.delete(this.decided.values().next().value as string);
    this.knownOutcomes.delete(decision.offerId);
    const seen = this.outstanding.get(decision.offerId);
    const outcome: OfferOutcome = {
      id: decision.offerId,
      frameworkId: decision.frameworkId,
      agentId: decision.agentId,
      resources: seen?.resources ?? { ...zero(), cpus: decision.cpus, mem: decision.mem },
      firstSeenAt: seen?.firstSeenAt ?? now,
      outcome: decision.outcome,
      at: now,
      ...(decision.taskKeys?.length ? { taskKeys: decision.taskKeys } : {}),
      note: decision.note,
    };
    this.push(outcome);
    if (!seen) return [{ kind: 'outcome', outcome }];
    this.outstanding.delete(decision.offerId);
    return [{ kind: 'removed', offer: seen, outcome }];
  }

  /** What became of a vanished offer: what our scheduler said, else accepted if a task used it, else gone. */
  private outcomeOf(offer: Offer, now: number): OfferOutcome {
    const known = this.knownOutcomes.get(offer.id);
    this.knownOutcomes.delete(offer.id);
    if (known) return { ...offer, outcome: known, at: now };
    const launched = this.launchedWhileOutstanding(offer);
    return launched.length > 0 ? { ...offer, outcome: 'accepted', at: now, taskKeys: launched } : { ...offer, outcome: 'gone', at: now };
  }

  private push(o: OfferOutcome): void {
    this.history = [...this.history, o].slice(-this.maxHistory);
  }
}
