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

it('keys each row by its place on screen: a scroll keeps the same keys, in the same order (React then never moves an element)', () => {
  const keys = (top: number) => rowsOnScreen({ top, height: 90 }, 1000, 18, 2).map((r) => r.key);
  const screen = keys(180);
  expect(screen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  for (const top of [180 + 3 * 18, 180 + 18 * 250, 18 * 500 + 7]) expect(keys(top).slice(0, screen.length)).toEqual(screen);
  // Part rows at both edges (the most a box shows): one more row, one more key.
  expect(keys(9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(keys(18 * 500 + 9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
