import { describe, expect, it } from 'vitest';
import { Duration, parseDuration } from '../src/common/durations';

describe('durations (stout Duration)', () => {
  it.each([
    ['1secs', 1e9],
    ['15secs', 15e9],
    ['2mins', 120e9],
    ['10ms', 10e6],
    ['0ns', 0],
    ['1.5hrs', 5400e9],
    ['2weeks', 14 * 86400e9],
    ['3days', 3 * 86400e9],
    ['7us', 7000],
  ])('parses %s', (text, ns) => {
    const d = parseDuration(text);
    expect(d).toBeInstanceOf(Duration);
    expect((d as Duration).ns).toBe(ns);
  });

  it.each([
    ['1secs', '1secs'],
    ['1000ms', '1secs'],
    ['90secs', '1.5mins'],
    ['600secs', '10mins'],
    ['14days', '2weeks'],
    ['6hrs', '6hrs'],
    ['0ns', '0ns'],
  ])('prints %s as %s', (text, printed) => {
    expect(String(parseDuration(text))).toBe(printed);
  });

  it('rejects what stout rejects, with its wording', () => {
    expect((parseDuration('5') as Error).message).toBe("Invalid duration '5'");
    expect((parseDuration('5sec') as Error).message).toBe("Unknown duration unit 'sec'");
    expect(parseDuration('secs')).toBeInstanceOf(Error);
  });
});
