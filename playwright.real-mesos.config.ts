import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The real-Mesos e2e project (testbed/real-mesos/README.md): the journey in the real UI with real Apache
// Mesos in place of the emulator. Workers inherit this process's environment, so the test helpers
// (testbed/real-mesos/images.ts) see the image too. Set before anything imports that module, which reads
// it once: hence the name written out here rather than imported from there.
process.env.MESOSCOPE_TEST_MESOS_IMAGE ||= 'mesoscope/mesos:1.12.0';

export default defineConfig({
  ...base,
  testMatch: '**/real-mesos*.spec.ts',
  testIgnore: [],
  outputDir: 'test-results/playwright-real-mesos',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-real-mesos-report.json' }]],
  // npm test has just built dist/ for the ordinary e2e step and says so; run alone, build first.
  globalSetup: process.env.MESOSCOPE_E2E_BUILT ? undefined : base.globalSetup,
});
