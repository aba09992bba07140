import { parse, stringify, YAMLParseError } from 'yaml';
import type { FieldIssue } from '../validation';
import { type ClusterSpec, validateSpec } from './spec';

export type SpecTextResult = { ok: true; spec: ClusterSpec } | { ok: false; issues: FieldIssue[] };

/** Read a spec written as JSON or YAML (YAML is a superset of JSON, so one parser reads both). */
export function parseSpecText(text: string): SpecTextResult {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const message = err instanceof YAMLParseError ? err.message.split('\n')[0] ?? err.message : String(err);
    return { ok: false, issues: [{ path: '', message: `not valid JSON or YAML: ${message}` }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '', message: 'a spec is an object with at least a name' }] };
  }
  return validateSpec(value);
}

export function specToText(spec: ClusterSpec, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(spec, null, 2)}\n` : stringify(spec);
}
