import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where skipped suites are listed for the test runner's summary (scripts/run-tests.mjs). */
export const SKIPPED_SUITES_FILE = fileURLToPath(new URL('../../test-results/skipped-suites.txt', import.meta.url));

/**
 * Whether a suite must be skipped because what it needs is missing here (`missing`: why, or null when all is
 * there). A skip is never silent: it is printed with its reason and listed for the summary. Under CI the
 * equipment must be there, so a would-be skip throws instead and the suite fails with the reason.
 */
export function skipSuite(suite: string, missing: string | null): boolean {
  if (missing === null) return false;
  const line = `${suite}: ${missing}`;
  if (process.env.CI) throw new Error(`${line} (CI=true: this suite must run, not skip)`);
  console.warn(`[skipped] ${line}`);
  mkdirSync(fileURLToPath(new URL('.', `file://${SKIPPED_SUITES_FILE}`)), { recursive: true });
  appendFileSync(SKIPPED_SUITES_FILE, `${line}\n`);
  return true;
}
