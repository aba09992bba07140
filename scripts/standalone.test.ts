import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands on its own: a clone has nothing beside it, so no tracked file may reach outside it
 * into the team's reference folder next to our checkouts (named below without being spelled out, so that
 * this file passes its own check). Only `.ci/`, which runs on our own machines, may.
 */
const OUTSIDE = ['..', 'shared'].join('/');
describe('the repository stands on its own', () => {
  it(`no tracked file outside .ci/ names ${OUTSIDE}`, () => {
    const root = new URL('../', import.meta.url);
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && !f.startsWith('.ci/'));
    expect(files.length).toBeGreaterThan(100);
    const naming = files.filter((f) => {
      const bytes = readFileSync(new URL(f, root));
      return bytes.includes(OUTSIDE);
    });
    expect(naming).toEqual([]);
  });
});

describe('tests never change tracked files', () => {
  it('no e2e spec writes a screenshot into docs/ (they go to test-results/; `npm run screenshots` copies them)', () => {
    const root = new URL('../', import.meta.url);
    const specs = execFileSync('git', ['ls-files', '-z', 'e2e'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f.endsWith('.ts'));
    expect(specs.length).toBeGreaterThan(5);
    const writing = specs.filter((f) => /screenshot\(\{[^}]*path:\s*[`'"]docs\//.test(readFileSync(new URL(f, root), 'utf8')));
    expect(writing).toEqual([]);
  });
});
