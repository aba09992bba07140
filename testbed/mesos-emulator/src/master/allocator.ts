// The allocator (src/master/allocator/mesos/hierarchical.cpp, much simplified): every
// allocation_interval, each active agent's unused resources go, as one offer, to the subscribed
// framework with the lowest dominant share that neither suppressed offers nor filtered that
// agent (DECLINE/ACCEPT refuse_seconds, default 5 s; docs/mesos/api.md §3.3). Offers of one framework in one
// run travel in one OFFERS event. `--offer_timeout` rescinds offers held too long.
import { add, isEmpty, offerOrder, subtract } from '../common/resource-math';
import { parsePid } from '../common/net';
import { resourcesV1, scalarSum, type Resource } from '../common/resources';
import type { JsonObject } from '../common/json';
import type { MasterContext } from './context';
import { isTerminal, type AgentRecord, type FrameworkRecord, type OfferRecord } from './model';
import type { SchedulerStreams } from './scheduler-streams';

/** Filters::refuse_seconds default (include/mesos/v1/mesos.proto). */
export const DEFAULT_REFUSE_SECONDS = 5;
/** Larger values are capped to a year (Master::decline). */
const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

export class Allocator {
  constructor(
    private readonly ctx: MasterContext,
    private readonly streams: SchedulerStreams,
  ) {}

  private share(f: FrameworkRecord, totals: Resource[]): number {
    let held: Resource[] = [];
    for (const t of f.tasks.values()) if (!isTerminal(t.state)) held = add(held, t.resources);
    for (const o of f.offers.values()) held = add(held, o.resources);
    return Math.max(
      ...['cpus', 'mem', 'disk'].map((n) => {
        const total = scalarSum(totals, n);
        return total > 0 ? scalarSum(held, n) / total : 0;
      }),
    );
  }

  allocate(): void {
    if (!this.ctx.elected()) return;
    this.expireOffers();
    const now = Date.now();
    const agents = [...this.ctx.state.agents.registered.values()].filter((a) => a.active);
    const totals = agents.flatMap((a) => a.info.resources);
    const candidates = [...this.ctx.state.frameworks.registered.values()].filter((f) => f.active && f.connected && !f.suppressed);
    if (candidates.length === 0) return;
    const made = new Map<string, OfferRecord[]>();
    for (const agent of agents) {
      const available = subtract(subtract(agent.info.resources, this.ctx.state.usedOn(agent.info.id)), this.ctx.state.offeredOn(agent.info.id));
      if (isEmpty(available)) continue;
      const eligible = candidates.filter((f) => (f.filters.get(agent.info.id) ?? 0) <= now);
      if (eligible.length === 0) continue;
      eligible.sort((a, b) => this.share(a, totals) - this.share(b, totals) || (a.registeredTime < b.registeredTime ? -1 : 1));
      const framework = eligible[0]!;
      const offer = this.makeOffer(framework, agent, offerOrder(available));
      made.set(framework.id, [...(made.get(framework.id) ?? []), offer]);
    }
    for (const [frameworkId, offers] of made) {
      this.ctx.logger.info('master.cpp:10170', `Sending ${offers.length} offers to framework ${frameworkId}`);
      this.streams.send(frameworkId, { type: 'OFFERS', offers: { offers: offers.map((o) => offerV1(o)) } });
    }
  }

  private makeOffer(f: FrameworkRecord, agent: AgentRecord, resources: Resource[]): OfferRecord {
    const offer: OfferRecord = {
      id: this.ctx.state.newOfferId(),
      frameworkId: f.id,
      agentId: agent.info.id,
      hostname: agent.info.hostname,
      agentPid: agent.pid,
      resources,
      role: f.roles[0] ?? '*',
      createdMs: Date.now(),
    };
    this.ctx.state.offers.set(offer.id, offer);
    f.offers.set(offer.id, offer);
    return offer;
  }

  /** Takes an offer out of circulation (used, declined or rescinded); its resources return to the pool. */
  remove(offerId: string): OfferRecord | undefined {
    const offer = this.ctx.state.offers.get(offerId);
    if (!offer) return undefined;
    this.ctx.state.offers.delete(offerId);
    this.ctx.state.frameworks.registered.get(offer.frameworkId)?.offers.delete(offerId);
    return offer;
  }

  /** Filters the agent for the framework (decline, or what an ACCEPT left unused). */
  filter(f: FrameworkRecord, agentId: string, refuseSeconds: unknown): void {
    let secs = typeof refuseSeconds === 'number' && Number.isFinite(refuseSeconds) ? refuseSeconds : DEFAULT_REFUSE_SECONDS;
    if (secs < 0) secs = DEFAULT_REFUSE_SECONDS;
    secs = Math.min(secs, MAX_REFUSE_SECONDS);
    if (secs > 0) f.filters.set(agentId, Date.now() + secs * 1000);
  }

  /** RESCIND every offer on the agent (it disconnected, became unreachable or left). */
  rescindOn(agentId: string): void {
    for (const o of [...this.ctx.state.offers.values()]) if (o.agentId === agentId) this.rescind(o);
  }

  /** Drops a framework's offers without telling it (it is gone). */
  dropOffersOf(f: FrameworkRecord): void {
    for (const id of [...f.offers.keys()]) this.remove(id);
  }

  /** Rescinds a framework's offers (it suppressed, or its stream broke). */
  rescindOffersOf(f: FrameworkRecord): void {
    for (const o of [...f.offers.values()]) this.rescind(o);
  }

  private rescind(o: OfferRecord): void {
    this.remove(o.id);
    this.ctx.logger.info('master.cpp:11702', `Removing offer ${o.id}`);
    this.streams.send(o.frameworkId, { type: 'RESCIND', rescind: { offer_id: { value: o.id } } });
  }

  private expireOffers(): void {
    const timeout = this.ctx.flags.duration('offer_timeout');
    if (!timeout) return;
    const cutoff = Date.now() - timeout.ms;
    for (const o of [...this.ctx.state.offers.values()]) if (o.createdMs <= cutoff) this.rescind(o);
  }
}

/** v1 Offer (transcripts/basic/sched.events.jsonl). */
export function offerV1(o: OfferRecord): JsonObject {
  const pid = parsePid(o.agentPid);
  return {
    id: { value: o.id },
    framework_id: { value: o.frameworkId },
    agent_id: { value: o.agentId },
    hostname: o.hostname,
    url: pid ? { scheme: 'http', address: { hostname: o.hostname, ip: pid.ip, port: pid.port }, path: `/${pid.id}` } : undefined,
    resources: resourcesV1(o.resources, { withRole: true, allocationRole: o.role }),
    allocation_info: { role: o.role },
  };
}
