import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, pieces, toBase64 } from './bytes';

describe('terminal bytes', () => {
  it('base64 round-trips any bytes, in the standard alphabet', () => {
    expect(toBase64(Uint8Array.of(0, 255, 1, 0xfb, 0xff))).toBe('AP8B+/8=');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100_000 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(fromBase64(text)).toEqual(bytes);
      }),
      { numRuns: 50 },
    );
  });

  it('cuts input into pieces of the bound, nothing lost', () => {
    const bytes = Uint8Array.from({ length: 150_000 }, (_, i) => i % 251);
    const parts = pieces(bytes, 65_536);
    expect(parts.map((p) => p.length)).toEqual([65_536, 65_536, 18_928]);
    expect(Uint8Array.from(parts.flatMap((p) => [...p]))).toEqual(bytes);
    expect(pieces(new Uint8Array(0), 10)).toEqual([]);
  });
});
