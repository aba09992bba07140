import { describe, expect, it } from 'vitest';
import { matcher } from './output-search';

describe('matcher', () => {
  it('plain text, case-insensitive unless asked; regular expressions; a bad one is refused naming why', () => {
    expect(matcher({ pattern: 'Hello', regex: false, caseSensitive: false })('say hello there')).toBe(true);
    expect(matcher({ pattern: 'Hello', regex: false, caseSensitive: true })('say hello there')).toBe(false);
    expect(matcher({ pattern: 'a.c', regex: false, caseSensitive: false })('abc')).toBe(false);
    expect(matcher({ pattern: 'a.c', regex: true, caseSensitive: false })('ABC')).toBe(true);
    expect(() => matcher({ pattern: '(', regex: true, caseSensitive: false })).toThrow(/not a regular expression/);
  });
});
