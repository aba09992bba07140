import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import type { FaultRequestInput, Injection } from '@shared/contract/runs';
import { applyDeltas } from '@shared/dashboard/apply';
import type { ClusterView } from '@shared/dashboard/view';
import { ApiError } from '@shared/errors';
import { judge, type Judgement } from '@shared/faults/judge';
import type { RunsView } from '@shared/runs/schemas';
import { dropLocal, prepareSlowPullImage, registryUp } from '../../testbed/scenario/registry-images';
import { createInProcessTransport } from '../api/in-process-transport';
import { type Core, createCore } from '../core';
import { skipSuite } from '../../testbed/support/suite-skip';
import { TEST_IMAGES } from '../../testbed/real-mesos/images';

// Every fault button through the API, judged the way the UI judges it (shared/faults/judge.ts) on the
// dashboard's view of the task: the task ends with exactly the state / reason / source / message of
// docs/mesos/faults.md for the framework variant, within its delay. One HA emulator cluster with the fast timers
// of docs/mesos/faults.md (1 s pings × 3), agents hit one fault each, the leader stopped last.

const TASK_IMAGE = 'mesoscope/task-base:test';
const execFileAsync = promisify(execFile);
const NAME = `rn-faults-${process.pid % 100_000}`;
const skip = skipSuite('fault buttons through the API', (await registryUp()) ? null : 'no registry at 127.0.0.1:5000; run testbed/images/build.sh');

let dir: string;
let core: Core;
let api: MesoscopeClient;
let agents: string[] = [];
const state: { view: ClusterView | null; runs: RunsView | null } = { view: null, runs: null };
const stops: Array<() => void> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-faults-'));
  core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
  api = createClient(createInProcessTransport(core.dispatcher));
  await api.call('clusters.create', {
    spec: {
      name: NAME,
      masters: { count: 3, flags: { allocation_interval: '250ms' } },
      agents: { count: 4 },
      timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 },
      pullPolicy: 'never',
      images: TEST_IMAGES,
    },
  });
  stops.push(
    api.subscribe('dashboard.deltas', { cluster: NAME }, (b) => (state.view = applyDeltas(state.view, b.deltas))),
    api.subscribe('runs.view', { cluster: NAME }, (v) => (state.runs = v)),
  );
  const byPort = async () => {
    const view = state.view;
    const list = view ? Object.values(view.agents).filter((a) => a.state === 'active') : [];
    return list.length === 4 ? list.sort((a, b) => (a.port ?? 0) - (b.port ?? 0)).map((a) => a.id) : undefined;
  };
  agents = await until('four agents in the view', byPort, 30_000);
}, 180_000);

