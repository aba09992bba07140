import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import type { ClusterSpecInput } from '@shared/cluster/spec';
import type { RunsView } from '@shared/runs/schemas';
import { MESOS_KIND, TEST_IMAGES } from '../../testbed/real-mesos/images';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';

// A cluster destroyed and re-created under the same name by another process (the CLI)
// while the app runs. The app's built-in framework lost its stream with the old masters; its next run
// must reach the new cluster instead of failing with "cannot send REVIVE: not subscribed".

const NAME = `rn-recreate-${process.pid % 100_000}`;
const SPEC: ClusterSpecInput = {
  name: NAME,
  masters: { count: 1, flags: { allocation_interval: '250ms' } },
  agents: { count: 1 },
  pullPolicy: 'never',
  images: TEST_IMAGES,
};

let dir: string;
let app: Core;
let cli: Core;
let appApi: MesoscopeClient;
let cliApi: MesoscopeClient;

const until = async <T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-recreate-'));
  // Two cores over the same folders: the app, and a CLI run beside it.
  const env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  app = await createCore({ env });
  cli = await createCore({ env });
  appApi = createClient(createInProcessTransport(app.dispatcher));
  cliApi = createClient(createInProcessTransport(cli.dispatcher));
  await cliApi.call('clusters.create', { spec: SPEC });
}, 180_000);

afterAll(async () => {
  await cliApi?.call('clusters.destroy', { name: NAME }).catch(() => undefined);
  await app?.dispose();
  await cli?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 90_000);

describe(`a cluster re-created under the same name while the app runs (${MESOS_KIND})`, () => {
  it('the next run reaches the new cluster: subscribed again, launched and RUNNING', async () => {
    const state: { runs: RunsView | null } = { runs: null };
    const stop = appApi.subscribe('runs.view', { cluster: NAME }, (v) => (state.runs = v));
    try {
      const first = await appApi.call('runs.launch', { cluster: NAME, name: 'before', command: 'sleep 600' });
      await until('before RUNNING', () => state.runs?.updates.find((u) => u.taskId === first.tasks[0]!.taskId && u.state === 'TASK_RUNNING'), 30_000);

      await cliApi.call('clusters.destroy', { name: NAME });
      await cliApi.call('clusters.create', { spec: SPEC });

      const second = await appApi.call('runs.launch', { cluster: NAME, name: 'after', command: 'sleep 600', offerTimeoutSecs: 60 });
      expect(second.tasks).toHaveLength(1);
      await until('after RUNNING', () => state.runs?.updates.find((u) => u.taskId === second.tasks[0]!.taskId && u.state === 'TASK_RUNNING'), 30_000);
      const fw = state.runs!.frameworks.find((f) => f.id === second.frameworkId)!;
      expect(fw.state).toBe('subscribed');
      // Asked after the resubscription, the new master knows nothing of the old cluster's task.
      const gone = await until('the old task reconciled', () => state.runs?.updates.find((u) => u.taskId === first.tasks[0]!.taskId && u.reason === 'REASON_RECONCILIATION'), 20_000);
      expect([gone.state, gone.source, gone.message]).toEqual(['TASK_LOST', 'SOURCE_MASTER', 'Reconciliation: Task is unknown']);
      expect((await appApi.call('runs.killAll', { cluster: NAME })).killed).toBe(1);
    } finally {
      stop();
    }
  }, 180_000);
});
