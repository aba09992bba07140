import { expect, it } from 'vitest';
import { rowsOnScreen } from './use-fixed-rows';

const indexes = (rows: Array<{ index: number }>) => rows.map((r) => r.index);

it('finds the rows on screen by arithmetic, with the overscan beyond each edge, within the count', () => {
  // A 90 px box over 18 px rows, scrolled to 180 px: rows 10 to 14 on screen, 2 more each side.
  expect(indexes(rowsOnScreen({ top: 180, height: 90 }, 1000, 18, 2))).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
  expect(rowsOnScreen({ top: 180, height: 90 }, 1000, 18, 0)[0]).toMatchObject({ index: 10, start: 180 });
  // Part of a row showing at either edge counts.
  expect(indexes(rowsOnScreen({ top: 9, height: 18 }, 1000, 18, 0))).toEqual([0, 1]);
  // At the top and the end, the overscan stops at the first and last rows.
  expect(indexes(rowsOnScreen({ top: 0, height: 36 }, 3, 18, 6))).toEqual([0, 1, 2]);
  expect(rowsOnScreen({ top: 0, height: 0 }, 0, 18, 6)).toEqual([]);
});

it('at the end of 200,000 rows, makes only the rows shown there', () => {
  expect(rowsOnScreen({ top: 18 * 199_990, height: 180 }, 200_000, 18, 6).map((r) => r.index)).toEqual(Array.from({ length: 16 }, (_, i) => 199_984 + i));
});

it('keys each row by its slot on screen: rows scrolled in take the keys of those scrolled out, the others keep theirs', () => {
  const keysAt = (top: number) => new Map(rowsOnScreen({ top, height: 90 }, 1000, 18, 2).map((r) => [r.index, r.key]));
  const before = keysAt(180);
  const after = keysAt(180 + 3 * 18); // three rows further
  expect(new Set(after.values()).size).toBe(after.size);
  for (const [index, key] of after) if (before.has(index)) expect(key).toBe(before.get(index));
  const gone = [...before.keys()].filter((i) => !after.has(i)).map((i) => before.get(i));
  const came = [...after.keys()].filter((i) => !before.has(i)).map((i) => after.get(i));
  // One slot more than a row-aligned screen needs (for part rows at both edges): at most one new key.
  expect(came.filter((k) => !gone.includes(k)).length).toBeLessThanOrEqual(1);
  expect(came.length).toBe(3);
  // Part rows at both edges (the most a box shows) still get keys of their own.
  const partly = rowsOnScreen({ top: 9, height: 90 }, 1000, 18, 2);
  expect(new Set(partly.map((r) => r.key)).size).toBe(partly.length);
});
