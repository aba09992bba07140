import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReadBody } from './agent-client';

/** The body Mesos writes for /files/read: raw bytes in a JSON string, control characters escaped (docs/mesos/api.md §5.2). */
function mesosBody(offset: number, data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('{"data":"')];
  for (const b of data) {
    const esc = b === 0x22 ? '\\"' : b === 0x5c ? '\\\\' : b === 0x0a ? '\\n' : b === 0x09 ? '\\t' : b === 0x0d ? '\\r' : b === 0x08 ? '\\b' : b === 0x0c ? '\\f' : b < 0x20 ? `\\u${b.toString(16).padStart(4, '0')}` : undefined;
    parts.push(esc === undefined ? Buffer.from([b]) : Buffer.from(esc));
  }
  parts.push(Buffer.from(`","offset":${offset}}`));
  return Buffer.concat(parts);
}

describe('decodeReadBody', () => {
  it('gives back exactly the bytes Mesos put in the JSON string, whatever they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), (bytes, offset) => {
        const data = Buffer.from(bytes);
        expect(decodeReadBody(mesosBody(offset, data))).toEqual({ offset, data });
      }),
    );
  });

  it('reads the recorded answers of a real Mesos', () => {
    expect(decodeReadBody(Buffer.from('{"data":"line-1\\nlin","offset":0}'))).toEqual({ offset: 0, data: Buffer.from('line-1\nlin') });
    expect(decodeReadBody(Buffer.from('{"data":"","offset":35}'))).toEqual({ offset: 35, data: Buffer.alloc(0) });
    expect(decodeReadBody(Buffer.from('{"offset":3,"data":"a\\/b"}'))).toEqual({ offset: 3, data: Buffer.from('a/b') });
  });

  it('leaves what it cannot read to JSON.parse', () => {
    expect(decodeReadBody(Buffer.from('{"data":"\\u20ac","offset":0}'))).toBeUndefined();
    expect(decodeReadBody(Buffer.from('not json'))).toBeUndefined();
    expect(decodeReadBody(Buffer.from('{"data":"unterminated'))).toBeUndefined();
  });
});
