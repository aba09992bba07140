import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { applyDeltas } from '@shared/dashboard/apply';
import type { DeltaBatch } from '@shared/dashboard/deltas';
import type { ClusterView } from '@shared/dashboard/view';
import type { TaskInfo } from '@shared/mesos/scheduler';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { TestFramework } from '../mesos/test-framework.test-support';

// The dashboard through the API, as the UI will use it: a real cluster (testbed images), the
// `dashboard.deltas` subscription over the in-process transport, batches folded with applyDeltas.
let dir: string;
let core: Core;
let api: MesoscopeClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-dash-'));
  core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
  api = createClient(createInProcessTransport(core.dispatcher));
  await api.call('clusters.create', {
    spec: {
      name: 'dash-it',
      agents: { count: 2 },
      pullPolicy: 'never',
      masters: { flags: { allocation_interval: '250ms' } },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    },
  });
}, 120_000);

afterAll(async () => {
  await api.call('clusters.destroy', { name: 'dash-it' }).catch(() => undefined);
  core.dispose();
  await rm(dir, { recursive: true, force: true });
});

const until = async <T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the dashboard subscription', () => {
  it('starts with a snapshot, follows a task to FINISHED, and its deltas add up to the monitor’s view', async () => {
    const batches: DeltaBatch[] = [];
    let view: ClusterView | null = null;
    const stop = api.subscribe('dashboard.deltas', { cluster: 'dash-it', offers: true }, (batch) => {
      batches.push(batch);
      view = applyDeltas(view, batch.deltas);
    });
    const current = () => view as ClusterView | null;

    await until('a first batch', () => batches[0]);
    expect(batches[0]?.deltas[0]?.kind).toBe('snapshot');
    await until('the stream live', () => current()?.connection.state === 'live');
    await until('both agents', () => Object.values(current()?.agents ?? {}).filter((a) => a.state === 'active').length === 2);
    expect(current()?.masters.filter((m) => m.leader)).toHaveLength(1);
    const summary = (await api.call('clusters.list', {})).find((c) => c.name === 'dash-it');
    const masters = (summary?.layout.masters ?? []).map((m) => `http://127.0.0.1:${m.port}`);
    const framework = new TestFramework(masters, { name: 'dashboard-api-it', failover_timeout: 60 });
    try {
      await framework.start();
      const agentId = Object.keys(current()?.agents ?? {})[0];
      const task: TaskInfo = {
        name: 'dash-api',
        task_id: { value: 'dash-api' },
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
          { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
        ],
        command: { shell: true, value: 'echo hi; sleep 1' },
      };
      await framework.launch(agentId, [task]);
      const key = `${framework.id}/dash-api`;
      const finished = await until('the task FINISHED', () => (current()?.tasks[key]?.state === 'TASK_FINISHED' ? current()?.tasks[key] : undefined));
      expect(finished.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      expect(finished.statuses.at(-1)?.message).toBe('Command exited with status 0');
    } finally {
      framework.close();
    }

    // Everything the batches said, folded, is what the monitor holds (up to the last batch).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { monitor, release } = await core.monitors.acquire('dash-it');
    const folded = current();
    expect(folded?.tasks).toEqual(monitor.snapshot().tasks);
    expect(folded?.agents).toEqual(monitor.snapshot().agents);
    release();
    stop();
  }, 60_000);

  it('refuses a cluster that does not exist', async () => {
    const error = await new Promise<Error>((resolve) => api.subscribe('dashboard.deltas', { cluster: 'nope' }, () => {}, resolve));
    expect(error).toMatchObject({ code: 'not-found' });
  });
});
