import { afterEach, describe, expect, it } from 'vitest';
import type { Offer, TaskStatus } from '@shared/mesos/v1';
import { SchedulerClient, type Subscribed } from './scheduler-client';
import { eventually, openSchedulerStream, startFakeMaster, type FakeMaster } from './fake-master.test-support';
import { recordedCalls, recordedEvents, transcriptBytes } from './transcripts.test-support';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function master(): Promise<FakeMaster> {
  const m = await startFakeMaster();
  open.push(m);
  return m;
}

function client(masters: string[], extra: Partial<ConstructorParameters<typeof SchedulerClient>[0]> = {}): SchedulerClient {
  const c = new SchedulerClient({
    masters,
    framework: { user: 'root', name: 'recorder', roles: ['*'], checkpoint: false, failover_timeout: 0, capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }] },
    backoffMs: [20, 40],
    startTimeoutMs: 5000,
    ...extra,
  });
  open.push(c);
  return c;
}

/** Replays basic/sched.stream.recordio in uneven chunks, as the recorded master sent it. */
function replay(m: FakeMaster, folder: string, streamId: string) {
  m.onSubscribe = (s) => {
    openSchedulerStream(s, streamId);
    const bytes = transcriptBytes(`${folder}/sched.stream.recordio`);
    const sizes = [1, 3, 17, 100, 999, 4096];
    let i = 0;
    let n = 0;
    while (i < bytes.length) {
      const size = sizes[n++ % sizes.length]!;
      s.res.write(bytes.subarray(i, i + size));
      i += size;
    }
  };
}

describe('SchedulerClient against the recorded scheduler stream (basic/)', () => {
  it('subscribes with the exact headers, holds the stream id, and types every recorded event', async () => {
    const m = await master();
    const recordedSubscribe = recordedCalls('basic')[0]!;
    const streamId = recordedSubscribe.headers!['mesos-stream-id']!;
    replay(m, 'basic', streamId);
    const c = client([m.url]);
    const offers: Offer[] = [];
    const updates: TaskStatus[] = [];
    let heartbeats = 0;
    c.on('offers', (o) => offers.push(...o));
    c.on('update', (s) => updates.push(s));
    c.on('heartbeat', () => heartbeats++);
    const problems: Error[] = [];
    c.on('problem', (e) => problems.push(e));

    const sub = await c.start();
    const events = recordedEvents('basic');
    const recordedFrameworkId = (events[0] as unknown as { subscribed: { framework_id: { value: string } } }).subscribed.framework_id.value;
    expect(sub.frameworkId).toBe(recordedFrameworkId);
    expect(c.streamId).toBe(streamId);
    expect(sub.heartbeatIntervalSeconds).toBe(15);
    expect(sub.masterInfo?.address?.port).toBe(5050);

    // The SUBSCRIBE itself: the recorded body, exact media types, no stream id.
    const s = m.subscriptions[0]!;
    expect(s.body).toEqual(recordedSubscribe.request);
    expect(s.headers['content-type']).toBe('application/json');
    expect(s.headers.accept).toBe('application/json');
    expect(s.headers['mesos-stream-id']).toBeUndefined();
    expect(s.path).toBe('/api/v1/scheduler');

    const recordedOffers = events.filter((e) => e.type === 'OFFERS').flatMap((e) => (e as unknown as { offers: { offers: unknown[] } }).offers.offers);
    const recordedUpdates = events.filter((e) => e.type === 'UPDATE').map((e) => (e as unknown as { update: { status: unknown } }).update.status);
    await eventually('all events', () => (updates.length === recordedUpdates.length && offers.length === recordedOffers.length ? true : undefined));
    expect(offers).toEqual(recordedOffers);
    expect(updates).toEqual(recordedUpdates);
    expect(heartbeats).toBe(events.filter((e) => e.type === 'HEARTBEAT').length);
    expect(problems).toEqual([]);

    // Every update with a uuid is acknowledged, with the very bodies the recorder sent.
    const recordedAcks = recordedCalls('basic').filter((x) => x.request.type === 'ACKNOWLEDGE').map((x) => x.request);
    await eventually('acknowledgements', () => (m.calls.filter((x) => x.body.type === 'ACKNOWLEDGE').length === recordedAcks.length ? true : undefined));
    const acks = m.calls.filter((x) => x.body.type === 'ACKNOWLEDGE');
    expect(acks.map((a) => a.body).sort(byUuid)).toEqual([...recordedAcks].sort(byUuid));
    for (const a of acks) {
      expect(a.headers['mesos-stream-id']).toBe(streamId);
      expect(a.headers['content-type']).toBe('application/json');
      expect(a.headers.accept).toBe('application/json');
    }
    // Master-generated updates (TASK_ERROR, TASK_LOST for a stale offer) carry no uuid and are not acknowledged.
    expect(updates.filter((u) => !u.uuid).map((u) => u.state)).toEqual(['TASK_ERROR', 'TASK_LOST']);
  });

  it('sends ACCEPT, DECLINE, KILL and RECONCILE exactly as the recorded calls', async () => {
    const m = await master();
    const calls = recordedCalls('basic');
    replay(m, 'basic', 'sid');
    const c = client([m.url], { autoAcknowledge: false });
    const offers: Offer[] = [];
    c.on('offers', (o) => offers.push(...o));
    await c.start();
    await eventually('offers', () => (offers.length > 2 ? true : undefined));

    const accept = calls.find((x) => x.request.type === 'ACCEPT')!.request as unknown as { accept: { operations: Array<{ launch: { task_infos: Array<Record<string, unknown>> } }> } };
    const task = { ...accept.accept.operations[0]!.launch.task_infos[0]! };
    delete task.agent_id; // filled in from the offer
    await c.launch(offers[0]!, [task as never], { refuse_seconds: 1 });
    const decline = calls.find((x) => x.request.type === 'DECLINE')!.request as unknown as { decline: { offer_ids: Array<{ value: string }>; filters: { refuse_seconds: number } } };
    await c.decline([decline.decline.offer_ids[0]!.value], decline.decline.filters);
    const kill = calls.find((x) => x.request.type === 'KILL')!.request as unknown as { kill: { task_id: { value: string }; agent_id: { value: string } } };
    await c.kill(kill.kill.task_id.value, kill.kill.agent_id.value);
    await c.reconcile();

    const sent = m.calls.map((x) => x.body);
    expect(sent).toEqual([
      accept,
      decline,
      kill,
      calls.find((x) => x.request.type === 'RECONCILE')!.request,
    ]);
  });
});

