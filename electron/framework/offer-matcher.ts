import { FAULT_AGENT_ATTRIBUTE } from '@shared/faults/catalog';
import type { Offer } from '@shared/mesos/v1';

/**
 * Which waiting tasks go on which offer, and what to say when an offer is not needed. Pure: the
 * framework acts on the decisions. First fit, in the order tasks were asked for; a task pinned to an
 * agent only goes there; agents a fault added for itself take only tasks pinned to them.
 */

export interface Want {
  runId: string;
  taskId: string;
  cpus: number;
  mem: number;
  agentId?: string;
  /** How many host ports from the offer's `ports` ranges (a service's ports). */
  ports?: number;
  /** Ports to give only when no other is free (a relaunch gets a new endpoint, so a stale one fails fast). */
  avoidPorts?: readonly number[];
}

export interface PortRange {
  begin: number;
  end: number;
}

export interface OfferSummary {
  id: string;
  agentId: string;
  hostname: string;
  cpus: number;
  mem: number;
  /** The offer's unreserved `ports` ranges. */
  ports: PortRange[];
  /** The agent was added by a fault (attribute mesoscope-fault). */
  faultAgent: string | undefined;
}

export type Decision =
  | { kind: 'launch'; offer: OfferSummary; wants: Want[]; /** taskId → the host ports taken for it */ ports: Map<string, number[]> }
  | { kind: 'decline'; offer: OfferSummary; refuseSeconds: number; why: string };

/**
 * Refuse filters: with nothing to run, keep the offer away for a long while (we REVIVE when a run comes,
 * which clears filters), so other frameworks get it; while runs wait for another agent or for more
 * room, only briefly.
 */
export const IDLE_REFUSE_SECONDS = 120;
export const BUSY_REFUSE_SECONDS = 2;

const EPSILON = 1e-9;

export function summarizeOffer(offer: Offer): OfferSummary {
  let cpus = 0;
  let mem = 0;
  const ports: PortRange[] = [];
  for (const r of offer.resources) {
    const v = r.scalar?.value ?? 0;
    if (r.name === 'cpus') cpus += v;
    else if (r.name === 'mem') mem += v;
    else if (r.name === 'ports') {
      const ranges = (r as { ranges?: { range?: PortRange[] } }).ranges?.range ?? [];
      for (const x of ranges) ports.push({ begin: Number(x.begin), end: Number(x.end) });
    }
  }
  const attributes = ((offer as { attributes?: Array<{ name?: string; text?: { value?: string } }> }).attributes ?? []);
  const fault = attributes.find((a) => a.name === FAULT_AGENT_ATTRIBUTE);
  return { id: offer.id.value, agentId: offer.agent_id.value, hostname: offer.hostname, cpus, mem, ports, faultAgent: fault ? (fault.text?.value ?? 'yes') : undefined };
}

const fits = (want: Want, left: { cpus: number; mem: number; ports: number[] }) =>
  want.cpus <= left.cpus + EPSILON && want.mem <= left.mem + EPSILON && (want.ports ?? 0) <= left.ports.length;

/** Every port of the ranges, lowest first (an agent offers a few hundred at most). */
export function portsOf(ranges: readonly PortRange[]): number[] {
  const out: number[] = [];
  for (const r of [...ranges].sort((a, b) => a.begin - b.begin)) for (let p = r.begin; p <= r.end && out.length < 65_536; p++) out.push(p);
  return out;
}

/** Takes `n` ports out of `free` (lowest first, those to avoid last). */
function takePorts(free: number[], n: number, avoid: readonly number[]): number[] {
  const order = [...free.filter((p) => !avoid.includes(p)), ...free.filter((p) => avoid.includes(p))].slice(0, n);
  for (const p of order) free.splice(free.indexOf(p), 1);
  return order;
}

export function matchOffers(offers: readonly OfferSummary[], waiting: readonly Want[]): Decision[] {
  const left = [...waiting];
  const decisions: Decision[] = [];
  for (const offer of offers) {
    const room = { cpus: offer.cpus, mem: offer.mem, ports: portsOf(offer.ports) };
    const taken: Want[] = [];
    const ports = new Map<string, number[]>();
    for (let i = 0; i < left.length; i++) {
      const want = left[i] as Want;
      const allowed = want.agentId ? want.agentId === offer.agentId : offer.faultAgent === undefined;
      if (!allowed || !fits(want, room)) continue;
      room.cpus -= want.cpus;
      room.mem -= want.mem;
      if (want.ports) ports.set(want.taskId, takePorts(room.ports, want.ports, want.avoidPorts ?? []));
      taken.push(want);
      left.splice(i, 1);
      i -= 1;
    }
    if (taken.length > 0) {
      decisions.push({ kind: 'launch', offer, wants: taken, ports });
      continue;
    }
    decisions.push({ kind: 'decline', offer, ...declineReason(offer, left) });
  }
  return decisions;
}

function declineReason(offer: OfferSummary, left: readonly Want[]): { refuseSeconds: number; why: string } {
  if (left.length === 0) return { refuseSeconds: IDLE_REFUSE_SECONDS, why: 'nothing to run' };
  if (left.every((w) => w.agentId !== undefined && w.agentId !== offer.agentId)) return { refuseSeconds: BUSY_REFUSE_SECONDS, why: 'the waiting tasks are pinned to another agent' };
  if (offer.faultAgent !== undefined && left.every((w) => w.agentId === undefined)) {
    return { refuseSeconds: BUSY_REFUSE_SECONDS, why: `kept for the fault that added this agent (${offer.faultAgent})` };
  }
  const first = left.find((w) => w.agentId === undefined || w.agentId === offer.agentId) as Want;
  const portsNote = first.ports ? ` and ${first.ports} port${first.ports === 1 ? '' : 's'}` : '';
  const offered = first.ports ? ` and ${portsOf(offer.ports).length} ports` : '';
  return { refuseSeconds: BUSY_REFUSE_SECONDS, why: `too small: needs ${first.cpus} cpus and ${first.mem} MB${portsNote}, offers ${round(offer.cpus)} cpus and ${round(offer.mem)} MB${offered}` };
}

const round = (n: number) => Math.round(n * 100) / 100;
