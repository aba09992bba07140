// Structural comparison of a recorded JSON value with the emulator's: same keys
// (recursively), same JSON types, and identical UPPER_SNAKE strings (enum spellings).
// Paths look like `slaves[].resources.cpus`.

export interface ShapeOptions {
  /** Keys the emulator may leave out (present in the recording only). */
  allowMissing?: string[];
  /** Keys the emulator may add (absent from the recording). */
  allowExtra?: string[];
  /** Subtrees not compared at all. */
  ignore?: string[];
  /** Arrays that may be empty on one side only (e.g. tasks, which need the scheduler API). */
  allowEmptyMismatch?: string[];
  /** Compare enum-like strings (default true). */
  enums?: boolean;
}

const ENUM = /^[A-Z][A-Z0-9_]+$/;

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function compareShape(expected: unknown, actual: unknown, opts: ShapeOptions = {}): string[] {
  const diffs: string[] = [];
  walk(expected, actual, '', opts, diffs);
  return diffs;
}

function matches(list: string[] | undefined, path: string): boolean {
  return (list ?? []).some((p) => p === path);
}

function walk(e: unknown, a: unknown, path: string, opts: ShapeOptions, diffs: string[]): void {
  if (matches(opts.ignore, path)) return;
  const ke = kind(e);
  const ka = kind(a);
  if (ke !== ka) {
    diffs.push(`${path || '<root>'}: expected ${ke}, got ${ka}`);
    return;
  }
  if (ke === 'string' && opts.enums !== false && ENUM.test(e as string) && e !== a) {
    diffs.push(`${path}: expected enum ${String(e)}, got ${String(a)}`);
    return;
  }
  if (ke === 'array') {
    const ea = e as unknown[];
    const aa = a as unknown[];
    const p = `${path}[]`;
    if ((ea.length === 0) !== (aa.length === 0)) {
      if (!matches(opts.allowEmptyMismatch, path)) {
        diffs.push(`${path}: expected ${ea.length} item(s), got ${aa.length}`);
      }
      return;
    }
    aa.forEach((item, i) => walk(ea[Math.min(i, ea.length - 1)], item, p, opts, diffs));
    return;
  }
  if (ke === 'object') {
    const eo = e as Record<string, unknown>;
    const ao = a as Record<string, unknown>;
    for (const key of Object.keys(eo)) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in ao)) {
        if (!matches(opts.allowMissing, p) && !matches(opts.ignore, p)) diffs.push(`${p}: missing`);
        continue;
      }
      walk(eo[key], ao[key], p, opts, diffs);
    }
    for (const key of Object.keys(ao)) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in eo) && !matches(opts.allowExtra, p) && !matches(opts.ignore, p)) diffs.push(`${p}: unexpected`);
    }
  }
}
