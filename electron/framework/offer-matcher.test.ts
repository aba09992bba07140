import { describe, expect, it } from 'vitest';
import type { Offer } from '@shared/mesos/v1';
import { BUSY_REFUSE_SECONDS, IDLE_REFUSE_SECONDS, matchOffers, type OfferSummary, summarizeOffer, type Want } from './offer-matcher';

const offer = (id: string, agentId: string, cpus: number, mem: number, faultAgent?: string, ports: OfferSummary['ports'] = []): OfferSummary => ({ id, agentId, hostname: '127.0.0.1', cpus, mem, ports, faultAgent });
const want = (taskId: string, cpus = 0.1, mem = 32, agentId?: string): Want => ({ runId: 'r', taskId, cpus, mem, agentId });

describe('matching offers to waiting tasks', () => {
  it('fills the first offer first, in the order asked, as far as it holds', () => {
    const decisions = matchOffers([offer('o1', 'a1', 0.25, 100), offer('o2', 'a2', 1, 1000)], [want('t1'), want('t2'), want('t3')]);
    expect(decisions.map((d) => [d.offer.id, d.kind, d.kind === 'launch' ? d.wants.map((w) => w.taskId) : d.why])).toEqual([
      ['o1', 'launch', ['t1', 't2']],
      ['o2', 'launch', ['t3']],
    ]);
  });

  it('adds up tenths without refusing the last one to a rounding error', () => {
    const d = matchOffers([offer('o1', 'a1', 1, 320)], Array.from({ length: 10 }, (_, i) => want(`t${i}`)));
    expect(d[0]?.kind === 'launch' && d[0].wants).toHaveLength(10);
  });

  it('puts a pinned task only on its agent, and says why the other offer is declined, briefly', () => {
    const d = matchOffers([offer('o1', 'a1', 4, 4000), offer('o2', 'a2', 4, 4000)], [want('t1', 0.1, 32, 'a2')]);
    expect(d).toEqual([
      { kind: 'decline', offer: offer('o1', 'a1', 4, 4000), refuseSeconds: BUSY_REFUSE_SECONDS, why: 'the waiting tasks are pinned to another agent' },
      { kind: 'launch', offer: offer('o2', 'a2', 4, 4000), wants: [want('t1', 0.1, 32, 'a2')], ports: new Map() },
    ]);
  });

  it('declines for long with nothing to run, so other frameworks get the resources', () => {
    expect(matchOffers([offer('o1', 'a1', 1, 1000)], [])).toEqual([{ kind: 'decline', offer: offer('o1', 'a1', 1, 1000), refuseSeconds: IDLE_REFUSE_SECONDS, why: 'nothing to run' }]);
  });

  it('names the shortfall when an offer is too small', () => {
    const [d] = matchOffers([offer('o1', 'a1', 0.5, 128)], [want('t1', 2, 64)]);
    expect(d).toMatchObject({ kind: 'decline', refuseSeconds: BUSY_REFUSE_SECONDS, why: 'too small: needs 2 cpus and 64 MB, offers 0.5 cpus and 128 MB' });
  });

  it('keeps agents a fault added for the tasks pinned there', () => {
    const fault = offer('o1', 'af', 1, 512, 'slow-pull');
    expect(matchOffers([fault], [want('t1')])[0]).toMatchObject({ kind: 'decline', why: 'kept for the fault that added this agent (slow-pull)' });
    expect(matchOffers([fault], [want('t1', 0.1, 32, 'af')])[0]).toMatchObject({ kind: 'launch' });
  });
});

describe('an offer, summarized', () => {
  it('sums cpus and mem over its resources and reads the fault attribute', () => {
    const o = {
      id: { value: 'o1' },
      framework_id: { value: 'f' },
      agent_id: { value: 'a1' },
      hostname: 'h',
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 }, role: 'r' },
        { name: 'mem', type: 'SCALAR', scalar: { value: 512 } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }] } },
      ],
      attributes: [{ name: 'mesoscope-fault', type: 'TEXT', text: { value: 'slow-pull' } }],
    } as unknown as Offer;
    expect(summarizeOffer(o)).toEqual({ id: 'o1', agentId: 'a1', hostname: 'h', cpus: 0.75, mem: 512, ports: [{ begin: 1, end: 2 }], faultAgent: 'slow-pull' });
  });
});

describe('ports from the offers\' ranges', () => {
  it('gives each task the lowest free ports of its offer, never the same port twice, and says when too few are left', () => {
    const ranges = [{ begin: 31005, end: 31006 }, { begin: 31000, end: 31000 }];
    const a = { ...want('a'), ports: 2 };
    const b = { ...want('b'), ports: 1 };
    const c = { ...want('c'), ports: 1 };
    const [first, second] = matchOffers([offer('o1', 'a1', 1, 1000, undefined, ranges), offer('o2', 'a2', 1, 1000, undefined, [])], [a, b, c]);
    expect(first?.kind === 'launch' && [first.wants.map((w) => w.taskId), Object.fromEntries(first.ports)]).toEqual([['a', 'b'], { a: [31000, 31005], b: [31006] }]);
    expect(second?.kind === 'decline' && second.why).toBe('too small: needs 0.1 cpus and 32 MB and 1 port, offers 1 cpus and 1000 MB and 0 ports');
  });

  it('gives a relaunch other ports than the ones it is asked to avoid, while others are free', () => {
    const ranges = [{ begin: 31000, end: 31001 }];
    const [d] = matchOffers([offer('o1', 'a1', 1, 1000, undefined, ranges)], [{ ...want('a'), ports: 1, avoidPorts: [31000] }]);
    expect(d?.kind === 'launch' && d.ports.get('a')).toEqual([31001]);
    const [e] = matchOffers([offer('o1', 'a1', 1, 1000, undefined, [{ begin: 31000, end: 31000 }])], [{ ...want('a'), ports: 1, avoidPorts: [31000] }]);
    expect(e?.kind === 'launch' && e.ports.get('a')).toEqual([31000]);
  });

  it('reads the ranges of an offer\'s ports resource', () => {
    const o = summarizeOffer({
      id: { value: 'o' },
      agent_id: { value: 'a' },
      hostname: 'h',
      framework_id: { value: 'f' },
      resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31002 }] } }, { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    } as unknown as Offer);
    expect([o.ports, o.cpus]).toEqual([[{ begin: 31000, end: 31002 }], 1]);
  });
});
