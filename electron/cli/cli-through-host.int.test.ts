import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import type { RunsView } from '@shared/runs/schemas';
import type { ServicesView } from '@shared/services/schemas';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { hostApiUrl, publishHostEndpoint } from '../web-host/host-endpoint';
import { startWebHost, type WebHost } from '../web-host/server';
import { TEST_IMAGES } from '../../testbed/real-mesos/images';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// The CLI while Mesoscope runs on the same data dir: it goes through the running host's API socket, so
// the one built-in framework keeps its subscription and its services (before, the CLI subscribed the
// same framework id from a second engine, Mesos failed the app's over, and its services were no
// longer kept). Without a host, or with a host that does not answer, the CLI runs the engine itself.

const NAME = `via-host-${process.pid % 100_000}`;
const TASK_IMAGE = 'mesoscope/task-base:test';

let dir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let api: MesoscopeClient;
let host: WebHost;
let unpublish: () => Promise<void>;

const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 120_000 });

const until = async <T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-via-host-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  // What `npm run start:web` does: the engine, its API on loopback, the endpoint published.
  core = await createCore({ env });
  api = createClient(createInProcessTransport(core.dispatcher));
  host = await startWebHost({ dispatcher: core.dispatcher, rendererDir: __dirname });
  unpublish = await publishHostEndpoint(join(dir, 'config'), { pid: process.pid, url: hostApiUrl('127.0.0.1', host.port, host.token) });
  await api.call('clusters.create', {
    spec: { name: NAME, masters: { count: 1, flags: { allocation_interval: '250ms' } }, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES },
  });
}, 180_000);

afterAll(async () => {
  await api?.call('clusters.destroy', { name: NAME }).catch(() => undefined);
  await unpublish?.();
  await host?.close();
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the CLI beside a running Mesoscope', () => {
  it("runs a task through the host's framework: the host's service keeps its instance and its subscription", async () => {
    const frameworks: { view: RunsView | null } = { view: null };
    const services: { view: ServicesView | null } = { view: null };
    const stopRuns = api.subscribe('runs.view', { cluster: NAME }, (v) => (frameworks.view = v));
    const stopServices = api.subscribe('services.view', { cluster: NAME }, (v) => (services.view = v));
    try {
      await api.call('services.create', { cluster: NAME, spec: { id: 'kept', image: TASK_IMAGE, command: 'exec sleep 600', mem: 32, cpus: 0.1 } });
      const instance = await until('the service runs', () => {
        const i = services.view?.services.find((s) => s.spec.id === 'kept')?.instances[0];
        return i?.state === 'TASK_RUNNING' && i;
      });
      const ours = frameworks.view?.frameworks.find((f) => f.state === 'subscribed');
      expect(ours?.id).toBeTruthy();

      const run = await mesoscope('run', NAME, '--json', '--name', 'from-cli', '--', 'echo hi from the cli');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/in this process/);
      const result = JSON.parse(run.stdout) as { frameworkId: string };
      expect(result.frameworkId).toBe(ours?.id);

      // The host's framework was never failed over: still subscribed, the same id, and the service's
      // instance the same task, running.
      const after = frameworks.view?.frameworks.find((f) => f.id === ours?.id);
      expect([after?.state, after?.error]).toEqual(['subscribed', undefined]);
      const kept = services.view?.services.find((s) => s.spec.id === 'kept');
      expect([kept?.instances[0]?.taskId, kept?.instances[0]?.state]).toEqual([instance.taskId, 'TASK_RUNNING']);
      // And the CLI sees what the host holds.
      const ls = await mesoscope('service', 'ls', NAME, '--json');
      expect(ls.code, ls.stderr).toBe(0);
      expect((JSON.parse(ls.stdout) as ServicesView).services.map((s) => s.spec.id)).toEqual(['kept']);
      await api.call('services.remove', { cluster: NAME, id: 'kept' });
    } finally {
      stopRuns();
      stopServices();
    }
  }, 180_000);

  it('runs the engine itself when the published host does not answer, and says so', async () => {
    // The endpoint of a host that is alive (this process) but whose socket is gone.
    await unpublish();
    const closed = await startWebHost({ dispatcher: core.dispatcher, rendererDir: __dirname });
    const url = hostApiUrl('127.0.0.1', closed.port, closed.token);
    await closed.close();
    unpublish = await publishHostEndpoint(join(dir, 'config'), { pid: process.pid, url });
    const ls = await mesoscope('ls', '--json');
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stderr).toMatch(/\(pid \d+\) did not answer on its API socket: running the engine in this process/);
    expect(JSON.parse(ls.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: NAME })]));
  }, 60_000);
});
