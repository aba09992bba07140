import { afterEach, describe, expect, it } from 'vitest';
import { RunRequestSchema } from '@shared/runs/schemas';
import { eventually, openSchedulerStream, startFakeMaster, type FakeMaster, type Subscription } from '../mesos/fake-master.test-support';
import { BuiltInFramework } from './builtin-framework';

// The framework against a scripted master: what it subscribes with, what it says to offers it does not
// need, and what it does when the master removes it.

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function fakeMaster(): Promise<FakeMaster> {
  const m = await startFakeMaster();
  open.push(m);
  return m;
}

const subscribedAs = (id: string) => (s: Subscription) => {
  openSchedulerStream(s, `stream-${id}`);
  s.send({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: id }, heartbeat_interval_seconds: 15 } });
};

const offer = (id: string, agent = 'S0') => ({
  id: { value: id },
  framework_id: { value: 'M-0000' },
  agent_id: { value: agent },
  hostname: '127.0.0.1',
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 512 } },
  ],
});

function framework(m: FakeMaster, extra: Partial<ConstructorParameters<typeof BuiltInFramework>[0]> = {}): BuiltInFramework {
  const f = new BuiltInFramework({ cluster: 'c', variant: { checkpoint: false, partitionAware: true }, masters: async () => [m.url], backoffMs: [20], ...extra });
  open.push(f);
  return f;
}

describe('the built-in framework against a scripted master', () => {
  it('subscribes as "mesoscope" (root, the variant, a failover timeout), resuming a stored id; with nothing to run it suppresses and declines for long', async () => {
    const m = await fakeMaster();
    m.onSubscribe = subscribedAs('M-0000');
    const saved: string[] = [];
    const f = framework(m, { storedId: 'M-0000', onSubscribed: (id) => saved.push(id) });
    await f.start();
    const info = m.subscriptions[0]!.body.subscribe as { framework_info: Record<string, unknown> };
    expect(info.framework_info).toMatchObject({
      user: 'root',
      name: 'mesoscope',
      id: { value: 'M-0000' },
      checkpoint: false,
      failover_timeout: 604_800,
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }, { type: 'PARTITION_AWARE' }],
    });
    expect(saved).toEqual(['M-0000']);
    // Resumed: it asks where its tasks are (implicit reconciliation) and wants no offers.
    await eventually('RECONCILE and SUPPRESS', () => (['RECONCILE', 'SUPPRESS'].every((t) => m.calls.some((c) => c.body.type === t)) ? true : undefined));
    expect(m.calls.find((c) => c.body.type === 'RECONCILE')?.body.reconcile).toEqual({ tasks: [] });

    m.subscriptions[0]!.send({ type: 'OFFERS', offers: { offers: [offer('O1')] } });
    const decline = await eventually('DECLINE', () => m.calls.find((c) => c.body.type === 'DECLINE'));
    expect(decline.body.decline).toEqual({ offer_ids: [{ value: 'O1' }], filters: { refuse_seconds: 120 } });
    expect(decline.headers['mesos-stream-id']).toBe('stream-M-0000');
    // What it did with each offer, as the UI shows it; a rescind is the master's doing.
    const decisions: string[] = [];
    f.listen({ offer: (d) => decisions.push(`${d.offerId}:${d.outcome}:${d.why}`) });
    m.subscriptions[0]!.send({ type: 'RESCIND', rescind: { offer_id: { value: 'O1' } } });
    await eventually('the rescind', () => decisions[0]);
    expect(decisions).toEqual(['O1:rescinded:the master took it back']);
  });

  it('launches a waiting run on the offer that holds it, with a short filter on the rest', async () => {
    const m = await fakeMaster();
    m.onSubscribe = subscribedAs('M-0001');
    const f = framework(m);
    const launched = f.launch(RunRequestSchema.parse({ cluster: 'c', name: 'web', command: 'sleep 1', cpus: 0.5, mem: 256 }));
    await eventually('subscribed', () => m.subscriptions[0]);
    await eventually('REVIVE', () => m.calls.find((c) => c.body.type === 'REVIVE'));
    m.subscriptions[0]!.send({ type: 'OFFERS', offers: { offers: [offer('O2')] } });
    const result = await launched;
    expect(result.frameworkId).toBe('M-0001');
    const accept = m.calls.find((c) => c.body.type === 'ACCEPT')!.body.accept as { offer_ids: unknown; operations: Array<{ launch: { task_infos: Array<{ task_id: { value: string } }> } }>; filters: unknown };
    expect(accept.offer_ids).toEqual([{ value: 'O2' }]);
    expect(accept.operations[0]!.launch.task_infos.map((t) => t.task_id.value)).toEqual([result.tasks[0]!.taskId]);
    expect(accept.filters).toEqual({ refuse_seconds: 2 });
  });

  it('removed by the master: forgets the id, fails waiting runs, and the next start subscribes afresh', async () => {
    const m = await fakeMaster();
    let removed = 0;
    m.onSubscribe = (s) => {
      if (m.subscriptions.length === 1) {
        openSchedulerStream(s, 'stream-1');
        s.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
        return;
      }
      subscribedAs('M-0009')(s);
    };
    const f = framework(m, { storedId: 'M-0005', onRemoved: () => (removed += 1) });
    await expect(f.start()).rejects.toThrow('Framework has been removed');
    expect([removed, f.status.state, f.status.id]).toEqual([1, 'failed', undefined]);
    expect(f.status.error).toMatch(/^The master removed this framework/);
    await f.start();
    const second = m.subscriptions[1]!.body.subscribe as { framework_info: { id?: unknown } };
    expect(second.framework_info.id).toBeUndefined();
    expect(f.status).toMatchObject({ state: 'subscribed', id: 'M-0009' });
  });
});
