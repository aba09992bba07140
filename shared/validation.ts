import type { z } from 'zod';
import { ApiError } from './errors';

export interface FieldIssue {
  /** e.g. `agents.list[2].resources.mem`; empty for the value as a whole */
  path: string;
  message: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    // A key the schema does not know is named itself, not its parent (`masters.flgas`, not `masters`).
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'is not a field here' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/** One line per issue, each naming the field: `dockerEndpoint: must be unix:///path…`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** An `invalid-input` ApiError whose message names each offending field. */
export function invalidInput(what: string, error: z.ZodError): ApiError {
  const issues = fieldIssues(error);
  return new ApiError('invalid-input', `${what}: ${describeIssues(issues)}`, { issues });
}
