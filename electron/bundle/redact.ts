/**
 * Secrets out of what a bundle holds, in two steps. By name: environment variables and labels whose
 * name looks secret have their value replaced, wherever they sit in a JSON document — `docker
 * inspect`'s `Config.Env` (`NAME=value` strings), Mesos' environment variables (`{ name, value }`),
 * Mesos labels (`{ key, value }`), Docker labels and `env` objects (name → value), `docker run`
 * parameters (`{ key: "env", value: "NAME=value" }`), and the same inside a task status's base64
 * `data` (the Docker executor's `docker inspect`). By value: every value taken out by name is
 * remembered, and then replaced wherever else it appears — in any string of a JSON part, in logs,
 * in task output, in recordings — since a TaskInfo's environment reaches places no name marks (a
 * command line, a log line, a program that printed it).
 */

export const REDACTED = '<redacted>';
const SECRET_NAME = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth|cookie|session|(^|[_.-])key($|[_.-])/i;
/** Shorter values are replaced by name only: replacing every "x" of a log would destroy it. */
export const MIN_VALUE_LENGTH = 4;

/** Mesoscope's own labels (`io.mesoscope.session`, …) name no secret. */
const OWN_LABEL = /^io\.mesoscope\./;

export const isSecretName = (name: string): boolean => !OWN_LABEL.test(name) && SECRET_NAME.test(name);

/** `NAME=value` with a secret-looking name → `NAME=<redacted>` (and `found(value)`). */
export function redactEnvString(entry: string, found?: (value: string) => void): string {
  const eq = entry.indexOf('=');
  if (eq <= 0 || !isSecretName(entry.slice(0, eq))) return entry;
  found?.(entry.slice(eq + 1));
  return `${entry.slice(0, eq + 1)}${REDACTED}`;
}

/** Objects of name → value that hold environments or labels. */
const NAMED_MAPS = new Set(['env', 'environment', 'Env', 'labels', 'Labels']);
/** `docker run` parameters that set an environment variable. */
const ENV_PARAMETERS = new Set(['env', 'e']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A deep copy of `value` with every secret-looking environment value and label replaced by name;
 * each value replaced is passed to `found`.
 */
export function redactSecrets(value: unknown, found?: (value: string) => void): unknown {
  const take = (v: unknown) => {
    if (typeof v === 'string' && v !== '' && v !== REDACTED) found?.(v);
    return REDACTED;
  };
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redactEnvString(v, found) : redactSecrets(v, found)));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = redactSecrets(v, found);
  // A Mesos Environment.Variable: { name, value } (or { name, secret }).
  if (typeof obj.name === 'string' && isSecretName(obj.name)) {
    if ('value' in obj) out.value = take(obj.value);
    if ('secret' in obj) out.secret = take(obj.secret);
  }
  if (typeof obj.key === 'string' && 'value' in obj) {
    // A Mesos Label { key, value }; a Docker parameter { key: "env", value: "NAME=value" }.
    if (isSecretName(obj.key)) out.value = take(obj.value);
    else if (ENV_PARAMETERS.has(obj.key) && typeof obj.value === 'string') out.value = redactEnvString(obj.value, found);
  }
  for (const key of NAMED_MAPS) {
    const map = obj[key];
    if (map && typeof map === 'object' && !Array.isArray(map)) {
      out[key] = Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([n, v]) => [n, isSecretName(n) ? take(v) : redactSecrets(v, found)]));
    }
  }
  // A task status's data: base64, from the Docker executor the JSON of `docker inspect` (with its Env).
  if (typeof obj.data === 'string' && obj.data.length >= 8 && BASE64.test(obj.data)) {
    const decoded = Buffer.from(obj.data, 'base64').toString('utf8');
    try {
      const inner = JSON.parse(decoded) as unknown;
      out.data = Buffer.from(JSON.stringify(redactSecrets(inner, found)), 'utf8').toString('base64');
    } catch {
      // Not JSON: left as it is (the values found elsewhere are still replaced by the Redactor).
    }
  }
  return out;
}

/**
 * Redaction across a whole bundle: `learn` the documents where secrets sit by name first, then pass
 * every part through `json`, `text` or `bytes`; each replaces the values learnt (and `json` the ones
 * it finds by name too).
 */
export class Redactor {
  private readonly values = new Set<string>();
  /** Longest first, so a value that holds another is replaced whole. */
  private sorted: string[] = [];

  /** Values learnt so far (for tests and the count in the docs). */
  get size(): number {
    return this.values.size;
  }

  learn(document: unknown): void {
    redactSecrets(document, (v) => this.add(v));
  }

  /** A copy of a JSON document: secrets replaced by name, then every value learnt replaced in every string. */
  json(document: unknown): unknown {
    return this.scrub(redactSecrets(document, (v) => this.add(v)));
  }

  text(s: string): string {
    let out = s;
    for (const v of this.sorted) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  bytes(buf: Buffer): Buffer {
    let out = buf;
    for (const v of this.sorted) out = replaceAll(out, Buffer.from(v, 'utf8'), Buffer.from(REDACTED));
    return out;
  }

  /** One NDJSON line: parsed and redacted, or (not JSON) its text redacted. */
  line(text: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.text(text);
    }
    return JSON.stringify(this.json(parsed));
  }

  private add(value: string): void {
    if (value.length < MIN_VALUE_LENGTH || value === REDACTED || this.values.has(value)) return;
    this.values.add(value);
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  private scrub(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.scrub(v));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [this.text(k), this.scrub(v)]));
  }
}

function replaceAll(buf: Buffer, needle: Buffer, replacement: Buffer): Buffer {
  let at = buf.indexOf(needle);
  if (at < 0) return buf;
  const pieces: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    pieces.push(buf.subarray(from, at), replacement);
    from = at + needle.length;
    at = buf.indexOf(needle, from);
  }
  pieces.push(buf.subarray(from));
  return Buffer.concat(pieces);
}
