// Fixtures taken from docs/mesos/api.md's quoted shapes (fixtures/from-api-md.json).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/from-api-md.json');

export function fromApiMd<T = Record<string, unknown>>(key: string): T {
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (!(key in all)) throw new Error(`no fixture ${key}`);
  return all[key] as T;
}
