import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher';

describe('OutputBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('sends what came within the flush time as one message, in order, and a stream change first sends what waits', () => {
    vi.useFakeTimers();
    const sent: Array<[string, string]> = [];
    const batcher = new OutputBatcher((data, stream) => sent.push([data.toString(), stream]), 5, 1024);
    batcher.add(Buffer.from('a'), 'stdout');
    batcher.add(Buffer.from('b'), 'stdout');
    batcher.add(Buffer.from('E'), 'stderr');
    batcher.add(Buffer.from('c'), 'stdout');
    expect(sent).toEqual([
      ['ab', 'stdout'],
      ['E', 'stderr'],
    ]);
    vi.advanceTimersByTime(5);
    expect(sent.at(-1)).toEqual(['c', 'stdout']);
  });

  it('sends at once when maxBytes wait, and drops what waits when disposed', () => {
    vi.useFakeTimers();
    const sizes: number[] = [];
    const batcher = new OutputBatcher((data) => sizes.push(data.length), 5, 10);
    batcher.add(Buffer.alloc(6), 'stdout');
    batcher.add(Buffer.alloc(6), 'stdout');
    expect(sizes).toEqual([12]);
    batcher.add(Buffer.alloc(3), 'stdout');
    batcher.dispose();
    vi.advanceTimersByTime(50);
    expect(sizes).toEqual([12]);
  });
});
