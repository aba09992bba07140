import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Files that must have the Docker daemon to themselves: run after all others, alone. */
const ALONE = [
  // An agent with docker_kill_orphans=true removes every task container it does not know, other files' too.
  'electron/mesos/faults.scenario.test.ts',
];

const ALL = ['electron/**/*.test.ts', 'scripts/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'testbed/**/*.test.ts'];

export default defineConfig({
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['scripts/vitest-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Two files at a time on 2 cores: most of an integration test is waiting for containers. Files
        // share one daemon; each names what it makes after itself, and launches in different processes
        // take different ports (electron/engine/port-claims.ts).
        test: { name: 'shared', include: ALL, exclude: ALONE, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
