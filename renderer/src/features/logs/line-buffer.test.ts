import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBuffer, utf8Length } from './line-buffer';

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}\n`).join('');
const all = (b: LineBuffer) => Array.from({ length: b.count }, (_, i) => b.line(i));

describe('LineBuffer: a bounded ring buffer of lines', () => {
  it('drops the oldest lines when full, never the newest, in order', () => {
    const b = new LineBuffer(5);
    b.append(lines(0, 3));
    b.append(lines(3, 4));
    expect(all(b)).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    b.append(lines(4, 7));
    expect(all(b)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(b.droppedOldest).toBe(2);
    // A batch larger than the whole buffer: only its own newest lines stay.
    b.append(lines(7, 20));
    expect(all(b)).toEqual(['line 15', 'line 16', 'line 17', 'line 18', 'line 19']);
    expect(b.droppedOldest).toBe(15);
  });

  it('keeps exactly the last `capacity` lines for any sequence of batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 30 }), (capacity, sizes) => {
        const b = new LineBuffer(capacity);
        let n = 0;
        for (const size of sizes) {
          b.append(lines(n, n + size));
          n += size;
        }
        const expected = Array.from({ length: Math.min(capacity, n) }, (_, i) => `line ${n - Math.min(capacity, n) + i}`);
        expect(all(b)).toEqual(expected);
      }),
    );
  });

  it('pages back through a file: prepends older lines and drops the newest past capacity, with byte offsets', () => {
    const b = new LineBuffer(4);
    const tail = 'c é\nd 中\n';
    b.append(tail, { offset: 100 });
    expect([b.startOffset, b.endOffset]).toEqual([100, 100 + utf8Length(tail)]);
    b.prepend('a\nb\n', 96);
    expect(all(b)).toEqual(['a', 'b', 'c é', 'd 中']);
    expect(b.startOffset).toBe(96);
    b.prepend('z\n', 94);
    expect(all(b)).toEqual(['z', 'a', 'b', 'c é']);
    expect(b.endOffset).toBe(100 + utf8Length('c é\n'));
    // Appending after a drop at the end continues where the buffer now ends.
    b.append('d 中\n', { offset: b.endOffset });
    expect(all(b)).toEqual(['a', 'b', 'c é', 'd 中']);
    expect([b.startOffset, b.endOffset]).toEqual([96, 100 + utf8Length(tail)]);
  });

  it('keeps the start offset right as the oldest lines go, whether the text is ASCII or not', () => {
    const b = new LineBuffer(2);
    b.append('a\nbb\n', { offset: 10, bytes: 5 });
    b.append('ccc\n', { offset: 15, bytes: 4 });
    expect(all(b)).toEqual(['bb', 'ccc']);
    expect([b.startOffset, b.endOffset]).toEqual([12, 19]);
    b.append('é\n€\n', { offset: 19, bytes: 7 });
    expect(all(b)).toEqual(['é', '€']);
    expect([b.startOffset, b.endOffset]).toEqual([19, 26]);
    b.append('x\n', { offset: 26, bytes: 2 });
    expect(b.startOffset).toBe(22);
  });

  it('finds the lines that match, once per line, case-insensitively by default', () => {
    const b = new LineBuffer(100);
    b.append('Error one\nfine\nerror two error\n');
    b.append('ERROR three\n');
    expect(b.search('error')).toEqual([0, 2, 3]);
    expect(b.search('error', { caseSensitive: true })).toEqual([2]);
    expect(b.search('a.b')).toEqual([]); // the query is text, not a pattern
    b.append(lines(0, 100)); // all four go
    expect(b.search('error')).toEqual([]);
  });

  it('marks stderr lines by range, and forgets the marks of lines dropped', () => {
    const b = new LineBuffer(4);
    b.append('out\nerr 1\nerr 2\nout\n', { stderr: [1, 3] });
    expect([0, 1, 2, 3].map((i) => b.isStderr(i))).toEqual([false, true, true, false]);
    b.append('err 3\n', { stderr: [0, 1] });
    expect(all(b)).toEqual(['err 1', 'err 2', 'out', 'err 3']);
    expect([0, 1, 2, 3].map((i) => b.isStderr(i))).toEqual([true, true, false, true]);
  });

  it('adds the missing newline of a last line, and counts UTF-8 bytes', () => {
    const b = new LineBuffer(10);
    b.append('no newline');
    expect(all(b)).toEqual(['no newline']);
    expect(utf8Length('aé中😀')).toBe(1 + 2 + 3 + 4);
  });
});
