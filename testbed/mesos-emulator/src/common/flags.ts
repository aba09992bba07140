// Flag loading as stout's FlagsBase::load("MESOS_", argc, argv) does it: defaults, then
// MESOS_* environment variables, then the command line (which wins). `--foo=bar`,
// `--foo` / `--no-foo` for booleans, `-` and `_` interchangeable, `file://` values.
import fs from 'node:fs';
import { parseDuration, type Duration } from './durations';

export type FlagKind = 'string' | 'bool' | 'int' | 'double' | 'duration';

export interface FlagDef {
  name: string;
  kind: FlagKind;
  /** Rendered default; flags without one are shown only once set (like stout's Option<T>). */
  default?: string;
  required?: boolean;
}

type Parsed = string | boolean | number | Duration;

export class Flags {
  constructor(
    private readonly defs: Map<string, FlagDef>,
    private readonly values: Map<string, Parsed>,
    /** Command-line flags no definition knows, kept as strings (shown in /flags). */
    readonly unknown: Map<string, string>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  str(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : typeof v === 'string' ? v : render(v);
  }

  bool(name: string): boolean {
    const v = this.values.get(name);
    return v === true;
  }

  int(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  duration(name: string): Duration | undefined {
    const v = this.values.get(name);
    return typeof v === 'object' ? v : undefined;
  }

  /** name → value string, sorted by name: the `flags` object of /flags and /state. */
  display(): Record<string, string> {
    const all: Record<string, string> = {};
    for (const [name, v] of this.values) all[name] = render(v);
    for (const [name, v] of this.unknown) all[name] = v;
    const out: Record<string, string> = {};
    for (const name of Object.keys(all).sort()) out[name] = all[name]!;
    return out;
  }

  /** `--a="1" --b="x"`, as logged at startup ("Flags at startup: …"). */
  startupLine(): string {
    return Object.entries(this.display())
      .map(([k, v]) => `--${k}="${v}"`)
      .join(' ');
  }

  def(name: string): FlagDef | undefined {
    return this.defs.get(name);
  }
}

function render(v: Parsed): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return v.toString();
}

function parseValue(def: FlagDef, raw: string): Parsed | Error {
  let text = raw;
  if (text.startsWith('file://')) {
    try {
      text = fs.readFileSync(text.slice('file://'.length), 'utf8').trim();
    } catch (e) {
      return new Error(`Error reading file '${text.slice('file://'.length)}': ${(e as Error).message}`);
    }
  }
  switch (def.kind) {
    case 'string':
      return text;
    case 'bool':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return new Error(`Failed to parse boolean: '${text}'`);
    case 'int': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n)) return new Error(`Failed to convert '${text}' to number`);
      return n;
    }
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) return new Error(`Failed to convert '${text}' to number`);
      return n;
    }
    case 'duration':
      return parseDuration(text);
  }
}

const normalize = (name: string) => name.replace(/-/g, '_');

export function loadFlags(
  defList: FlagDef[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Flags | Error {
  const defs = new Map(defList.map((d) => [d.name, d]));
  const values = new Map<string, Parsed>();
  const unknown = new Map<string, string>();

  for (const d of defList) {
    if (d.default === undefined) continue;
    const v = parseValue(d, d.default);
    if (v instanceof Error) throw new Error(`bad default for ${d.name}: ${v.message}`);
    values.set(d.name, v);
  }

  const set = (def: FlagDef, raw: string): Error | undefined => {
    const v = parseValue(def, raw);
    if (v instanceof Error) return new Error(`Failed to load flag '${def.name}': Failed to load value '${raw}': ${v.message}`);
    values.set(def.name, v);
    return undefined;
  };

  // Environment first: MESOS_FOO_BAR for each known flag.
  for (const d of defList) {
    const raw = env[`MESOS_${d.name.toUpperCase()}`];
    if (raw === undefined) continue;
    const err = set(d, raw);
    if (err) return err;
  }

  const seen = new Set<string>();
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue; // stout ignores non-flag arguments
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    let name = normalize(eq < 0 ? body : body.slice(0, eq));
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    let negated = false;
    if (!defs.has(name) && name.startsWith('no_') && defs.has(name.slice(3))) {
      negated = true;
      name = name.slice(3);
    }
    if (seen.has(name)) return new Error(`Flag '${name}' is already loaded via name '${name}'`);
    seen.add(name);

    const def = defs.get(name);
    if (!def) {
      // Unknown flags are kept as strings (see README: real Mesos rejects them on the command line).
      if (name.startsWith('no_') && value === undefined) unknown.set(name.slice(3), 'false');
      else unknown.set(name, value ?? 'true');
      continue;
    }
    if (def.kind === 'bool') {
      if (negated) {
        if (value !== undefined) return new Error(`Failed to load boolean flag '${name}' via 'no-${name}' with value '${value}'`);
        values.set(name, false);
      } else {
        const err = set(def, value ?? 'true');
        if (err) return err;
      }
    } else {
      if (negated) return new Error(`Failed to load non-boolean flag '${name}' via 'no-${name}'`);
      if (value === undefined) return new Error(`Failed to load non-boolean flag '${name}': Missing value`);
      const err = set(def, value);
      if (err) return err;
    }
  }

  for (const d of defList) {
    if (d.required && !values.has(d.name)) return new Error(`Flag '${d.name}' is required, but it was not provided`);
  }
  return new Flags(defs, values, unknown);
}

/** `{port: 5050, zk: 'zk://…', 'no-switch_user': true}` → argv; convenient for in-process starts. */
export function flagsToArgv(flags: Readonly<Record<string, string | number | boolean>>): string[] {
  return Object.entries(flags).map(([k, v]) => {
    if (v === true) return `--${k}`;
    if (v === false) return `--no-${k}`;
    return `--${k}=${v}`;
  });
}
