import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord, RecordIODecoder, RecordIOError } from './recordio';
import { jsonLines, transcriptBytes } from './transcripts.test-support';

const text = (records: Buffer[]) => records.map((r) => r.toString('utf8'));

/** Splits `bytes` at the given cut points. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  out.push(bytes.subarray(start));
  return out;
}

describe('RecordIODecoder', () => {
  it('decodes one record delivered whole', () => {
    const d = new RecordIODecoder();
    expect(text(d.push(encodeRecord('{"type":"HEARTBEAT"}')))).toEqual(['{"type":"HEARTBEAT"}']);
    expect(d.idle).toBe(true);
  });

  it('decodes several records in one chunk', () => {
    const d = new RecordIODecoder();
    const chunk = Buffer.concat([encodeRecord('a'), encodeRecord('bb'), encodeRecord('{"x":1}')]);
    expect(text(d.push(chunk))).toEqual(['a', 'bb', '{"x":1}']);
  });

  it('joins a record split across chunks, including inside its length and right after the newline', () => {
    const d = new RecordIODecoder();
    const bytes = encodeRecord('x'.repeat(1234));
    expect(d.push(bytes.subarray(0, 1))).toEqual([]); // "1" of "1234"
    expect(d.push(bytes.subarray(1, 5))).toEqual([]); // "234\n"
    expect(d.push(bytes.subarray(5, 600))).toEqual([]);
    expect(d.idle).toBe(false);
    expect(text(d.push(bytes.subarray(600)))).toEqual(['x'.repeat(1234)]);
  });

  it('keeps a multi-byte UTF-8 character cut across chunk borders intact (the length counts bytes)', () => {
    const payload = '{"m":"Grüße → 🚀 ok"}';
    const bytes = encodeRecord(payload);
    expect(bytes.length).toBeGreaterThan(payload.length + 3); // bytes, not JS characters
    // Cut inside the 4-byte rocket and inside the 3-byte arrow.
    const rocket = bytes.indexOf(Buffer.from('🚀'));
    const arrow = bytes.indexOf(Buffer.from('→'));
    const d = new RecordIODecoder();
    const out = [
      ...d.push(bytes.subarray(0, arrow + 1)),
      ...d.push(bytes.subarray(arrow + 1, rocket + 2)),
      ...d.push(bytes.subarray(rocket + 2, rocket + 3)),
      ...d.push(bytes.subarray(rocket + 3)),
    ];
    expect(text(out)).toEqual([payload]);
  });

  it('gives the same records for any chunking (property)', () => {
    const payloads = ['{"type":"SUBSCRIBED"}', 'é', '🚀🚀', 'x'.repeat(300), '{"a":"\\n"}'];
    const whole = Buffer.concat(payloads.map((p) => encodeRecord(p)));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (points) => {
        const d = new RecordIODecoder();
        const out = cut(whole, points).flatMap((c) => d.push(c));
        expect(text(out)).toEqual(payloads);
        expect(d.idle).toBe(true);
      }),
    );
  });

  it('decodes the recorded scheduler and operator streams into the recorded events, byte by byte', () => {
    for (const [stream, events] of [
      ['basic/sched.stream.recordio', 'basic/sched.events.jsonl'],
      ['ha/operator-m1.stream.recordio', 'ha/operator-m1.events.jsonl'],
    ] as const) {
      const bytes = transcriptBytes(stream);
      const d = new RecordIODecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += 7) out.push(...d.push(bytes.subarray(i, i + 7)));
      d.end();
      const expected = jsonLines<{ event: unknown }>(events).map((e) => e.event);
      expect(out.map((r) => JSON.parse(r.toString('utf8')) as unknown)).toEqual(expected);
    }
  });

  it.each([
    ['letters in the length', 'abc\n{}', /malformed record length "a"/],
    ['a negative length', '-5\nhello', /malformed record length "-"/],
    ['a length with spaces', '12 \n', /malformed record length "12 "/],
    ['an empty length line', '\n{}', /an empty line/],
    ['a zero length', '0\n', /records are never empty/],
    ['a length of more than 20 digits', `${'9'.repeat(21)}\n`, /malformed record length/],
  ])('refuses %s with a clear RecordIOError', (_name, input, message) => {
    const d = new RecordIODecoder();
    let caught: unknown;
    try {
      d.push(Buffer.from(input, 'utf8'));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RecordIOError);
    expect((caught as Error).message).toMatch(/^RecordIO: /);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toMatch(/at byte \d+$/);
    // It stays failed: later bytes cannot resynchronise a broken stream.
    expect(() => d.push(encodeRecord('{}'))).toThrow(RecordIOError);
  });

  it('refuses a record larger than its limit before buffering it', () => {
    const d = new RecordIODecoder(1024);
    expect(() => d.push(Buffer.from('999999\n'))).toThrow(/record of 999999 bytes exceeds the limit of 1024/);
  });

  it('reports a stream that ends inside a record', () => {
    const d = new RecordIODecoder();
    d.push(Buffer.from('10\nabc'));
    expect(() => d.end()).toThrow(/stream ended inside a record: 3 of 10 bytes/);
    const e = new RecordIODecoder();
    e.push(Buffer.from('12'));
    expect(() => e.end()).toThrow(/inside a record length "12"/);
  });
});
