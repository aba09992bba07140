import { describe, expect, it } from 'vitest';
import type { Agent, Framework, Offer, Task } from '../dashboard/view';
import type { OfferDecision } from '../runs/schemas';
import { explainFunnel, type FunnelInput, portCount } from './funnel';

const OURS = 'fw-ours';

function agent(n: number, over: Partial<Agent> = {}): Agent {
  return {
    id: `a${n}`,
    hostname: '127.0.0.1',
    port: 5050 + n,
    state: 'active',
    total: { cpus: 1, mem: 128, disk: 1000, gpus: 0, ports: '[31000-31009]' },
    allocated: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
    offered: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
    attributes: {},
    capabilities: [],
    ...over,
  };
}

const framework = (id: string, name: string): Framework => ({
  id,
  name,
  state: 'active',
  roles: ['*'],
  capabilities: [],
  checkpoint: false,
  failoverTimeoutSecs: 0,
  allocated: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  offered: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  taskCounts: {},
});

const offer = (agentId: string, frameworkId: string, mem: number): Offer => ({
  id: `o-${agentId}-${frameworkId}`,
  frameworkId,
  agentId,
  resources: { cpus: 1, mem, disk: 1000, gpus: 0, ports: '[31000-31009]' },
  firstSeenAt: 0,
});

const decision = (agentId: string, mem: number, at: number, over: Partial<OfferDecision> = {}): OfferDecision => ({
  offerId: `d-${agentId}-${at}`,
  frameworkId: OURS,
  agentId,
  hostname: '127.0.0.1',
  cpus: 1,
  mem,
  at,
  outcome: 'declined',
  refuseSeconds: 2,
  why: 'too small',
  ...over,
});

function input(over: Partial<FunnelInput>): FunnelInput {
  return {
    needs: { cpus: 0.1, mem: 32 },
    framework: { ids: [OURS], roles: ['*'], state: 'subscribed' },
    agents: [agent(1), agent(2)],
    offers: [],
    tasks: [],
    frameworks: {},
    decisions: [],
    since: 1000,
    now: 5000,
    ...over,
  };
}

describe('explainFunnel', () => {
  it('names mem on every agent smaller than the task, with the numbers, and says every agent is too small', () => {
    const f = explainFunnel(input({ needs: { cpus: 0.1, mem: 256 }, decisions: [decision('a1', 128, 2000), decision('a2', 96, 2500)] }));
    expect(f.agents.map((a) => [a.name, a.dimension, a.text])).toEqual([
      ['127.0.0.1:5051', 'mem', 'mem: the agent has 128 MB in all, needs 256'],
      ['127.0.0.1:5052', 'mem', 'mem: the agent has 128 MB in all, needs 256'],
    ]);
    expect(f.agents[1]?.offers.map((o) => o.text)).toEqual(['mem: 96 MB offered, needs 256']);
    expect(f.offersReceived).toBe(2);
    expect(f.reasons[0]).toMatch(/^every agent the task may go to is smaller than the task/);
  });

  it('checks in order: the first dimension short is named (cpus before mem)', () => {
    const f = explainFunnel(input({ needs: { cpus: 2, mem: 256 } }));
    expect(f.agents.every((a) => a.dimension === 'cpus')).toBe(true);
  });

  it('names the other framework holding a pinned agent, by offer and by tasks', () => {
    const busy: Task = {
      key: 'fw-other/t1',
      id: 't1',
      frameworkId: 'fw-other',
      agentId: 'a2',
      name: 't1',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 64, disk: 0, gpus: 0 },
      statuses: [],
      seenAt: 0,
      updatedAt: 0,
    };
    const f = explainFunnel(
      input({
        needs: { cpus: 0.1, mem: 32, agentId: 'a2' },
        agents: [agent(1), agent(2, { allocated: { cpus: 0.5, mem: 64, disk: 0, gpus: 0 } })],
        tasks: [busy],
        offers: [offer('a2', 'fw-holder', 64)],
        frameworks: { 'fw-holder': framework('fw-holder', 'offer-holder'), 'fw-other': framework('fw-other', 'marathon') },
      }),
    );
    expect(f.agents[0]).toMatchObject({ dimension: 'pin', fits: false, text: 'pin: the task is pinned to 127.0.0.1:5052' });
    expect(f.agents[1]?.text).toBe('cpus: 0 of 1 free, needs 0.1; held by offer-holder (fw-holder): an offer outstanding, marathon (fw-other): 1 task');
    expect(f.reasons.join('\n')).toContain('allocated or offered to other frameworks: offer-holder (fw-holder), marathon (fw-other), on 127.0.0.1:5052');
    expect(f.headline).toMatch(/^No offer since the task began waiting 4 s ago: the resources are allocated/);
  });

  it('an offer to our own framework is ours to take, not a holder', () => {
    const f = explainFunnel(input({ offers: [offer('a1', OURS, 128)] }));
    expect(f.agents[0]).toMatchObject({ fits: true, holders: [] });
    expect(f.reasons).toEqual(['an agent has room: the allocator has not offered it yet (it offers every allocation interval)']);
  });

  it('says no agent is registered, the framework is not subscribed, suppressed, or a refuse filter runs', () => {
    expect(explainFunnel(input({ agents: [] })).reasons).toEqual(['no agent is registered with the master']);
    const down = explainFunnel(input({ framework: { ids: [OURS], roles: ['*'], state: 'reconnecting', error: 'connection refused', suppressed: true } }));
    expect(down.reasons.slice(0, 2)).toEqual(['the framework is reconnecting (connection refused): no offer reaches it', 'the framework has suppressed offers (SUPPRESS) and not revived']);
    const filtered = explainFunnel(input({ decisions: [decision('a1', 128, 500, { refuseSeconds: 120, why: 'nothing to run' })] }));
    expect(filtered.reasons).toContain('a refuse filter on 127.0.0.1 still runs 116 s (declined: nothing to run)');
    expect(filtered.offersReceived).toBe(0);
  });

  it('names inactive agents, fault agents, attributes and roles', () => {
    const f = explainFunnel(
      input({
        needs: { cpus: 0.1, mem: 32, attributes: { zone: 'b' } },
        agents: [agent(1, { state: 'unreachable' }), agent(2, { attributes: { 'mesoscope-fault': 'slow-pull' } }), agent(3, { attributes: { zone: 'a' } })],
      }),
    );
    expect(f.agents.map((a) => a.dimension)).toEqual(['agent', 'attributes', 'attributes']);
    expect(f.agents[2]?.text).toBe('attributes: needs zone=b, the agent has zone=a');
    expect(f.reasons.at(-1)).toMatch(/^no agent may take the task/);
    const role = explainFunnel(input({ needs: { cpus: 0.1, mem: 32, role: 'web' } }));
    expect(role.agents[0]?.text).toBe('role: needs role web, the framework subscribed with *');
  });

  it('counts ports, and checks disk and ports against what is free', () => {
    expect(portCount('[31000-31099, 32000-32000]')).toBe(101);
    expect(portCount(undefined)).toBe(0);
    const f = explainFunnel(input({ needs: { cpus: 0.1, mem: 32, disk: 10, ports: 20 } }));
    expect(f.agents[0]?.text).toBe('ports: the agent has 10 in all, needs 20');
  });
});
