import { defineConfig } from 'vitest/config';
import base from './vitest.config';
import { REAL_MESOS_IMAGE } from './testbed/real-mesos/images';

/**
 * The real-Mesos test project (testbed/real-mesos/README.md): suites that also run on the emulator,
 * run again with real Apache Mesos in place of it. `npm test` runs it when mesoscope/mesos:1.12.0 exists.
 */
export const REAL_MESOS_SUITES = [
  // Differential contract tests: the recorded transcripts' assertions, against live masters and agents.
  'testbed/contract/master-readonly.test.ts',
  'testbed/contract/master-api.test.ts',
  'testbed/contract/agent-http.test.ts',
  'testbed/contract/scheduler-basic.test.ts',
  // The app on real Mesos: the built-in framework (master failover, app restart) and every fault
  // button with its faults.md expectation. (recreated-cluster.int.test.ts passes on both too; it is
  // left to the ordinary run to keep this project within its time budget.)
  'electron/framework/builtin-framework.int.test.ts',
  'electron/faults/fault-injector.int.test.ts',
  // Services: a BRIDGE port from the offer, an HTTP health check failing, the kill and the relaunch.
  'electron/framework/services.int.test.ts',
  // Attach to a cluster started by a plain script with HTTP authentication on (401, read-only, HA).
  'electron/attach/attach.int.test.ts',
  // …and its Docker evidence through the Docker endpoint named for its agents (DOCKER tasks, the doctor).
  'electron/attach/attached-docker.int.test.ts',
];

// The ordinary run's settings, not its projects (which name its own files).
const { projects: _projects, ...test } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...test,
    include: REAL_MESOS_SUITES,
    // Two files at a time, as the ordinary run (each agent here runs with docker_kill_orphans=false).
    maxWorkers: 2,
    env: { MESOSCOPE_TEST_MESOS_IMAGE: process.env.MESOSCOPE_TEST_MESOS_IMAGE || REAL_MESOS_IMAGE },
  },
});
