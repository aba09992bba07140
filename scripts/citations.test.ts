import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '@shared/doctor/rules';
import { anchorOfHeading, anchorOfRow, citationsOfRuleRefs, parseCitation, splitFaultRows, type ReferenceDoc } from '../renderer/src/features/reference/citation';

const root = new URL('../', import.meta.url);
const doc = (name: ReferenceDoc) => readFileSync(new URL(`docs/mesos/${name}.md`, root), 'utf8');

/** The ids the Reference view gives a document: its numbered headings and its numbered table rows. */
function anchors(name: ReferenceDoc): Set<string> {
  const ids = new Set<string>();
  for (const line of doc(name).split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const row = /^\|([^|]*)\|/.exec(line);
    const id = heading ? anchorOfHeading(heading[1]!) : row ? anchorOfRow(row[1]!) : null;
    if (id) ids.add(id);
  }
  return ids;
}

describe('citations of docs/mesos', () => {
  it('reads the forms the code and the UI write', () => {
    expect(parseCitation('api.md §9 #17')).toEqual({ doc: 'api', anchor: 'row-17', label: 'api.md §9 #17' });
    expect(parseCitation('docs/mesos/api.md §9 row 5')).toMatchObject({ doc: 'api', anchor: 'row-5' });
    expect(parseCitation('api.md §0.13')).toMatchObject({ doc: 'api', anchor: 'sec-0.13' });
    expect(parseCitation('faults.md row 6b')).toMatchObject({ doc: 'faults', anchor: 'row-6b' });
    expect(parseCitation('faults.md 12')).toMatchObject({ doc: 'faults', anchor: 'row-12' });
    expect(parseCitation('README.md §1')).toBeNull();
    expect(splitFaultRows('12 (partition-aware: 10)')).toEqual([
      { doc: 'faults', anchor: 'row-12', label: '12' },
      ' (partition-aware: ',
      { doc: 'faults', anchor: 'row-10', label: '10' },
      ')',
    ]);
  });

  it('every citation in a tracked file points at a section or row that exists', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => /\.(ts|tsx|md|json)$/.test(f) && !f.startsWith('docs/mesos/') && !f.startsWith('.ci/'));
    const known = { api: anchors('api'), faults: anchors('faults'), images: anchors('images') };
    const pattern = /(?:docs\/mesos\/)?(?:api\.md §\d+(?:\.\d+)?(?: (?:#|rows? )\d+)?|faults\.md row \d+[a-z]?)/g;
    const broken: string[] = [];
    let seen = 0;
    for (const file of files) {
      for (const [text] of readFileSync(new URL(file, root), 'utf8').matchAll(pattern)) {
        const citation = parseCitation(text);
        seen += 1;
        if (!citation || (citation.anchor && !known[citation.doc].has(citation.anchor))) broken.push(`${file}: ${text}`);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  it("every doctor rule's references and every fault card's rows exist", () => {
    const known = { api: anchors('api'), faults: anchors('faults'), images: anchors('images') };
    const cited = RULES.flatMap((r) => citationsOfRuleRefs(r.refs));
    expect(cited.length).toBeGreaterThan(RULES.length);
    expect(cited.filter((c) => !known[c.doc].has(c.anchor!))).toEqual([]);
    expect(known.api.has('row-27') && known.faults.has('row-18') && known.faults.has('row-6b')).toBe(true);
  });
});
