// What /version reports. The Mesos-shaped fields stay as a 1.12.0 build reports them;
// `build_user` and `git_tag` (both optional fields of Mesos' VersionInfo, docs/mesos/api.md §1.7)
// name the emulator, so a client can tell it from a real Mesos:
//   build_user == "mesoscope-emulator"  and  git_tag == "mesoscope-emulator-<EMULATOR_VERSION>".
import { dbl, sortedObject, type JsonObject } from './common/json';

export const MESOS_VERSION = '1.12.0';
export const EMULATOR_VERSION = '0.1.0';
export const EMULATOR_BUILD_USER = 'mesoscope-emulator';
export const EMULATOR_GIT_TAG = `mesoscope-emulator-${EMULATOR_VERSION}`;

declare const __EMULATOR_BUILD_TIME__: number | undefined;

/** Seconds since the epoch; build.mjs stamps it, a run from source uses the load time. */
const BUILD_TIME: number =
  typeof __EMULATOR_BUILD_TIME__ === 'number' ? __EMULATOR_BUILD_TIME__ : Math.floor(Date.now() / 1000);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-11-21 14:08:20" (UTC), the format of Mesos' build_date. */
export const BUILD_DATE = (() => {
  const d = new Date(BUILD_TIME * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
})();

/** An agent with --synthetic_tasks says so in its git_tag: its tasks are not real. */
export const SYNTHETIC_SUFFIX = '+synthetic-tasks';

/** Field order as `/version` and v1 `VersionInfo` write it. */
export function versionInfo(synthetic = false): JsonObject {
  return {
    version: MESOS_VERSION,
    build_date: BUILD_DATE,
    build_time: dbl(BUILD_TIME),
    build_user: EMULATOR_BUILD_USER,
    git_tag: synthetic ? EMULATOR_GIT_TAG + SYNTHETIC_SUFFIX : EMULATOR_GIT_TAG,
  };
}

/** The version block at the top of /master/state and agent /state (git_tag after version, docs/mesos/api.md §1.2). */
export function versionFieldsV0(synthetic = false): JsonObject {
  const v = versionInfo(synthetic);
  return { version: v.version, git_tag: v.git_tag, build_date: v.build_date, build_time: v.build_time, build_user: v.build_user };
}

/** /version: stout JSON::Object, so sorted keys (transcripts/http/version.http). */
export function versionV0(synthetic = false): JsonObject {
  return sortedObject(versionInfo(synthetic));
}
