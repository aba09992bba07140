import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { applyDeltas } from '@shared/dashboard/apply';
import type { ClusterView } from '@shared/dashboard/view';
import { ApiError } from '@shared/errors';
import type { RunsView } from '@shared/runs/schemas';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { get } from '../mesos/http';
import { findTask, getTasks } from '../mesos/test-framework.test-support';
import { EXPLICIT_RECONCILE_AFTER_MS } from './builtin-framework';
import { TEST_IMAGES } from '../../testbed/real-mesos/images';

// The built-in framework through the API, against an HA emulator cluster (3 masters, real task
// containers): runs on the first offers, offer decisions, kill-after, kill all, an offer timeout, a
// master failover and an app restart, both resubscribing with the same framework id.

const TASK_IMAGE = 'mesoscope/task-base:test';
const NAME = `rn-fw-${process.pid % 100_000}`;

let dir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let api: MesoscopeClient;
let masters: string[];

const refused = (): never => {
  throw new Error('expected a refusal');
};

const until = async <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The runs view and the dashboard view of the cluster, kept current. */
function watch(client: MesoscopeClient) {
  const state: { runs: RunsView | null; view: ClusterView | null } = { runs: null, view: null };
  const stops = [
    client.subscribe('runs.view', { cluster: NAME }, (v) => (state.runs = v)),
    client.subscribe('dashboard.deltas', { cluster: NAME, offers: true }, (b) => (state.view = applyDeltas(state.view, b.deltas))),
  ];
  return { state, stop: () => stops.forEach((s) => s()) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-fw-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  core = await createCore({ env });
  api = createClient(createInProcessTransport(core.dispatcher));
  const summary = await api.call('clusters.create', {
    spec: {
      name: NAME,
      masters: { count: 3, flags: { allocation_interval: '250ms', zk_session_timeout: '4secs' } },
      agents: { count: 2 },
      pullPolicy: 'never',
      images: TEST_IMAGES,
    },
  });
  masters = summary.layout.masters.map((m) => `http://${summary.layout.hostAddress}:${m.port}`);
}, 180_000);

