import type { MesoscopeClient } from '@shared/api/client';
import type { LogEvent } from '@shared/logs/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogDocument } from './log-document';

// The document runs in the page; here a stand-in window and animation frames are enough.
beforeAll(() => {
  Object.assign(globalThis, {
    window: globalThis,
    requestAnimationFrame: (cb: (t: number) => void) => setTimeout(() => cb(performance.now() + 1000), 0) as unknown as number,
    cancelAnimationFrame: (id: number) => clearTimeout(id),
  });
});
afterAll(() => {
  delete (globalThis as { window?: unknown }).window;
});

/** A client whose `logs.follow` events the test sends by hand, recording the acks. */
function fakeClient() {
  const acks: number[] = [];
  let emit: (e: LogEvent) => void = () => {};
  let subscriptions = 0;
  let stopped = 0;
  const client = {
    subscribe: (_name: string, _params: unknown, onEvent: (e: LogEvent) => void) => {
      subscriptions += 1;
      emit = onEvent;
      return () => (stopped += 1);
    },
    call: async (name: string, input: { bytes: number }) => {
      if (name === 'logs.ack') acks.push(input.bytes);
      return {};
    },
  } as unknown as MesoscopeClient;
  return { client, acks, send: (e: LogEvent) => emit(e), counts: () => ({ subscriptions, stopped }) };
}

const data = (seq: number, text: string): LogEvent => ({ kind: 'data', seq, text, bytes: text.length });

describe('LogDocument', () => {
  it('takes and acknowledges batches while following; while paused holds them unacknowledged, until resumed', () => {
    const { client, acks, send } = fakeClient();
    const doc = new LogDocument(client, { kind: 'node', cluster: 'c', node: 'agent-1' });
    doc.start();
    send({ kind: 'open', streamId: 's1', title: 't', timestamps: true });
    send(data(0, 'a\nb\n'));
    expect(doc.buffer.count).toBe(2);
    expect(acks).toEqual([4]);

    doc.pause();
    send(data(1, 'c\n'));
    send(data(2, 'd\ne\n'));
    expect(doc.buffer.count).toBe(2);
    expect(doc.state.waitingLines).toBe(3);
    expect(acks).toEqual([4]); // the host stops reading once its window is full

    doc.resume();
    expect(doc.buffer.text()).toBe('a\nb\nc\nd\ne');
    expect(acks).toEqual([4, 6, 10]);
    expect(doc.state).toMatchObject({ following: true, waitingLines: 0 });
    expect(window.__mesoscopeLogStats).toMatchObject({ bytes: 10, lines: 5, batches: 3 });
  });

  it('shows the end, keeps what was held, and can be started again after being disposed (StrictMode)', () => {
    const { client, send, counts } = fakeClient();
    const doc = new LogDocument(client, { kind: 'task', cluster: 'c', taskId: 't', file: 'stdout' });
    doc.start();
    doc.dispose();
    doc.start();
    expect(counts()).toEqual({ subscriptions: 2, stopped: 1 });
    send({ kind: 'open', streamId: 's', title: 'stdout of task t', timestamps: false, offset: 0, size: 0, file: { path: '/x/stdout', agentId: 'a' } });
    send(data(0, 'one\n'));
    send({ kind: 'end', reason: 'the task ended' });
    expect(doc.state).toMatchObject({ mode: 'ended', endReason: 'the task ended', title: 'stdout of task t' });
    expect(doc.buffer.text()).toBe('one');
    expect(counts().stopped).toBe(2);
  });
});
