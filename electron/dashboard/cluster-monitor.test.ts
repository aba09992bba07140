import { afterEach, describe, expect, it } from 'vitest';
import type { DeltaBatch } from '@shared/dashboard/deltas';
import { startFakeOperatorMaster, type FakeOperatorMaster } from '../mesos/fake-operator.test-support';
import { eventually } from '../mesos/fake-master.test-support';
import { recordedOperatorEvents } from '../mesos/transcripts.test-support';
import { ClusterMonitor } from './cluster-monitor';

/** ClusterMonitor against a fake master replaying the recorded basic/ operator stream. */

let fake: FakeOperatorMaster;
let monitor: ClusterMonitor | undefined;
afterEach(async () => {
  await monitor?.stop();
  await fake?.close();
});

const recorded = recordedOperatorEvents('basic/operator.events.jsonl').map((e) => e.event);
const FW1 = 'f8278ec8-4646-4d46-a619-bfdea32934e8-0001';

async function setup(pace: { batchMs: number; busyPerSecond?: number } = { batchMs: 30 }): Promise<{ batches: DeltaBatch[]; polls: () => number }> {
  fake = await startFakeOperatorMaster();
  fake.onSubscribe = (s) => {
    s.res.writeHead(200, { 'Content-Type': 'application/json' });
    for (const e of recorded) s.send(e);
  };
  let polls = 0;
  fake.routes['/master/state'] = () => {
    polls += 1;
    const offers = polls === 1 ? [{ id: 'O1', framework_id: FW1, slave_id: 'f8278ec8-4646-4d46-a619-bfdea32934e8-S0', resources: { cpus: 1.8, mem: 1984, disk: 4096, gpus: 0 } }] : [];
    return [200, JSON.stringify({ slaves: [], frameworks: [{ id: FW1, offers }] })];
  };
  fake.routes['/metrics/snapshot'] = () => [200, JSON.stringify({ 'master/elected': 1, 'master/tasks_running': 2, 'other/metric': 5 })];
  monitor = new ClusterMonitor({ clusterId: 'c1', client: { masters: [fake.url], backoffMs: [30] }, offerPollMs: 40, metricsPollMs: 50, ...pace });
  const batches: DeltaBatch[] = [];
  monitor.onDeltas((b) => batches.push(b));
  monitor.start();
  return { batches, polls: () => polls };
}

describe('ClusterMonitor', () => {
  it('folds the stream, batches deltas, samples metrics, and polls offers only while watched', async () => {
    const { batches, polls } = await setup();
    await eventually('the recorded tasks', () =>
      batches.flatMap((b) => b.deltas).find((d) => d.kind === 'task' && d.task.key === `${FW1}/long-a` && d.task.state === 'TASK_RUNNING'),
    );
    expect(batches[0]!.deltas[0]!.kind).toBe('snapshot');
    // 45 recorded events arrive at once: a handful of batches, not one per event.
    expect(batches.length).toBeLessThan(10);
    await eventually('a metrics sample', () => batches.flatMap((b) => b.deltas).find((d) => d.kind === 'metrics'));
    expect(monitor!.snapshot().metrics[0]!.values).toEqual({ 'master/elected': 1, 'master/tasks_running': 2 });

    expect(polls()).toBe(0);
    const release = monitor!.watchOffers();
    const release2 = monitor!.watchOffers();
    await eventually('an offer', () => batches.flatMap((b) => b.deltas).find((d) => d.kind === 'offer'));
    await eventually('the offer gone', () => batches.flatMap((b) => b.deltas).find((d) => d.kind === 'offerRemoved'));
    release();
    release();
    const during = polls();
    await new Promise((r) => setTimeout(r, 120));
    expect(polls()).toBeGreaterThan(during); // one watcher is left
    release2();
    const after = polls();
    await new Promise((r) => setTimeout(r, 150));
    expect(polls() - after).toBeLessThanOrEqual(1); // at most the poll already under way
    expect(monitor!.snapshot().offerHistory.map((o) => o.outcome)).toEqual(['made', 'gone']);
  });

  it('sends a quiet cluster\'s lone update at once, and gathers a busy one\'s for the batch interval', async () => {
    const heartbeatDelay = async (): Promise<number> => {
      await eventually('live', () => (monitor!.snapshot().connection.state === 'live' ? true : undefined));
      await new Promise((r) => setTimeout(r, 100)); // the first burst sent
      const seen = batches.length;
      const sent = Date.now();
      for (const s of fake.streams) s.send({ type: 'HEARTBEAT' });
      await eventually('the heartbeat\'s batch', () => (batches.length > seen ? true : undefined));
      return Date.now() - sent;
    };
    let { batches } = await setup({ batchMs: 1500, busyPerSecond: 10_000 });
    expect(await heartbeatDelay()).toBeLessThan(500);
    await monitor!.stop();
    await fake.close();
    ({ batches } = await setup({ batchMs: 1500, busyPerSecond: 0 }));
    expect(await heartbeatDelay()).toBeGreaterThanOrEqual(1000);
  });

  it('marks the view reconnecting when the stream breaks and resyncs with a snapshot', async () => {
    const { batches } = await setup();
    const sent = (state: string, fromBatch = 0) =>
      batches.slice(fromBatch).some((b) => b.deltas.some((d) => d.kind === 'connection' && d.connection.state === state)) || undefined;
    // Live in the batches sent, not only in the model: a batch still pending would carry it after `before`.
    await eventually('live', () => (monitor!.snapshot().connection.state === 'live' ? sent('live') : undefined));
    const before = batches.length;
    // The master answers again once 'reconnecting' has gone out: a reconnect within one batch is rightly
    // never shown (the resync snapshot makes the state before it moot), and on a loaded machine a batch
    // can be late enough for that.
    const answer = fake.onSubscribe;
    fake.onSubscribe = (s, req) => void eventually('reconnecting sent', () => sent('reconnecting', before)).then(() => answer(s, req));
    for (const s of fake.streams) s.res.destroy();
    await eventually('a second stream', () => (fake.streams.length >= 2 ? true : undefined));
    await eventually('live again', () => (monitor!.snapshot().connection.state === 'live' && batches.length > before ? true : undefined));
    const after = batches.slice(before).flatMap((b) => b.deltas);
    const states = after.filter((d) => d.kind === 'connection').map((d) => (d.kind === 'connection' ? d.connection.state : ''));
    expect(states[0]).toBe('reconnecting');
    await eventually('the resync snapshot', () => batches.slice(before).flatMap((b) => b.deltas).find((d) => d.kind === 'snapshot'));
    // Replaying the same stream doubles nothing.
    expect(monitor!.snapshot().tasks[`${FW1}/long-a`]!.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  });

  it('stops cleanly: the stream closes and a last connection delta says stopped', async () => {
    const { batches } = await setup();
    await eventually('live', () => (monitor!.snapshot().connection.state === 'live' ? true : undefined));
    await monitor!.stop();
    expect(batches.at(-1)!.deltas.at(-1)).toMatchObject({ kind: 'connection', connection: { state: 'stopped' } });
    await eventually('the stream closed', () => (fake.streams.every((s) => s.res.destroyed || s.res.writableEnded || s.res.closed) ? true : undefined));
    const n = batches.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(batches.length).toBe(n);
  });
});
