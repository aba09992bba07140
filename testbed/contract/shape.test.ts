// The comparison helpers must catch what they claim to catch.
import { describe, expect, it } from 'vitest';
import { compareShape } from './support/shape';
import { parseHttp } from './support/transcripts';

describe('compareShape', () => {
  it('reports missing and unexpected keys, type and enum differences', () => {
    const expected = { a: 1, b: { c: 'x' }, e: 'TASK_RUNNING', l: [{ k: 1 }] };
    expect(compareShape(expected, { a: 1, b: { c: 'y' }, e: 'TASK_RUNNING', l: [{ k: 2 }] })).toEqual([]);
    expect(compareShape(expected, { a: '1', b: {}, e: 'TASK_FAILED', l: [{ k: 1, z: 0 }], q: 1 })).toEqual([
      'a: expected number, got string',
      'b.c: missing',
      'e: expected enum TASK_RUNNING, got TASK_FAILED',
      'l[].z: unexpected',
      'q: unexpected',
    ]);
  });

  it('treats empty against non-empty arrays as a difference unless allowed', () => {
    expect(compareShape({ l: [1] }, { l: [] })).toEqual(['l: expected 1 item(s), got 0']);
    expect(compareShape({ l: [1] }, { l: [] }, { allowEmptyMismatch: ['l'] })).toEqual([]);
  });
});

describe('parseHttp', () => {
  it('reads CRLF and LF transcripts', () => {
    const crlf = parseHttp(Buffer.from('HTTP/1.1 307 Temporary Redirect\r\nLocation: //h:1\r\nContent-Length: 0\r\n\r\n'));
    expect([crlf.status, crlf.header('location'), crlf.body.length]).toEqual([307, '//h:1', 0]);
    const lf = parseHttp(Buffer.from('HTTP/1.1 200 OK\nContent-Length: 2\n\n{}'));
    expect([lf.status, lf.body.toString()]).toEqual([200, '{}']);
  });
});
