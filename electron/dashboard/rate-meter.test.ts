import { expect, it } from 'vitest';
import { RateMeter } from './rate-meter';

it('counts what happened in about the last second, older counts fading by e each second', () => {
  let now = 0;
  const meter = new RateMeter(() => now);
  expect(meter.add(100)).toBe(100);
  now = 1000;
  expect(meter.add(0)).toBeCloseTo(100 / Math.E, 6);
  now = 11_000;
  expect(meter.add(5)).toBeCloseTo(5, 2);
});
