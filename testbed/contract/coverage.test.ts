// Every recorded transcript folder must be compared by at least one contract test: a new
// folder appearing in testbed/transcripts fails the run until a test uses it.
// A test "uses" a file by naming it as 'folder/file' in a transcript helper call.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { transcript, transcriptFolders, transcriptsDir } from './support/transcripts';

const here = path.dirname(fileURLToPath(import.meta.url));
const HELPERS = /(?:readHttp|readJson|readEvents|transcript)\(\s*'([^']+)'/g;

function referenced(): Set<string> {
  const out = new Set<string>();
  for (const f of fs.readdirSync(here).filter((n) => n.endsWith('.test.ts') && n !== 'coverage.test.ts')) {
    const text = fs.readFileSync(path.join(here, f), 'utf8');
    for (const m of text.matchAll(HELPERS)) out.add(m[1]!);
    // it.each / describe.each tables: ['folder/file.http', …]
    for (const m of text.matchAll(/\[\s*'([a-z-]+\/[^']+\.(?:http|json|jsonl|txt|recordio))'/g)) out.add(m[1]!);
  }
  return out;
}

describe('transcript coverage', () => {
  it('finds the transcripts beside the repo', () => {
    expect(fs.existsSync(transcriptsDir), transcriptsDir).toBe(true);
    expect(transcriptFolders().length).toBeGreaterThan(0);
  });

  it('uses every transcript folder in at least one test', () => {
    const used = new Set([...referenced()].map((r) => r.split('/')[0]!));
    const unused = transcriptFolders().filter((f) => !used.has(f));
    expect(unused, `transcript folders no test compares: ${unused.join(', ')}`).toEqual([]);
  });

  it('names only transcript files that exist', () => {
    for (const r of referenced()) expect(() => transcript(r), r).not.toThrow();
  });
});