const byUuid = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String((a.acknowledge as { uuid: string }).uuid).localeCompare(String((b.acknowledge as { uuid: string }).uuid));

function subscribed(frameworkId: string, heartbeat = 15) {
  return { type: 'SUBSCRIBED', subscribed: { framework_id: { value: frameworkId }, heartbeat_interval_seconds: heartbeat } };
}

describe('SchedulerClient connection handling', () => {
  it('follows a standby’s protocol-relative 307 to the leader, for SUBSCRIBE and for calls', async () => {
    const leader = await master();
    const standby = await master();
    standby.onSubscribe = (s) => {
      s.res.writeHead(307, { Location: `//127.0.0.1:${leader.port}/master/api/v1/scheduler`, 'Content-Length': '0' });
      s.res.end();
    };
    leader.onSubscribe = (s) => {
      openSchedulerStream(s, 'leader-stream');
      s.send(subscribed('M-0000'));
    };
    const c = client([standby.url]);
    const sub = await c.start();
    expect(sub.endpoint).toBe(`http://127.0.0.1:${leader.port}/master/api/v1/scheduler`);
    expect(leader.subscriptions[0]!.path).toBe('/master/api/v1/scheduler');
    await c.revive();
    expect(leader.calls.map((x) => [x.path, x.body.type, x.headers['mesos-stream-id']])).toEqual([['/master/api/v1/scheduler', 'REVIVE', 'leader-stream']]);
    expect(standby.calls).toEqual([]);
  });

  it('resubscribes with its framework id after the stream breaks, with the new stream id', async () => {
    const m = await master();
    m.onSubscribe = (s) => {
      const n = m.subscriptions.length;
      openSchedulerStream(s, `stream-${n}`);
      s.send(subscribed('F-0007'));
      if (n === 1) setTimeout(() => s.end(), 20);
    };
    const c = client([m.url], { framework: { user: 'root', name: 'x', failover_timeout: 60 } });
    const seen: Subscribed[] = [];
    const drops: string[] = [];
    c.on('subscribed', (s) => seen.push(s));
    c.on('disconnected', (d) => drops.push(`${d.reason}/${d.willReconnect}`));
    await c.start();
    await eventually('resubscription', () => (seen.length === 2 ? true : undefined));
    expect(drops).toEqual(['the master ended the stream/true']);
    expect(m.subscriptions[0]!.body).toEqual({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'x', failover_timeout: 60 } } });
    // Mesos refuses a resubscription whose call lacks the top-level framework_id (400).
    expect(m.subscriptions[1]!.body).toEqual({
      type: 'SUBSCRIBE',
      framework_id: { value: 'F-0007' },
      subscribe: { framework_info: { user: 'root', name: 'x', failover_timeout: 60, id: { value: 'F-0007' } } },
    });
    expect(seen[1]!.resubscribed).toBe(true);
    expect(c.streamId).toBe('stream-2');
    await c.reconcile();
    expect(m.calls[0]!.headers['mesos-stream-id']).toBe('stream-2');
  });

  it('moves to another master when the leader goes away (docs/mesos/faults.md row 18)', async () => {
    const first = await master();
    const second = await master();
    first.onSubscribe = (s) => {
      openSchedulerStream(s, 'one');
      s.send(subscribed('F-0001'));
    };
    second.onSubscribe = (s) => {
      openSchedulerStream(s, 'two');
      s.send(subscribed('F-0001'));
    };
    const c = client([first.url, second.url], { framework: { user: 'root', name: 'x', failover_timeout: 60 } });
    await c.start();
    await first.close();
    await eventually('subscribed on the second master', () => (c.subscription?.endpoint.includes(String(second.port)) ? true : undefined));
    expect((second.subscriptions[0]!.body.subscribe as { framework_info: { id?: unknown } }).framework_info.id).toEqual({ value: 'F-0001' });
  });

  it('treats a silent stream as broken after the missed heartbeats', async () => {
    const m = await master();
    m.onSubscribe = (s) => {
      openSchedulerStream(s, `s${m.subscriptions.length}`);
      s.send(subscribed('F-0002', 0.05));
    };
    const c = client([m.url], { missedHeartbeats: 2, framework: { user: 'root', name: 'x', failover_timeout: 60 } });
    const drops: string[] = [];
    c.on('disconnected', (d) => drops.push(d.reason));
    await c.start();
    await eventually('a resubscription', () => (m.subscriptions.length >= 2 ? true : undefined));
    expect(drops[0]).toMatch(/^no event for 2 heartbeat intervals \([\d.]+ s each\)$/);
  });

  it('stops for good on an ERROR event and reports it', async () => {
    const m = await master();
    m.onSubscribe = (s) => {
      openSchedulerStream(s, 'e');
      s.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    };
    const c = client([m.url], { framework: { user: 'root', name: 'x', id: { value: 'gone-0000' } } });
    const errors: string[] = [];
    c.on('error', (e) => errors.push(e));
    await expect(c.start()).rejects.toThrow('the master sent ERROR: Framework has been removed');
    expect(errors).toEqual(['Framework has been removed']);
    await new Promise((r) => setTimeout(r, 100));
    expect(m.subscriptions).toHaveLength(1);
  });

  it('rejects start() with the master’s text when SUBSCRIBE is refused', async () => {
    const m = await master();
    m.onSubscribe = (s) => {
      s.res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      s.res.end('Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.user');
    };
    const c = client([m.url]);
    await expect(c.start()).rejects.toThrow(/answered 400: Failed to convert JSON into Call protobuf: Missing required fields/);
  });

  it('surfaces a call the master refuses, and a malformed stream as a problem', async () => {
    const m = await master();
    m.onSubscribe = (s) => {
      openSchedulerStream(s, 'p');
      s.send(subscribed('F-0003'));
      setTimeout(() => s.res.write('12x\n'), 20);
    };
    m.onCall = (_c, res) => {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Framework is not subscribed');
    };
    const c = client([m.url], { reconnect: false });
    const problems: Error[] = [];
    c.on('problem', (e) => problems.push(e));
    await c.start();
    await expect(c.suppress()).rejects.toThrow(/answered 403: Framework is not subscribed/);
    await eventually('a RecordIO problem', () => (problems.length > 0 ? true : undefined));
    expect(problems[0]!.message).toMatch(/^RecordIO: malformed record length "12x"/);
  });
});