afterAll(async () => {
  await api?.call('clusters.destroy', { name: NAME }).catch(() => undefined);
  core?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the built-in framework', () => {
  let longTask: { frameworkId: string; taskId: string };

  it('launches instances on the first offers, says what it did with each offer, kills after kill_after, and declines what it does not need', async () => {
    const w = watch(api);
    try {
      const launched = await api.call('runs.launch', {
        cluster: NAME,
        name: 'hello',
        image: TASK_IMAGE,
        command: 'echo "hello $GREETING"; sleep 600',
        env: { GREETING: 'mesos' },
        instances: 2,
        killAfterSecs: 2,
      });
      expect(launched.tasks).toHaveLength(2);
      const runs = () => w.state.runs as RunsView | null;
      const fw = await until('subscribed', () => runs()?.frameworks.find((f) => f.state === 'subscribed'));
      expect(fw).toMatchObject({ name: 'mesoscope', variant: { checkpoint: true, partitionAware: false }, id: launched.frameworkId, failoverTimeoutSecs: 604_800 });
      // Each task went RUNNING, then the kill after 2 s: KILLING, KILLED.
      for (const t of launched.tasks) {
        await until(`${t.taskId} KILLED`, () => runs()?.updates.find((u) => u.taskId === t.taskId && u.state === 'TASK_KILLED'), 30_000);
        const states = runs()!.updates.filter((u) => u.taskId === t.taskId).map((u) => u.state);
        expect(states).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
      }
      const accepted = runs()!.offers.filter((o) => o.outcome === 'accepted');
      expect(accepted.flatMap((o) => o.taskIds ?? []).sort()).toEqual(launched.tasks.map((t) => t.taskId).sort());
      // The dashboard's offer history says the same, from the framework's own knowledge.
      const history = await until('the accepted offer in the dashboard', () => w.state.view?.offerHistory.find((o) => o.outcome === 'accepted' && o.note?.startsWith('launched')));
      expect(history.taskKeys?.every((k) => k.startsWith(`${launched.frameworkId}/hello-`))).toBe(true);
      // With nothing left to run, it suppresses offers: a later offer round would be declined with the long filter.
      const registered = JSON.parse(await readFile(join(dir, 'config', 'frameworks.json'), 'utf8')) as { clusters: Record<string, Record<string, { id: string }>> };
      expect(registered.clusters[NAME]?.ckpt?.id).toBe(launched.frameworkId);
    } finally {
      w.stop();
    }
  }, 90_000);

  it('refuses, naming what it saw, when no offer can hold the task in time', async () => {
    const err = await api.call('runs.launch', { cluster: NAME, name: 'huge', command: 'true', cpus: 64, offerTimeoutSecs: 2 }).then(refused, (e: unknown) => e as ApiError);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('refused');
    // Each offer says what became of it, so a refusal of offers that look big enough explains itself.
    expect((err as ApiError).message).toMatch(
      /^No offer could hold huge \(64 cpus and 32 MB\) within 2 s: the last offers: 127\.0\.0\.1 [\d.]+ cpus, \d+ MB \(declined: too small: needs 64 cpus and 32 MB, offers [\d.]+ cpus and \d+ MB\)/,
    );
  }, 30_000);

  it('refuses bad input and unknown clusters with a clear error', async () => {
    const bad = await api.call('runs.launch', { cluster: NAME, name: 'x y', command: '' }).then(refused, (e: unknown) => e as ApiError);
    expect(bad.code).toBe('invalid-input');
    expect(bad.message).toContain('name: must be 1-48 letters');
    expect(bad.message).toContain('command: a command is needed with the shell entrypoint');
    const unknown = await api.call('runs.launch', { cluster: 'rn-no-such', name: 'x', command: 'true' }).then(refused, (e: unknown) => e as ApiError);
    expect([unknown.code, unknown.message]).toEqual(['not-found', 'No cluster named "rn-no-such".']);
    const foreign = await api.call('runs.kill', { cluster: NAME, frameworkId: 'someone-else', taskId: 't' }).then(refused, (e: unknown) => e as ApiError);
    expect(foreign.code).toBe('not-found');
  });

  it('serves a file of this machine to the agents: fetched into the sandbox as an executable, then run', async () => {
    const script = join(dir, 'hello.sh');
    await writeFile(script, '#!/bin/sh\necho "fetched and run: $1"\n', { mode: 0o644 });
    const server = await api.call('artifacts.add', { cluster: NAME, path: script });
    expect(server).toMatchObject({ address: '127.0.0.1', urlHost: '127.0.0.1', files: [{ name: 'hello.sh', path: script, size: 37 }] });
    expect(server.note).toContain('--address=127.0.0.1');
    const url = server.files[0]!.url;
    expect((await fetch(url).then((r) => r.text())).startsWith('#!/bin/sh')).toBe(true);
    expect((await fetch(url.replace(/\/[^/]+$/, '/other.sh'))).status).toBe(404);
    const w = watch(api);
    try {
      const launched = await api.call('runs.launch', { cluster: NAME, name: 'fetched', command: './hello.sh mesos', uris: [{ value: url, executable: true }] });
      const id = launched.tasks[0]!.taskId;
      const end = await until('fetched FINISHED', () => w.state.runs?.updates.find((u) => u.taskId === id && u.state !== 'TASK_STARTING' && u.state !== 'TASK_RUNNING'), 20_000);
      expect([end.state, end.message]).toEqual(['TASK_FINISHED', 'Command exited with status 0']);
      const agent = w.state.view!.agents[launched.tasks[0]!.agentId]!;
      const path = `/frameworks/${launched.frameworkId}/executors/${id}/runs/latest/stdout`;
      // The app's HTTP client, not fetch: fetch refuses some ports an agent may get (5060, 5061: "bad port").
      const out = JSON.parse((await get(`http://127.0.0.1:${agent.port}/files/read?path=${encodeURIComponent(path)}&offset=0`)).body) as { data: string };
      expect(out.data).toBe('fetched and run: mesos\n');
    } finally {
      w.stop();
    }
    const bad = await api.call('artifacts.add', { cluster: NAME, path: join(dir, 'nope') }).then(refused, (e: unknown) => e as ApiError);
    expect([bad.code, bad.message]).toEqual(['not-found', `path: there is no file at ${join(dir, 'nope')}`]);
    expect((await api.call('artifacts.remove', { cluster: NAME, id: server.files[0]!.id })).files).toEqual([]);
  }, 60_000);

  it('keeps its task across a master failover: resubscribes with the same id, no task update', async () => {
    const launched = await api.call('runs.launch', { cluster: NAME, name: 'survivor', image: TASK_IMAGE, command: 'sleep 600' });
    longTask = { frameworkId: launched.frameworkId, taskId: launched.tasks[0]!.taskId };
    const w = watch(api);
    try {
      await until('survivor RUNNING', () => w.state.runs?.updates.find((u) => u.taskId === longTask.taskId && u.state === 'TASK_RUNNING'), 30_000);
      const before = w.state.runs!.frameworks.find((f) => f.id === launched.frameworkId)!;
      const leader = w.state.view!.masters.find((m) => m.leader)!.url;
      const port = new URL(leader).port;
      const node = (await api.call('clusters.list', {})).find((c) => c.name === NAME)!.nodes.find((n) => n.address.endsWith(`:${port}`))!;
      await api.call('clusters.nodeAction', { cluster: NAME, node: node.name, action: 'stop' });
      const after = await until(
        'resubscribed',
        () => w.state.runs?.frameworks.find((f) => f.id === launched.frameworkId && f.state === 'subscribed' && f.resubscriptions > before.resubscriptions),
        45_000,
      );
      expect(after.endpoint).not.toContain(`:${port}/`);
      const live = masters.filter((m) => !m.endsWith(`:${port}`));
      const listed = await until('the task on the new leader', async () => findTask(await getTasks(live).catch(() => ({ tasks: [], unreachable: [], completed: [] })), longTask.frameworkId, longTask.taskId));
      expect([listed.where, listed.task.state]).toEqual(['tasks', 'TASK_RUNNING']);
      // No change of state: the reconciliation answers, and at most the RUNNING update again (Mesos delivers
      // updates at least once: one whose acknowledgement the stopped leader never passed on is resent by
      // the agent to the new leader). Looked at once the explicit reconciliation has been answered too.
      await new Promise((r) => setTimeout(r, Math.max(0, after.subscribedAt! + EXPLICIT_RECONCILE_AFTER_MS + 1500 - Date.now())));
      const running = w.state.runs!.updates.find((u) => u.taskId === longTask.taskId && u.state === 'TASK_RUNNING')!;
      const since = w.state.runs!.updates.filter((u) => u.taskId === longTask.taskId && u.at > after.subscribedAt! - 1);
      const summary = (u: typeof running) => [u.state, u.reason, u.source, u.message];
      for (const u of since) expect(u.reason === 'REASON_RECONCILIATION' ? [u.state] : summary(u)).toEqual(u.reason === 'REASON_RECONCILIATION' ? ['TASK_RUNNING'] : summary(running));
      await api.call('clusters.nodeAction', { cluster: NAME, node: node.name, action: 'start' });
    } finally {
      w.stop();
    }
  }, 90_000);

  it('keeps its task across an app restart: the new app resubscribes with the stored id and can kill it; kill all', async () => {
    core.dispose();
    core = await createCore({ env });
    api = createClient(createInProcessTransport(core.dispatcher));
    const w = watch(api);
    try {
      const fw = await until('resubscribed after the restart', () => w.state.runs?.frameworks.find((f) => f.state === 'subscribed'), 30_000);
      expect(fw.id).toBe(longTask.frameworkId);
      // The implicit reconciliation tells the new app where its task is.
      await until('reconciled', () => w.state.runs?.updates.find((u) => u.taskId === longTask.taskId && u.reason === 'REASON_RECONCILIATION'), 15_000);
      const another = await api.call('runs.launch', { cluster: NAME, name: 'another', command: 'sleep 600' });
      expect(another.frameworkId).toBe(longTask.frameworkId);
      await until('another RUNNING', () => w.state.runs?.updates.find((u) => u.taskId === another.tasks[0]!.taskId && u.state === 'TASK_RUNNING'), 20_000);
      expect((await api.call('runs.killAll', { cluster: NAME })).killed).toBe(2);
      for (const id of [longTask.taskId, another.tasks[0]!.taskId]) {
        await until(`${id} KILLED`, () => w.state.runs?.updates.find((u) => u.taskId === id && u.state === 'TASK_KILLED'), 20_000);
      }
    } finally {
      w.stop();
    }
  }, 90_000);
});
