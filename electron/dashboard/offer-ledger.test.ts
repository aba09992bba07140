import { describe, expect, it } from 'vitest';
import type { Offer } from '@shared/dashboard/view';
import { OfferLedger } from './offer-ledger';
import { zero } from './resources';

const offer = (id: string, agentId = 'S0'): Offer => ({ id, frameworkId: 'F1', agentId, resources: { ...zero(), cpus: 1, mem: 64 }, firstSeenAt: 0 });

describe('OfferLedger', () => {
  it('makes new offers outstanding and gives vanished ones an outcome: accepted when a task used it, else gone', () => {
    const used = new Set(['O1']);
    const ledger = new OfferLedger((o) => (used.has(o.id) ? ['F1/t1'] : []));
    expect(ledger.fold([offer('O1'), offer('O2')], 10).map((c) => c.kind)).toEqual(['made', 'made']);
    expect([...ledger.offers.keys()]).toEqual(['O1', 'O2']);
    const gone = ledger.fold([], 20);
    expect(gone.map((c) => (c.kind === 'removed' ? [c.offer.id, c.outcome.outcome, c.outcome.taskKeys] : c.kind))).toEqual([
      ['O1', 'accepted', ['F1/t1']],
      ['O2', 'gone', undefined],
    ]);
    expect(ledger.offers.size).toBe(0);
    expect(ledger.outcomes().map((o) => `${o.id}:${o.outcome}@${o.at}`)).toEqual(['O1:made@10', 'O2:made@10', 'O1:accepted@20', 'O2:gone@20']);
  });

  it("takes the scheduler's word over the guess, and a decided offer is never taken anew from a late poll", () => {
    const ledger = new OfferLedger(() => ['F1/t9']);
    ledger.fold([offer('O1'), offer('O2')], 10);
    ledger.note('O1', 'declined');
    const removed = ledger.fold([offer('O2')], 20);
    expect(removed).toHaveLength(1);
    expect(removed[0]?.kind === 'removed' && removed[0].outcome.outcome).toBe('declined');

    const decided = ledger.decide({ offerId: 'O3', frameworkId: 'F1', agentId: 'S1', cpus: 2, mem: 128, outcome: 'accepted', taskKeys: ['F1/t3'], note: 'launched t3' }, 30);
    expect(decided).toEqual([{ kind: 'outcome', outcome: expect.objectContaining({ id: 'O3', outcome: 'accepted', taskKeys: ['F1/t3'], note: 'launched t3', firstSeenAt: 30 }) }]);
    expect(ledger.decide({ offerId: 'O3', frameworkId: 'F1', agentId: 'S1', cpus: 2, mem: 128, outcome: 'accepted', note: 'again' }, 31)).toEqual([]);
    expect(ledger.fold([offer('O2'), offer('O3', 'S1')], 40)).toEqual([]);
    expect([...ledger.offers.keys()]).toEqual(['O2']);

    const outstanding = ledger.decide({ offerId: 'O2', frameworkId: 'F1', agentId: 'S0', cpus: 1, mem: 64, outcome: 'declined', note: 'refuse 5 s' }, 50);
    expect(outstanding.map((c) => c.kind)).toEqual(['removed']);
    expect(ledger.offers.size).toBe(0);
  });

  it('keeps the newest outcomes only', () => {
    const ledger = new OfferLedger(() => [], 3);
    ledger.fold([offer('A'), offer('B')], 1);
    ledger.fold([], 2);
    expect(ledger.outcomes().map((o) => `${o.id}:${o.outcome}`)).toEqual(['B:made', 'A:gone', 'B:gone']);
  });
});