afterAll(async () => {
  stops.forEach((s) => s());
  await api?.call('clusters.destroy', { name: NAME }).catch(() => undefined);
  core?.dispose();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

function refused(): never {
  throw new Error('expected a refusal');
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const leaderOf = (v: ClusterView | null) => v?.masters.find((m) => m.leader)?.url;

/** Injects, then judges until a verdict: what the UI's result card does. */
async function injectAndJudge(req: Omit<FaultRequestInput, 'cluster'>): Promise<{ injection: Injection; judgement: Judgement }> {
  const leaderBefore = leaderOf(state.view);
  const injection = await api.call('faults.inject', { cluster: NAME, taskImage: TASK_IMAGE, ...req });
  let leaderChangedAt: number | undefined;
  const judgement = await until(
    `a verdict on ${req.fault}`,
    () => {
      const now = Date.now();
      if (leaderChangedAt === undefined && leaderOf(state.view) && leaderOf(state.view) !== leaderBefore) leaderChangedAt = now;
      const reconciled = state.runs?.updates.find((u) => u.taskId === injection.taskId && u.reason === 'REASON_RECONCILIATION');
      const j = judge({ expectation: injection.expectation, injectedAt: injection.injectedAt, task: state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`], now, leaderChangedAt, reconciled });
      return j.verdict === 'waiting' ? undefined : j;
    },
    injection.expectation.withinMs + 10_000,
  );
  return { injection, judgement };
}

/** A node's container log, stdout and stderr (Mesos logs to stderr). */
async function containerLog(name: string): Promise<string> {
  const { stdout, stderr } = await execFileAsync('docker', ['logs', name], { maxBuffer: 64 * 1024 * 1024 });
  return stdout + stderr;
}

/**
 * The doctor's verdict on the fault's task (what the drawer shows): the rule, and the one decisive item
 * of its evidence. Polled: evidence (Docker events, log lines) arrives a moment after the update.
 */
async function doctorSays(injection: Injection, ruleId: RegExp, decisive: RegExp | null, timeoutMs = 30_000): Promise<void> {
  let last = '';
  await until(
    `the doctor's verdict on ${injection.fault}`,
    async () => {
      const d = await api.call('doctor.diagnose', { cluster: NAME, taskKey: `${injection.frameworkId}/${injection.taskId}` });
      if (d.kind !== 'diagnosed') return (last = d.kind === 'none' ? `none (${d.why})` : d.kind), undefined;
      const items = d.timeline.filter((i) => i.decisive).map((i) => `${i.title} ${i.detail ?? ''}`);
      last = `${d.ruleId}: ${items.join(' | ')}`;
      return ruleId.test(d.ruleId) && items.length === 1 && (!decisive || decisive.test(items[0]!)) ? d : undefined;
    },
    timeoutMs,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; the doctor said: ${last}`);
  });
}

const final = (j: Judgement) => [j.observed?.state, j.observed?.reason ?? '–', j.observed?.source, j.observed?.message];

describe.skipIf(skip)('fault buttons, through the API', () => {
  it('a task over its memory: FAILED / – / EXECUTOR "Container exited with status 137" (row 3)', async () => {
    const { injection, judgement } = await injectAndJudge({ fault: 'oom-task' });
    expect(judgement.detail).toMatch(/^FAILED after/);
    expect([judgement.verdict, ...final(judgement)]).toEqual(['as-expected', 'TASK_FAILED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 137']);
    // Docker's own word on the OOM kill: its oom event or the die event that carries OOMKilled, whichever
    // the doctor's evidence holds first (real Mesos and the emulator differ in which, DIFFERENCES.md).
    await doctorSays(injection, /^oom-killed$/, /Task container (died \(exit 137, OOM killed\)|ran out of memory \(OOM kill\))/);
  }, 90_000);

  it("an image tag the registry lacks: FAILED / CONTAINER_LAUNCH_FAILED / AGENT with the daemon's error (row 4)", async () => {
    const image = '127.0.0.1:5000/mesoscope/does-not-exist:1';
    const { injection, judgement } = await injectAndJudge({ fault: 'missing-image', params: { image } });
    expect([judgement.verdict, ...final(judgement)]).toEqual([
      'as-expected',
      'TASK_FAILED',
      'REASON_CONTAINER_LAUNCH_FAILED',
      'SOURCE_AGENT',
      `Failed to launch container: Failed to run '/usr/local/bin/docker -H unix:///var/run/docker.sock pull ${image}': exited with status 1; stderr='Error response from daemon: manifest for ${image} not found: manifest unknown: manifest unknown\n'`,
    ]);
    await doctorSays(injection, /^image-not-found$/, /manifest unknown/);
  }, 90_000);

  it('a pull slower than a 2 s registration timeout, on an agent added for it: FAILED / CONTAINER_LAUNCH_FAILED "…discarded…" at the timeout (row 13)', async () => {
    const image = await prepareSlowPullImage();
    try {
      const { injection, judgement } = await injectAndJudge({ fault: 'slow-pull', params: { image, timeout: '2secs' } });
      expect(injection.steps[0]).toMatch(/^added agent 5 \(--executor_registration_timeout=2secs\)$/);
      expect([judgement.verdict, ...final(judgement)]).toEqual([
        'as-expected',
        'TASK_FAILED',
        'REASON_CONTAINER_LAUNCH_FAILED',
        'SOURCE_AGENT',
        'Failed to launch container: discarded; Abnormal executor termination: unknown container',
      ]);
      expect(judgement.elapsedMs).toBeGreaterThan(1500);
      await doctorSays(injection, /^pull-exceeded-registration-timeout$/, /did not register within 2secs/);
      // The image is now partly pulled, maybe whole: a second go is refused rather than meaningless.
      await dropLocal(image);
    } finally {
      await dropLocal(image);
    }
  }, 300_000);

  it('refuses a slow pull of an image the host has already', async () => {
    const err = await api.call('faults.inject', { cluster: NAME, fault: 'slow-pull', params: { image: TASK_IMAGE } }).then(refused, (e: unknown) => e as ApiError);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.code, err.message]).toEqual(['refused', `${TASK_IMAGE} is on this Docker host already, so there would be no pull to outlast the timeout: pick an image it does not have, or remove it (docker rmi ${TASK_IMAGE}).`]);
  });

  it('an executor advertised where nothing listens: no update, STAGING; the master answers STAGING / RECONCILIATION (row 14)', async () => {
    const { injection, judgement } = await injectAndJudge({ fault: 'unreachable-executor' });
    expect(injection.steps[0]).toBe('added agent 6 (--executor_environment_variables={"LIBPROCESS_IP":"127.0.0.1","LIBPROCESS_ADVERTISE_IP":"127.0.0.2"})');
    expect(judgement.verdict).toBe('as-expected');
    expect(state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`]).toMatchObject({ state: 'TASK_STAGING', statuses: [] });
    const answer = state.runs?.updates.find((u) => u.taskId === injection.taskId);
    expect(answer).toMatchObject({ state: 'TASK_STAGING', reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER', message: 'Reconciliation: Latest task state' });
    // The agent's own words: the task it could not deliver (what the doctor takes as decisive).
    const added = /^added agent (\d+) /.exec(injection.steps[0] ?? '')![1];
    const agentLog = () => containerLog(`mesoscope-${NAME}-agent-${added}`);
    // Written once the executor registers and the agent sends it the task: on a loaded machine, after the judgement.
    await until(
      'the undelivered task in the agent log',
      async () => /Failed to send 'mesos\.internal\.RunTaskMessage' to '127\.0\.0\.2:\d+', connect: Failed to connect to 127\.0\.0\.2:\d+: Connection refused/.test(await agentLog()),
      15_000,
    );
    // A kill goes the same way as the task (Mesos 1.12): sent to the executor, lost; no update.
    await api.call('runs.kill', { cluster: NAME, frameworkId: injection.frameworkId, taskId: injection.taskId });
    await until('the lost kill in the agent log', async () => /Failed to send 'mesos\.internal\.KillTaskMessage' to '127\.0\.0\.2:\d+'/.test(await agentLog()), 15_000);
    expect(state.runs?.updates.filter((u) => u.taskId === injection.taskId).map((u) => u.reason)).toEqual(['REASON_RECONCILIATION']);
    expect(state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`]?.state).toBe('TASK_STAGING');
    // Stuck past the doctor's 15 s: the agent's failed send to the executor decides it.
    await doctorSays(injection, /^staging-unreachable-executor$/, /Failed to send 'mesos\.internal\.RunTaskMessage' to '127\.0\.0\.2:\d+'/, 45_000);
  }, 150_000);

  it('a paused agent, partition-aware framework: UNREACHABLE / AGENT_REMOVED "health check timed out" ≈ 3.5 s (row 10); unpaused: RUNNING again', async () => {
    const { injection, judgement } = await injectAndJudge({ fault: 'pause-agent', params: { agent: agents[1]! }, framework: { partitionAware: true } });
    expect([judgement.verdict, ...final(judgement)]).toEqual(['as-expected', 'TASK_UNREACHABLE', 'REASON_AGENT_REMOVED', 'SOURCE_MASTER', 'health check timed out']);
    expect(judgement.elapsedMs).toBeGreaterThan(2500);
    await doctorSays(injection, /^agent-paused$/, /Agent container \(agent \d\) paused/);
    await api.call('faults.undo', { cluster: NAME, node: injection.node!, action: 'unpause' });
    // The master re-adds the task (TASK_ADDED, RUNNING) and tells the framework why; no TASK_UPDATED.
    const back = await until('the update to the framework', () => state.runs?.updates.find((u) => u.taskId === injection.taskId && u.reason === 'REASON_AGENT_REREGISTERED'), 30_000);
    expect([back.state, back.source, back.message]).toEqual(['TASK_RUNNING', 'SOURCE_MASTER', 'Unreachable agent re-reregistered']);
    await until('RUNNING again in the view', () => state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`]?.state === 'TASK_RUNNING');
  }, 120_000);

  it('a stopped agent, framework without checkpointing: LOST / AGENT_DISCONNECTED at once (row 11)', async () => {
    const { injection, judgement } = await injectAndJudge({ fault: 'stop-agent', params: { agent: agents[2]! }, framework: { checkpoint: false } });
    expect([judgement.verdict, ...final(judgement)]).toEqual(['as-expected', 'TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'SOURCE_MASTER', 'Agent 127.0.0.1 disconnected']);
    expect(judgement.elapsedMs).toBeLessThan(1500);
    await doctorSays(injection, /^agent-stopped-disconnected$/, /Agent container \(agent \d\) (stopped|died|killed)/);
    await api.call('faults.undo', { cluster: NAME, node: injection.node!, action: 'start' });
  }, 120_000);

  it('an agent restarted with a wiped work_dir, checkpointing framework: a new agent id, the old one removed: LOST / AGENT_REMOVED (docs/mesos/api.md §9 #17)', async () => {
    const port = state.view!.agents[agents[3]!]!.port;
    const { injection, judgement } = await injectAndJudge({ fault: 'wipe-agent', params: { agent: agents[3]! } });
    // Which message depends on a race Mesos runs: the new agent registering, or the old one's pings
    // running out first (1 s × 3 here; seen on real Mesos on a busy machine). Both are the table's.
    expect(judgement.verdict).toBe('as-expected');
    expect(final(judgement).slice(0, 3)).toEqual(['TASK_LOST', 'REASON_AGENT_REMOVED', 'SOURCE_MASTER']);
    expect(['Agent 127.0.0.1 removed: a new agent registered at the same address', 'health check timed out']).toContain(judgement.observed?.message);
    if (judgement.observed?.message === 'health check timed out') await doctorSays(injection, /^agent-/, null);
    else await doctorSays(injection, /^agent-replaced$/, /removed: a new agent registered at the same address/);
    const fresh = await until('the agent back under a new id', () => Object.values(state.view?.agents ?? {}).find((a) => a.port === port && a.id !== agents[3] && a.state === 'active'));
    expect(fresh.id).not.toBe(injection.agentId);
  }, 120_000);

  it('the leading master stopped: no task update, a new leader, the framework resubscribes with its id (row 18)', async () => {
    const { injection, judgement } = await injectAndJudge({ fault: 'stop-leader' });
    expect(judgement.verdict, `${judgement.detail} ${JSON.stringify(judgement.since)} ${JSON.stringify(state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`])}`).toBe('as-expected');
    expect(judgement.since).toEqual([]);
    expect(injection.leaderBefore).toBeDefined();
    expect(leaderOf(state.view)).not.toBe(injection.leaderBefore);
    const fw = await until('resubscribed', () => state.runs?.frameworks.find((f) => f.id === injection.frameworkId && f.state === 'subscribed' && f.resubscriptions > 0), 30_000);
    expect(fw.id).toBe(injection.frameworkId);
    expect(state.view?.tasks[`${injection.frameworkId}/${injection.taskId}`]?.state).toBe('TASK_RUNNING');
    // Nothing to explain: the task runs on.
    expect(await api.call('doctor.diagnose', { cluster: NAME, taskKey: `${injection.frameworkId}/${injection.taskId}` })).toMatchObject({ kind: 'none', why: 'active' });
  }, 120_000);
});
