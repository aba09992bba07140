/**
 * The images the integration and e2e suites start clusters from. By default the Mesos emulator stands
 * in for Mesos; `MESOSCOPE_TEST_MESOS_IMAGE=mesoscope/mesos:1.12.0` runs the same suites on real Apache
 * Mesos (built by testbed/images/build.sh from MESOS_DIST). A test that must say which one it faces
 * reads ON_REAL_MESOS instead of assuming.
 */

/** MESOSCOPE_TEST_EMULATOR_IMAGE: an emulator image built under another tag (a branch's changes, beside the shared one). */
export const EMULATOR_IMAGE = process.env.MESOSCOPE_TEST_EMULATOR_IMAGE?.trim() || 'mesoscope/mesos-emulator:test';
export const REAL_MESOS_IMAGE = 'mesoscope/mesos:1.12.0';

export const MESOS_TEST_IMAGE = process.env.MESOSCOPE_TEST_MESOS_IMAGE?.trim() || EMULATOR_IMAGE;
export const ON_REAL_MESOS = MESOS_TEST_IMAGE !== EMULATOR_IMAGE;
/** For test titles and messages: which Mesos a suite ran on. */
export const MESOS_KIND = ON_REAL_MESOS ? `real Mesos (${MESOS_TEST_IMAGE})` : 'the emulator';

export const TEST_IMAGES = {
  zookeeper: 'mesoscope/zookeeper:test',
  master: MESOS_TEST_IMAGE,
  agent: MESOS_TEST_IMAGE,
} as const;
