import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineAssembler, utf8Boundary, utf8Start } from './line-assembler';

// Characters of 1, 2, 3 and 4 bytes in UTF-8.
const TEXT = 'plain ascii\nété à Paris\n中文日志行\n😀 emoji 👍🏽\n\nlast line without newline';
const BYTES = Buffer.from(TEXT, 'utf8');

function assemble(chunks: Buffer[], maxLine?: number): { text: string; bytes: number; lines: number } {
  const a = new LineAssembler(maxLine);
  let text = '';
  let bytes = 0;
  let lines = 0;
  for (const c of [...chunks.map((chunk) => a.push(chunk)), a.flush()]) {
    text += c.text;
    bytes += c.bytes;
    lines += c.lines;
  }
  return { text, bytes, lines };
}

describe('LineAssembler: chunked reads across multi-byte UTF-8 boundaries', () => {
  it('gives the same lines wherever a read ends, even inside a character', () => {
    for (let cut = 1; cut < BYTES.length; cut += 1) {
      const out = assemble([BYTES.subarray(0, cut), BYTES.subarray(cut)]);
      expect(out.text).toBe(`${TEXT}\n`);
      expect(out.bytes).toBe(BYTES.length);
    }
  });

  it('gives the same lines for any split into any number of reads (one byte each included)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: BYTES.length - 1 }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, BYTES.length]) {
          chunks.push(BYTES.subarray(prev, p));
          prev = p;
        }
        const out = assemble(chunks);
        expect(out.text).toBe(`${TEXT}\n`);
        expect(out.lines).toBe(6);
      }),
    );
    const single = assemble([...BYTES].map((b) => Buffer.from([b])));
    expect(single.text).toBe(`${TEXT}\n`);
    expect(single.text).not.toContain('\uFFFD');
  });

  it('emits only whole lines, holding back the start of the next one', () => {
    const a = new LineAssembler();
    expect(a.push(Buffer.from('one\ntw'))).toEqual({ text: 'one\n', bytes: 4, lines: 1 });
    expect(a.held).toBe(2);
    expect(a.push(Buffer.from('o\nthree'))).toEqual({ text: 'two\n', bytes: 4, lines: 1 });
    expect(a.flush()).toEqual({ text: 'three\n', bytes: 5, lines: 1 });
    expect(a.flush()).toEqual({ text: '', bytes: 0, lines: 0 });
  });

  it('cuts a line that grows past the limit without ending, at a character boundary, losing no byte', () => {
    const long = Buffer.from('€'.repeat(10), 'utf8'); // 30 bytes, 3 each
    // Reads of 4 bytes never end on a character boundary here.
    const chunks: Buffer[] = [];
    for (let i = 0; i < long.length; i += 4) chunks.push(long.subarray(i, i + 4));
    const a = new LineAssembler(8);
    const pieces = [...chunks.map((c) => a.push(c)), a.push(Buffer.from('\n'))].filter((p) => p.bytes > 0);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.map((p) => p.text).join('').replace(/\n/g, '')).toBe('€'.repeat(10));
    expect(pieces.every((p) => !p.text.includes('\uFFFD'))).toBe(true);
    expect(pieces.reduce((n, p) => n + p.bytes, 0)).toBe(31);
  });
});

describe('UTF-8 boundaries', () => {
  const b = Buffer.from('a€😀', 'utf8'); // a(1) €(3: 1-3) 😀(4: 4-7)
  it('finds the last whole-character end at or before an offset', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => utf8Boundary(b, i))).toEqual([0, 1, 1, 1, 4, 4, 4, 4, 8]);
  });
  it('finds the first character start at or after an offset', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => utf8Start(b, i))).toEqual([0, 1, 4, 4, 4, 8, 8, 8]);
  });
});
