import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import type { ServicesView, ServiceView } from '@shared/services/schemas';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { get } from '../mesos/http';
import { MESOS_KIND, TEST_IMAGES } from '../../testbed/real-mesos/images';

// Services through the API on one cluster (the emulator, or real Mesos in the real-Mesos project): a
// BRIDGE port mapped from the offer's ports, reachable at its endpoint; a Mesos HTTP health check that
// passes, then fails: the instance turns unhealthy (REASON_TASK_HEALTH_CHECK_STATUS_UPDATED), the
// executor kills it, and the service relaunches it after 1 s of backoff on another port, with the
// doctor's verdict in its history; the port goes back to the agent; an app restart keeps the service.

const NAME = `svc-${process.pid % 100_000}`;
const TASK_IMAGE = 'mesoscope/task-base:test';

let dir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let api: MesoscopeClient;
let masterUrl: string;

const until = async <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

function watch(client: MesoscopeClient) {
  const state: { view: ServicesView | null } = { view: null };
  const stop = client.subscribe('services.view', { cluster: NAME }, (v) => (state.view = v));
  const service = (id: string): ServiceView | undefined => state.view?.services.find((s) => s.spec.id === id);
  return { state, service, stop };
}

/** The agent's used ports as the master counts them (`used_resources.ports`, "[31000-31000]"). */
async function usedPorts(): Promise<string> {
  const slaves = JSON.parse((await get(`${masterUrl}/master/slaves`)).body) as { slaves: Array<{ used_resources: { ports?: string } }> };
  return slaves.slaves.map((s) => s.used_resources.ports ?? '').join(' ');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-svc-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  core = await createCore({ env });
  api = createClient(createInProcessTransport(core.dispatcher));
  const summary = await api.call('clusters.create', {
    spec: { name: NAME, masters: { count: 1, flags: { allocation_interval: '250ms' } }, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES },
  });
  masterUrl = `http://${summary.layout.hostAddress}:${summary.layout.masters[0]?.port}`;
}, 180_000);

afterAll(async () => {
  await api?.call('clusters.destroy', { name: NAME }).catch(() => undefined);
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe(`services on ${MESOS_KIND}`, () => {
  it('refuses a definition that cannot work, naming the field', async () => {
    await expect(api.call('services.create', { cluster: NAME, spec: { id: 'bad', image: TASK_IMAGE, ports: [{}] } })).rejects.toThrow(/containerPort/);
    await expect(api.call('services.create', { cluster: NAME, spec: { id: 'Bad id', command: 'sleep 1' } })).rejects.toThrow(/lower-case/);
    await expect(api.call('services.scale', { cluster: NAME, id: 'nope', instances: 2 })).rejects.toThrow(/No service nope/);
  });

  it('maps a port from the offer, health-checks it, kills the unhealthy instance and relaunches it elsewhere', async () => {
    const w = watch(api);
    try {
      // httpd serves /health for 8 s, then the file goes: the check fails from then on.
      await api.call('services.create', {
        cluster: NAME,
        spec: {
          id: 'web',
          image: TASK_IMAGE,
          command: 'mkdir -p /www && echo ok > /www/health && (sleep 8; rm /www/health) & exec httpd -f -p 8080 -h /www',
          instances: 1,
          cpus: 0.1,
          mem: 32,
          ports: [{ containerPort: 8080 }],
          healthCheck: { type: 'HTTP', path: '/health', gracePeriodSecs: 5, intervalSecs: 1, timeoutSecs: 2, consecutiveFailures: 2 },
        },
      });
      const first = await until('the first instance runs and is healthy', () => {
        const i = w.service('web')?.instances[0];
        return i?.state === 'TASK_RUNNING' && i.healthy === true && i;
      }, 60_000);
      expect(first.ports).toHaveLength(1);
      const port = first.ports[0] as number;
      // The endpoint answers from the test process: Docker maps the offer's host port to 8080.
      const endpoints = await api.call('services.endpoints', { cluster: NAME });
      expect(endpoints).toEqual([{ service: 'web', portIndex: 0, port: '8080', protocol: 'tcp', endpoints: [expect.objectContaining({ host: first.host, port, healthy: true })] }]);
      const res = await get(`http://${first.host === 'localhost' ? '127.0.0.1' : first.host}:${port}/health`);
      expect([res.status, String(res.body).trim()]).toEqual([200, 'ok']);
      expect(await usedPorts()).toContain(`[${port}-${port}]`);
      expect(w.service('web')?.history.find((e) => e.kind === 'health' && e.healthy)?.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');

      const unhealthy = await until('the instance turns unhealthy', () => {
        const i = w.service('web')?.instances[0];
        return i !== undefined && i.taskId === first.taskId && i.healthy === false && i;
      }, 30_000);
      expect(unhealthy.state).toBe('TASK_RUNNING');
      const ended = await until('the executor kills it', () => w.service('web')?.history.find((e) => e.kind === 'ended' && e.taskId === first.taskId));
      expect([ended.state, ended.healthy]).toEqual(['TASK_KILLED', false]);
      const relaunch = w.service('web')?.history.find((e) => e.kind === 'relaunch' && e.slot === 1);
      expect(relaunch?.delayMs).toBe(1000);
      const second = await until('the relaunched instance runs', () => {
        const i = w.service('web')?.instances[0];
        return i?.state === 'TASK_RUNNING' && i.taskId !== first.taskId && i;
      }, 60_000);
      expect(second.ports[0]).not.toBe(port);
      await until('the old port is back with the agent', async () => !(await usedPorts()).includes(`[${port}-${port}]`) && (await usedPorts()).includes(`[${second.ports[0]}-`));
      const verdict = await until('the doctor\'s verdict is in the history', () => w.service('web')?.history.find((e) => e.kind === 'ended' && e.taskId === first.taskId)?.verdict);
      expect(verdict.title).toMatch(/kill|health/i);
    } finally {
      w.stop();
    }
  }, 180_000);

  it('keeps the service and its running instance across an app restart, then scales and removes it', async () => {
    const before = (await api.call('services.list', { cluster: NAME })).services.find((s) => s.spec.id === 'web');
    const running = before?.instances.find((i) => i.state === 'TASK_RUNNING');
    expect(running?.taskId).toBeTruthy();
    await core.dispose();
    core = await createCore({ env });
    api = createClient(createInProcessTransport(core.dispatcher));
    const w = watch(api);
    try {
      const again = await until('the stored service resumes with its task', () => {
        const i = w.service('web')?.instances[0];
        return i?.state === 'TASK_RUNNING' && i;
      }, 30_000);
      expect([again.taskId, again.ports]).toEqual([running?.taskId, running?.ports]);
      await api.call('services.scale', { cluster: NAME, id: 'web', instances: 2 });
      await until('two instances run', () => w.service('web')?.instances.filter((i) => i.state === 'TASK_RUNNING').length === 2, 60_000);
      await api.call('services.remove', { cluster: NAME, id: 'web' });
      await until('the service is gone once its instances ended', () => w.state.view !== null && w.service('web') === undefined, 60_000);
      expect(await usedPorts()).not.toMatch(/\[\d+-\d+\]/);
    } finally {
      w.stop();
    }
  }, 180_000);
});
