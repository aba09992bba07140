/**
 * Citations of the project's Mesos notes (docs/mesos/*.md) as the UI and the code write them, and where each
 * points in its document: "api.md §9 #17" (row 17 of section 9's table), "api.md §0.13" (a section),
 * "faults.md 12" or "faults.md row 6b" (a row of the fault table). The Reference view gives headings and table
 * rows the same ids (`anchorOfHeading`, `anchorOfRow`), so a citation opens at what it cites.
 */

export const REFERENCE_DOCS = ['api', 'faults', 'images'] as const;
export type ReferenceDoc = (typeof REFERENCE_DOCS)[number];

export interface Citation {
  doc: ReferenceDoc;
  /** The element id in the rendered document; null: the document's top. */
  anchor: string | null;
  /** As shown to the user. */
  label: string;
}

const SECTION = /^(\d+(?:\.\d+)?)\b/;
const ROW = /^(\d+[a-z]?)$/;

/** The id of a heading whose text starts with its section number ("9. Why a task died" → "sec-9"). */
export function anchorOfHeading(text: string): string | null {
  const m = SECTION.exec(text.trim());
  return m ? `sec-${m[1]!.replace(/\.$/, '')}` : null;
}

/** The id of a table row whose first cell is a row number ("17", "6b" → "row-17", "row-6b"). */
export function anchorOfRow(firstCell: string): string | null {
  const m = ROW.exec(firstCell.trim());
  return m ? `row-${m[1]}` : null;
}

/**
 * Reads one citation: `api.md §9 #17`, `api.md §9 row 17`, `api.md §2.3`, `faults.md 12`, `faults.md row 6b`,
 * optionally prefixed `docs/mesos/`. Null for anything else, so a caller shows plain text rather than a
 * link to the wrong place.
 */
export function parseCitation(text: string): Citation | null {
  const t = text.trim().replace(/^docs\/mesos\//, '');
  let m = /^api\.md §(\d+(?:\.\d+)?)(?:\s+(?:#|rows? )(\d+))?$/.exec(t);
  if (m) {
    const [, section, row] = m;
    return { doc: 'api', anchor: row && section === '9' ? `row-${row}` : `sec-${section}`, label: t };
  }
  m = /^faults\.md(?:\s+(?:row\s+)?(\d+[a-z]?))?$/.exec(t);
  if (m) return { doc: 'faults', anchor: m[1] ? `row-${m[1]}` : null, label: t };
  if (t === 'images.md') return { doc: 'images', anchor: null, label: t };
  return null;
}

/**
 * A fault card's rows ("12", "12 (partition-aware: 10)", "api.md §9 #17") cut into text and citations, in
 * order, so that each row number can be a link of its own.
 */
export function splitFaultRows(rows: string): Array<string | Citation> {
  const whole = rows.startsWith('api.md') ? parseCitation(rows) : null;
  if (whole) return [whole];
  return rows
    .split(/(\b\d+[a-z]?\b)/)
    .filter((part) => part !== '')
    .map((part) => (ROW.test(part) ? { doc: 'faults' as const, anchor: `row-${part}`, label: part } : part));
}

/** A doctor rule's references (rows of api.md §9 and of faults.md) as citations. */
export function citationsOfRuleRefs(refs: { api: readonly number[]; faults: readonly string[] }): Citation[] {
  return [
    ...refs.api.map((row) => ({ doc: 'api' as const, anchor: `row-${row}`, label: `api.md §9 #${row}` })),
    ...refs.faults.map((row) => ({ doc: 'faults' as const, anchor: `row-${row}`, label: `faults.md ${row}` })),
  ];
}
