/**
 * Mesos versions as the rule table uses them: `1.12.0`, `1.11.0-rc1`, `1.5` → comparable triples.
 * When a cluster's version is unknown the doctor assumes the reference version, the one the
 * catalogue and the recordings come from (docs/mesos/api.md: 1.12.0, development line), and says so.
 */

export const REFERENCE_MESOS_VERSION = '1.12.0';

export type Version = readonly [number, number, number];

export function parseVersion(text: string): Version | null {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** `min` inclusive, `below` exclusive; either may be absent. */
export function inRange(version: Version, range: { min?: string; below?: string }): boolean {
  const min = range.min ? parseVersion(range.min) : null;
  const below = range.below ? parseVersion(range.below) : null;
  if (min && compareVersions(version, min) < 0) return false;
  if (below && compareVersions(version, below) >= 0) return false;
  return true;
}
