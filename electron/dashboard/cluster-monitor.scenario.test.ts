import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaBatch } from '@shared/dashboard/deltas';
import type { Task } from '@shared/dashboard/view';
import type { TaskInfo } from '@shared/mesos/scheduler';
import { docker, EMULATOR_IMAGE, launch, missingImages, removeAll, scenarioPorts, waitFor, ZK_IMAGE, type ScenarioCluster } from '../../testbed/scenario/launcher';
import { TestFramework } from '../mesos/test-framework.test-support';
import { ClusterMonitor } from './cluster-monitor';
import { skipSuite } from '../../testbed/support/suite-skip';

/**
 * ClusterMonitor against emulated Mesos in containers (ZooKeeper, two masters, one agent): a task
 * launched through SchedulerClient shows up in the deltas STAGING → STARTING → RUNNING → FINISHED, and
 * stopping the leader moves the leader mark after the reconnect and resync.
 */

const missing = await missingImages([ZK_IMAGE, EMULATOR_IMAGE]).catch(() => ['docker unavailable']);
const skip = skipSuite('ClusterMonitor scenario', missing.length > 0 ? `images missing (${missing.join(', ')}); run testbed/images/build.sh` : null);

const run = `dash-${process.pid}-${Date.now().toString(36)}`;

describe.skipIf(skip)('ClusterMonitor against an emulated cluster', () => {
  let c: ScenarioCluster;
  let monitor: ClusterMonitor;
  let framework: TestFramework;
  let masters: string[];
  let agentId: string;
  const batches: DeltaBatch[] = [];
  const deltas = () => batches.flatMap((b) => b.deltas);
  const until = <T>(what: string, check: () => T | undefined, timeoutMs = 20_000) => waitFor(what, async () => check(), timeoutMs, 25);

  beforeAll(async () => {
    c = await launch({ run, ports: scenarioPorts(27000), masterFlags: ['--zk_session_timeout=3secs', '--allocation_interval=250ms'] });
    const m1 = await c.startMaster(0);
    await waitFor('master 1 elected', async () => ((await fetch(`${m1.url}/metrics/snapshot`).then((r) => r.json() as Promise<Record<string, number>>))['master/elected'] === 1 ? true : undefined), 60_000);
    const m2 = await c.startMaster(1);
    masters = [m1.url, m2.url];
    await c.startAgent(0);
    agentId = await waitFor('the agent', async () => ((await fetch(`${m1.url}/master/state`).then((r) => r.json())) as { slaves: Array<{ id: string }> }).slaves[0]?.id, 60_000);
    monitor = new ClusterMonitor({ clusterId: 'it', client: { masters, zk: c.zkUrl, backoffMs: [200, 400, 800] }, metricsPollMs: 1000, offerPollMs: 300 });
    monitor.onDeltas((b) => batches.push(b));
    monitor.start();
    framework = new TestFramework(masters, { name: 'dashboard-it', failover_timeout: 60 });
    await framework.start();
  }, 120_000);

  afterAll(async () => {
    framework?.close();
    await monitor?.stop();
    await c?.stop();
    await removeAll(run).catch(() => undefined);
  }, 120_000);

  it('goes live with the leader marked, the agent and metrics', async () => {
    await until('live', () => (monitor.snapshot().connection.state === 'live' ? true : undefined));
    const view = monitor.snapshot();
    expect(view.masters.find((m) => m.leader)?.url).toBe(masters[0]);
    expect(view.masters.map((m) => m.url).sort()).toEqual([...masters].sort());
    expect(view.agents[agentId]).toMatchObject({ state: 'active', total: { cpus: 2, mem: 2048 } });
    await until('a metrics sample', () => deltas().find((d) => d.kind === 'metrics'));
    expect(batches[0]!.deltas.some((d) => d.kind === 'snapshot')).toBe(true);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i + 1));
  });

  it('shows a task STAGING → STARTING → RUNNING → FINISHED, offers polled while watched', async () => {
    const release = monitor.watchOffers();
    const task: TaskInfo = {
      name: 'dash-sleep',
      task_id: { value: 'dash-sleep' },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
      ],
      command: { shell: true, value: 'sleep 1' },
    };
    await framework.launch(agentId, [task]);
    const key = `${framework.id}/dash-sleep`;
    const seen = () => deltas().flatMap((d) => (d.kind === 'task' && d.task.key === key ? [d.task] : []));
    const done = await until('FINISHED', () => seen().find((t) => t.state === 'TASK_FINISHED'));
    release();
    const states = seen().map((t: Task) => t.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states[0]).toBe('TASK_STAGING');
    expect(states.at(-1)).toBe('TASK_FINISHED');
    expect(done.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    expect(done.statuses.at(-1)).toMatchObject({ source: 'SOURCE_EXECUTOR', message: 'Command exited with status 0' });
    expect(seen().some((t) => t.state === 'TASK_RUNNING')).toBe(true);
    expect(monitor.snapshot().frameworks[framework.id]).toMatchObject({ name: 'dashboard-it', state: 'active', taskCounts: { TASK_FINISHED: 1 } });
    expect(monitor.problems).toEqual([]);
  }, 30_000);

  it('moves the leader mark when the leader is stopped', async () => {
    const before = batches.length;
    await docker(['stop', '-t', '1', c.masters[0]!.name]);
    await until(
      'a new leader',
      () => deltas().find((d) => d.kind === 'masters' && d.masters.find((m) => m.leader)?.url === masters[1]),
      40_000,
    );
    const after = batches.slice(before).flatMap((b) => b.deltas);
    expect(after.some((d) => d.kind === 'connection' && d.connection.state === 'reconnecting')).toBe(true);
    await until('live again', () => (monitor.snapshot().connection.state === 'live' ? true : undefined), 20_000);
    const view = monitor.snapshot();
    expect(view.connection.leader).toBe(masters[1]);
    // The finished task outlives the failover (the new leader does not know completed tasks).
    expect(view.tasks[`${framework.id}/dash-sleep`]?.state).toBe('TASK_FINISHED');
    expect(after.some((d) => d.kind === 'snapshot')).toBe(true);
  }, 60_000);
});
