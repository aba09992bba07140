/**
 * Secret-looking environment values out of what a bundle holds: `docker inspect`'s `Config.Env`
 * (`NAME=value` strings) and Mesos' environment variables (`{ name, value }`), wherever they sit in
 * a JSON document. A name is secret-looking when it contains one of the words below.
 */

export const REDACTED = '<redacted>';
const SECRET_NAME = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth|cookie|session/i;

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** `NAME=value` with a secret-looking name → `NAME=<redacted>`. */
export function redactEnvString(entry: string): string {
  const eq = entry.indexOf('=');
  return eq > 0 && isSecretName(entry.slice(0, eq)) ? `${entry.slice(0, eq + 1)}${REDACTED}` : entry;
}

/** A deep copy of `value` with every secret-looking environment value replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redactEnvString(v) : redactSecrets(v)));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = redactSecrets(v);
  // A Mesos Environment.Variable: { name, value } (or { name, secret }).
  if (typeof obj.name === 'string' && isSecretName(obj.name)) {
    if ('value' in obj) out.value = REDACTED;
    if ('secret' in obj) out.secret = REDACTED;
  }
  // An object of NAME: value pairs under an env key (Mesoscope's own run requests).
  for (const key of ['env', 'environment', 'Env']) {
    const env = obj[key];
    if (env && typeof env === 'object' && !Array.isArray(env)) {
      out[key] = Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([n, v]) => [n, isSecretName(n) ? REDACTED : redactSecrets(v)]));
    }
  }
  return out;
}
