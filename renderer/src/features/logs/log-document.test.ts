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

/** Acknowledgements go within 50 ms of the batches they are for. */
const acksSent = () => new Promise((resolve) => setTimeout(resolve, 80));

/** React is told of changes at most every 30 ms (100 ms in a rush). */
const toldReact = () => new Promise((resolve) => setTimeout(resolve, 120));

const data = (seq: number, text: string): LogEvent => ({ kind: 'data', seq, text, bytes: text.length });

describe('LogDocument', () => {
  it('takes and acknowledges batches while following (an ack for all taken, soon after); while paused holds them unacknowledged, until resumed', async () => {
    const { client, acks, send } = fakeClient();
    const doc = new LogDocument(client, { kind: 'node', cluster: 'c', node: 'agent-1' });
    doc.start();
    send({ kind: 'open', streamId: 's1', title: 't', timestamps: true });
    send(data(0, 'a\nb\n'));
    expect(doc.buffer.count).toBe(2);
    await acksSent();
    expect(acks).toEqual([4]);

    doc.pause();
    send(data(1, 'c\n'));
    send(data(2, 'd\ne\n'));
    expect(doc.buffer.count).toBe(2);
    expect(doc.state.waitingLines).toBe(3);
    await acksSent();
    expect(acks).toEqual([4]); // the host stops reading once its window is full

    doc.resume();
    expect(doc.buffer.text()).toBe('a\nb\nc\nd\ne');
    await acksSent();
    expect(acks).toEqual([4, 10]); // the three batches taken at once, in one ack
    expect(doc.state).toMatchObject({ following: true, waitingLines: 0 });
    expect(window.__mesoscopeLogStats).toMatchObject({ bytes: 10, lines: 5, batches: 3 });
  });

  it('the Pause button stops at the newest line held: lines taken since React was last told send the view to its end once; none, and it stays', async () => {
    const { client, send } = fakeClient();
    const doc = new LogDocument(client, { kind: 'node', cluster: 'c', node: 'agent-1' });
    doc.start();
    send({ kind: 'open', streamId: 's1', title: 't', timestamps: true });

    send(data(0, 'a\nb\n'));
    doc.pauseAtEnd();
    expect(doc.scrollToEnd).toBe(true);
    expect(doc.state.following).toBe(false);

    doc.scrollToEnd = false; // as the view does once it has gone there
    doc.resume();
    await toldReact(); // at most every 30 ms
    doc.pauseAtEnd();
    expect(doc.scrollToEnd).toBe(false);
    doc.pauseAtEnd(); // already paused: nothing
    expect(doc.state.following).toBe(false);
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

  it('opened at a byte offset: holds a window around that line, marks it, follows nothing, pages on from there', async () => {
    // A file of 1,000 lines "line NNNN\n" (10 bytes each); the line at byte 5000 is "line 0500".
    const file = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')}\n`).join('');
    const reads: Array<{ from?: number; before?: number }> = [];
    let subscriptions = 0;
    const client = {
      subscribe: () => ((subscriptions += 1), () => undefined),
      call: async (name: string, input: { from?: number; before?: number; maxBytes: number }) => {
        if (name !== 'logs.read') return {};
        reads.push({ from: input.from, before: input.before });
        // Whole lines, as the host reads them (the test's maxBytes is a multiple of the line length).
        const [start, end] = input.from !== undefined ? [input.from, Math.min(file.length, input.from + 100)] : [Math.max(0, (input.before as number) - 100), input.before as number];
        return { start, end, size: file.length, text: file.slice(start, end), title: 'stdout of task t', file: { path: '/s/stdout', agentId: 'a1' } };
      },
    } as unknown as MesoscopeClient;
    const doc = new LogDocument(client, { kind: 'task', cluster: 'c', taskId: 't', file: 'stdout' }, { openAt: 5000 });
    doc.open();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(subscriptions).toBe(0);
    expect(reads).toEqual([{ before: 5000 }, { from: 5000 }]);
    expect(doc.state).toMatchObject({ mode: 'window', following: false, title: 'stdout of task t', file: { path: '/s/stdout', agentId: 'a1' }, size: 10_000 });
    expect(doc.buffer.line(doc.targetIndex as number)).toBe('line 0500');
    expect(doc.scrollToTarget).toBe(true);
    expect([doc.buffer.startOffset, doc.buffer.endOffset]).toEqual([4900, 5100]);

    // Older lines paged in before: the mark stays on the same line.
    await doc.loadEarlier();
    expect(doc.buffer.startOffset).toBe(4800);
    expect(doc.buffer.line(doc.targetIndex as number)).toBe('line 0500');
    await doc.loadLater();
    expect(doc.buffer.endOffset).toBe(5200);
    expect(doc.buffer.line(doc.targetIndex as number)).toBe('line 0500');
    // Jumping to the end follows the file again: no mark any more.
    doc.jumpToEnd();
    expect(subscriptions).toBe(1);
    expect(doc.targetIndex).toBeUndefined();
  });
});
