import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

// The README's test-API example is electron/test-api.example.int.test.ts, shown verbatim: npm test runs
// that file, and this check fails the moment the two differ, so the example always runs as written.
it("the README's From test code example is the test file that runs, verbatim", async () => {
  const [readme, example] = await Promise.all([readFile('README.md', 'utf8'), readFile('electron/test-api.example.int.test.ts', 'utf8')]);
  const section = readme.slice(readme.indexOf('### From test code'), readme.indexOf('## Quick start'));
  const blocks = [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  expect(blocks).toEqual([example]);
});
