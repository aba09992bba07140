import { describe, expect, it } from 'vitest';
import { ClusterSpecSchema } from '../cluster/spec';
import type { ClusterLayout } from '../cluster/layout';
import { clusterTimers, FAULTS, faultById, faultContext, faultParams, withTag } from './catalog';
import { statusText } from './expectation';

const spec = (input: object = {}) => ClusterSpecSchema.parse({ name: 'c', ...input });
const layout = (network: 'host' | 'bridge'): ClusterLayout => ({ network, hostAddress: '127.0.0.1', zookeeper: { port: 2181 }, masters: [{ index: 1, port: 5050 }], agents: [] });
const fast = clusterTimers({ spec: spec({ timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 } }) });
const legacy = { checkpoint: true, partitionAware: false };
const pa = { checkpoint: true, partitionAware: true };
const noCkpt = { checkpoint: false, partitionAware: false };
const expectOf = (id: Parameters<typeof faultById>[0], variant: typeof legacy, params: Record<string, string> = {}) =>
  faultById(id).expect(faultContext(variant, faultParams(faultById(id), params), '127.0.0.1'), fast);

describe("the fault table: docs/mesos/faults.md's rows per framework variant", () => {
  it('a stopped agent: LOST / AGENT_DISCONNECTED at once without checkpointing (row 11); with it LOST after the pings (row 12), UNREACHABLE when partition-aware', () => {
    expect(statusText(expectOf('stop-agent', noCkpt).final!)).toBe('TASK_LOST / REASON_AGENT_DISCONNECTED / SOURCE_MASTER / Agent 127.0.0.1 disconnected');
    expect(statusText(expectOf('stop-agent', { ...noCkpt, partitionAware: true }).final!)).toBe('TASK_LOST / REASON_AGENT_DISCONNECTED / SOURCE_MASTER / Agent 127.0.0.1 disconnected');
    expect(expectOf('stop-agent', legacy)).toMatchObject({ rows: '12', evidence: 'observed', atLeastMs: 2000, withinMs: 8000 });
    expect(statusText(expectOf('stop-agent', legacy).final!)).toBe('TASK_LOST / REASON_AGENT_REMOVED / SOURCE_MASTER / health check timed out');
    expect(expectOf('stop-agent', pa).final?.state).toBe('TASK_UNREACHABLE');
    expect(expectOf('stop-agent', pa).evidence).toBe('source');
  });

  it('a paused agent: LOST (row 9) or UNREACHABLE (row 10) "health check timed out", checkpoint or not', () => {
    for (const v of [legacy, noCkpt]) expect(expectOf('pause-agent', v)).toMatchObject({ rows: '9', final: { state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' } });
    expect(expectOf('pause-agent', pa)).toMatchObject({ rows: '10', final: { state: 'TASK_UNREACHABLE' } });
  });

  it('a wiped work_dir: a checkpointed task is removed with the old agent (GONE when partition-aware)', () => {
    expect(statusText(expectOf('wipe-agent', legacy).final!)).toBe('TASK_LOST / REASON_AGENT_REMOVED / SOURCE_MASTER / Agent 127.0.0.1 removed: a new agent registered at the same address');
    expect(expectOf('wipe-agent', pa).final?.state).toBe('TASK_GONE');
    expect(expectOf('wipe-agent', noCkpt).final?.reason).toBe('REASON_AGENT_DISCONNECTED');
  });

  it('task faults: rows 3, 4 and 13 whatever the variant; the pull failure names the agent’s docker CLI and the tagged image', () => {
    expect(statusText(expectOf('oom-task', pa).final!)).toBe('TASK_FAILED / – / SOURCE_EXECUTOR / Container exited with status 137');
    expect(expectOf('missing-image', legacy, { image: 'busybox:nope' }).final?.message).toBe(
      "Failed to launch container: Failed to run '/usr/local/bin/docker -H unix:///var/run/docker.sock pull busybox:nope': exited with status 1; stderr='Error response from daemon: manifest for busybox:nope not found: manifest unknown: manifest unknown\n'",
    );
    expect(expectOf('slow-pull', legacy, { timeout: '3secs' })).toMatchObject({ rows: '13', atLeastMs: 2500, withinMs: 8000, final: { reason: 'REASON_CONTAINER_LAUNCH_FAILED' } });
  });

  it('no update at all: STAGING with the reconciliation answer (row 14); RUNNING across a leader change (row 18)', () => {
    expect(expectOf('unreachable-executor', legacy)).toMatchObject({ final: null, stays: 'TASK_STAGING', reconcile: { state: 'TASK_STAGING', reason: 'REASON_RECONCILIATION', message: 'Reconciliation: Latest task state' } });
    expect(expectOf('stop-leader', legacy)).toMatchObject({ rows: '18', final: null, stays: 'TASK_RUNNING', leaderChange: true, withinMs: 30_000 });
  });

  it('says how long, from the cluster’s own timers (Mesos defaults: 15 s × 5)', () => {
    const defaults = clusterTimers({ spec: spec() });
    expect(defaults).toMatchObject({ pingsMs: 75_000, zkSessionMs: 10_000, dockerCli: '/usr/local/bin/docker -H unix:///var/run/docker.sock' });
    const line = faultById('pause-agent').line(faultContext(legacy, {}), defaults);
    expect(line).toContain('5 missed pings, ≈ 75.5 s');
    expect(faultById('stop-agent').line(faultContext(noCkpt, {}), defaults)).toContain('LOST / AGENT_DISCONNECTED at once');
    expect(clusterTimers({ spec: spec({ masters: { flags: { zk_session_timeout: '4secs', agent_ping_timeout: '2secs' } } }) })).toMatchObject({ zkSessionMs: 4000, pingMs: 2000 });
  });

  it('offers the network cut only on a bridge network, and the leader stop only with 3 masters', () => {
    const cut = faultById('cut-agent-network');
    expect(cut.unavailable({ spec: spec(), layout: layout('host') })).toMatch(/^Only on a bridge network/);
    expect(cut.unavailable({ spec: spec(), layout: layout('bridge') })).toBeNull();
    expect(cut.hiddenWhenUnavailable).toBe(true);
    expect(faultById('stop-leader').unavailable({ spec: spec(), layout: layout('host') })).toMatch(/^Needs 3 masters/);
    expect(faultById('stop-leader').unavailable({ spec: spec({ masters: { count: 3 } }), layout: layout('host') })).toBeNull();
  });

  it('every fault has a label, a line and an expectation for every variant', () => {
    for (const f of FAULTS) {
      for (const v of [legacy, pa, noCkpt]) {
        const e = f.expect(faultContext(v, faultParams(f)), fast);
        expect(e.summary.length, f.id).toBeGreaterThan(20);
        expect(e.withinMs, f.id).toBeGreaterThan(e.atLeastMs);
        expect(f.line(faultContext(v, faultParams(f)), fast).length, f.id).toBeGreaterThan(20);
      }
    }
  });

  it('tags images as the daemon names them', () => {
    expect([withTag('busybox'), withTag('busybox:1'), withTag('127.0.0.1:5000/a/b'), withTag('127.0.0.1:5000/a/b:2')]).toEqual(['busybox:latest', 'busybox:1', '127.0.0.1:5000/a/b:latest', '127.0.0.1:5000/a/b:2']);
  });
});
