import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '@shared/mesos/scheduler';
import { docker, EMULATOR_IMAGE, launch, missingImages, removeAll, waitFor, ZK_IMAGE, type AgentNode, type ScenarioCluster } from '../../testbed/scenario/launcher';
import { dropLocal, prepareSlowPullImage, registryUp } from '../../testbed/scenario/registry-images';
import { post } from './http';
import { findTask, getTasks, row, TestFramework, type Received } from './test-framework.test-support';
import { recordedEvents } from './transcripts.test-support';
import { skipSuite } from '../../testbed/support/suite-skip';

/**
 * docs/mesos/faults.md, row by row, end to end: emulated masters and agents in containers, tasks as real
 * containers on the host daemon, observed through the app's SchedulerClient and through GET_TASKS.
 * One cluster serves every row: independent rows run side by side, the agent faults (rows 9–12)
 * hit one "victim" agent, the leader stops last but one (row 18), and an agent with
 * docker_kill_orphans=true comes last, since it removes every task container it does not know.
 */

const TASK_IMAGE = 'mesoscope/task-base:test';
const missing = await missingImages([ZK_IMAGE, EMULATOR_IMAGE, TASK_IMAGE]).catch(() => ['docker unavailable']);
const registry = missing.length === 0 && (await registryUp());
const skip = skipSuite(
  'faults.md end to end',
  missing.length > 0 || !registry ? `${missing.length ? `images missing (${missing.join(', ')})` : 'no registry at 127.0.0.1:5000'}; run testbed/images/build.sh` : null,
);

const exec = promisify(execFile);
const run = `faults-${process.pid}-${Date.now().toString(36)}`;
const secs = (from: number, to: number) => (to - from) / 1000;

const resources = (cpus = 0.1, mem = 32) => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: cpus } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
];
const dockerTask = (id: string, command: string, image = TASK_IMAGE, mem = 32): TaskInfo => ({
  name: id,
  task_id: { value: id },
  resources: resources(0.1, mem),
  command: { shell: true, value: command },
  container: { type: 'DOCKER', docker: { image, network: 'HOST', force_pull_image: false } },
});
/** Key paths of a JSON value, to compare an update's shape with a recorded one. */
const shape = (v: unknown, p = ''): string[] =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.entries(v).flatMap(([k, x]) => [`${p}${k}`, ...shape(x, `${p}${k}.`)]).sort()
    : Array.isArray(v) && v.length > 0
      ? shape(v[0], `${p}[].`)
      : [];
/** The recorded update of `folder`'s scheduler stream with this state and reason. */
const recorded = (folder: string, state: string, reason: string) =>
  recordedEvents(folder)
    .filter((e) => e.type === 'UPDATE')
    .map((e) => (e as unknown as { update: { status: { state: string; reason?: string } } }).update.status)
    .find((s) => s.state === state && s.reason === reason)!;
const recordedFailure = (folder: string) => recordedEvents(folder).find((e) => e.type === 'FAILURE')!;
const commandTask = (id: string, command: string): TaskInfo => ({ name: id, task_id: { value: id }, resources: resources(), command: { shell: true, value: command } });

describe.skipIf(skip)('docs/mesos/faults.md end to end (SchedulerClient + GET_TASKS)', () => {
  let c: ScenarioCluster;
  let masters: string[];
  let agentIds: Record<'main' | 'victim' | 'misconfigured', string>;
  let nodes: Record<'main' | 'victim' | 'misconfigured', AgentNode>;
  let legacy: TestFramework;
  let pa: TestFramework;
  let ckpt: TestFramework;
  let zero: TestFramework;
  let slowImage: string;

  /** The task as GET_TASKS shows it: where it is listed and its last status's columns. */
  const inGetTasks = async (f: TestFramework, taskId: string) => {
    const found = findTask(await getTasks(masters), f.id, taskId);
    const last = found?.task.statuses[found.task.statuses.length - 1];
    return found && { where: found.where, state: found.task.state, last: last && row(last), task: found.task };
  };

  beforeAll(async () => {
    await removeAll().catch(() => undefined);
    slowImage = await prepareSlowPullImage();
    c = await launch({ run, masterFlags: ['--zk_session_timeout=4secs', '--allocation_interval=250ms'] });
    const m1 = await c.startMaster(0);
    await waitFor('master 1 elected', async () => ((await fetch(`${m1.url}/metrics/snapshot`).then((r) => r.json() as Promise<Record<string, number>>))['master/elected'] === 1 ? true : undefined), 60_000);
    const m2 = await c.startMaster(1);
    masters = [m1.url, m2.url];
    const timers = ['--executor_registration_timeout=2secs'];
    nodes = {
      main: await c.startAgent(0, { flags: timers }),
      victim: await c.startAgent(1, { flags: timers }),
      // The executor advertises an address nobody listens on (row 14); no docker containerizer (row 17).
      misconfigured: await c.startAgent(2, { flags: [...timers, '--containerizers=mesos', '--executor_environment_variables={"LIBPROCESS_ADVERTISE_IP":"127.0.0.2"}'] }),
    };
    const ids = await waitFor(
      'three agents',
      async () => {
        const s = (await fetch(`${m1.url}/master/state`).then((r) => r.json())) as { slaves: Array<{ id: string; port: number }> };
        return s.slaves.length === 3 ? s.slaves : undefined;
      },
      60_000,
    );
    const idOf = (n: AgentNode) => ids.find((s) => s.port === n.port)!.id;
    agentIds = { main: idOf(nodes.main), victim: idOf(nodes.victim), misconfigured: idOf(nodes.misconfigured) };
    const killing = [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }];
    legacy = new TestFramework(masters, { name: 'legacy', failover_timeout: 300, checkpoint: false, capabilities: killing });
    pa = new TestFramework(masters, { name: 'partition-aware', failover_timeout: 300, checkpoint: false, capabilities: [...killing, { type: 'PARTITION_AWARE' }] });
    ckpt = new TestFramework(masters, { name: 'checkpointing', failover_timeout: 300, checkpoint: true, capabilities: killing });
    zero = new TestFramework(masters, { name: 'failover-zero', failover_timeout: 0, capabilities: killing });
    await Promise.all([legacy.start(), pa.start(), ckpt.start(), zero.start()]);
  }, 240_000);

  afterAll(async () => {
    for (const f of [legacy, pa, ckpt, zero]) f?.close();
    await c?.stop();
    await removeAll(run).catch(() => undefined);
    if (slowImage) await dropLocal(slowImage);
  }, 120_000);

  describe('rows 1–8 and 13–17, side by side', () => {
    const started = new Map<string, number>();
    const go = (f: TestFramework, agent: keyof typeof agentIds, task: TaskInfo) => {
      started.set(task.task_id.value, Date.now());
      return f.launch(agentIds[agent], [task]);
    };

    beforeAll(async () => {
      await Promise.all([
        go(legacy, 'main', dockerTask('r1-exit0', 'for i in 1 2 3; do echo line-$i; done')),
        go(legacy, 'main', dockerTask('r2-exit1', 'echo about to fail; exit 1')),
        go(legacy, 'main', dockerTask('r3-oom', "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}")),
        go(legacy, 'main', dockerTask('r4-bad-image', 'echo never', '127.0.0.1:5000/mesoscope/does-not-exist:1')),
        go(legacy, 'main', { ...commandTask('r5-no-resources', 'true'), resources: [] }),
        go(legacy, 'main', dockerTask('r7-kill', 'echo line-1; echo line-2; sleep 600')),
        go(legacy, 'main', commandTask('r8-command', 'echo plain command task; sleep 1')),
        go(legacy, 'main', dockerTask('r13-slow-pull', 'true', slowImage)),
        go(legacy, 'misconfigured', commandTask('r14-unreachable-executor', 'sleep 60')),
        go(legacy, 'main', {
          ...commandTask('r15-no-registration', 'true'),
          command: undefined,
          executor: { executor_id: { value: 'r15-executor' }, command: { shell: true, value: 'sleep 60' }, resources: resources(0.1, 32) },
        }),
        go(zero, 'main', dockerTask('r16-framework-gone', 'sleep 600')),
        go(legacy, 'misconfigured', dockerTask('r17-no-docker', 'true')),
      ]);
      // Rows 6 and 6b: an ACCEPT naming an offer that does not exist.
      const fake = '00000000-0000-0000-0000-000000000000-O999';
      for (const [f, id] of [
        [legacy, 'r6-stale-offer'],
        [pa, 'r6b-stale-offer'],
      ] as const) {
        started.set(id, Date.now());
        await f.client.accept([fake], [{ type: 'LAUNCH', launch: { task_infos: [{ ...dockerTask(id, 'true'), agent_id: { value: agentIds.main } }] } }]);
      }
    }, 60_000);

    const expectRows = (got: Received[], want: string[][]) => expect(got.map((r) => row(r.status))).toEqual(want);

    it('row 1: exits 0 → STARTING, RUNNING (container id and IP), FINISHED "Container exited with status 0"', async () => {
      await legacy.terminal('r1-exit0');
      const got = legacy.updates('r1-exit0');
      expectRows(got, [
        ['TASK_STARTING', '–', 'SOURCE_EXECUTOR', ''],
        ['TASK_RUNNING', '–', 'SOURCE_EXECUTOR', ''],
        ['TASK_FINISHED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 0'],
      ]);
      const cs = got[1]!.status.container_status!;
      expect(cs.container_id?.value).toMatch(/^[0-9a-f-]{36}$/);
      expect(cs.network_infos?.[0]?.ip_addresses?.[0]?.ip_address).toBe('127.0.0.1');
      expect(got[1]!.status.data).toBeDefined();
      expect((await inGetTasks(legacy, 'r1-exit0'))?.last).toEqual(row(got[2]!.status));
    });

    it('row 2: exits 1 → FAILED "Container exited with status 1"', async () => {
      const end = await legacy.terminal('r2-exit1');
      expect(legacy.updates('r2-exit1').map((r) => r.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
      expect(row(end.status)).toEqual(['TASK_FAILED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 1']);
      expect((await inGetTasks(legacy, 'r2-exit1'))?.last).toEqual(row(end.status));
    });

    it('row 3: over its memory → FAILED "Container exited with status 137", no reason', async () => {
      const end = await legacy.terminal('r3-oom');
      expect(row(end.status)).toEqual(['TASK_FAILED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 137']);
      expect(legacy.updates('r3-oom').map((r) => r.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
      expect((await inGetTasks(legacy, 'r3-oom'))?.last).toEqual(row(end.status));
    });

    it('row 4: tag missing from the registry → FAILED / CONTAINER_LAUNCH_FAILED / AGENT with the daemon’s error', async () => {
      const end = await legacy.terminal('r4-bad-image');
      const image = '127.0.0.1:5000/mesoscope/does-not-exist:1';
      expect(legacy.updates('r4-bad-image')).toHaveLength(1);
      expect(row(end.status)).toEqual([
        'TASK_FAILED',
        'REASON_CONTAINER_LAUNCH_FAILED',
        'SOURCE_AGENT',
        `Failed to launch container: Failed to run 'docker -H unix:///var/run/docker.sock pull ${image}': exited with status 1; stderr='Error response from daemon: manifest for ${image} not found: manifest unknown: manifest unknown\n'`,
      ]);
      expect(secs(started.get('r4-bad-image')!, end.at)).toBeLessThan(8);
      expect((await inGetTasks(legacy, 'r4-bad-image'))?.last).toEqual(row(end.status));
    });

    it('row 5: no resources → ERROR / TASK_INVALID / MASTER "Task uses no resources", at ACCEPT, never listed', async () => {
      const end = await legacy.terminal('r5-no-resources');
      expect(row(end.status)).toEqual(['TASK_ERROR', 'REASON_TASK_INVALID', 'SOURCE_MASTER', 'Task uses no resources']);
      expect(end.status.uuid).toBeUndefined();
      expect(await inGetTasks(legacy, 'r5-no-resources')).toBeUndefined();
    });

    it('rows 6 and 6b: unknown offer → LOST (legacy) / DROPPED (partition-aware), INVALID_OFFERS, at ACCEPT', async () => {
      const message = 'Task launched with invalid offers: Offer 00000000-0000-0000-0000-000000000000-O999 is no longer valid';
      const lost = await legacy.terminal('r6-stale-offer');
      const dropped = await pa.terminal('r6b-stale-offer');
      expect(row(lost.status)).toEqual(['TASK_LOST', 'REASON_INVALID_OFFERS', 'SOURCE_MASTER', message]);
      expect(row(dropped.status)).toEqual(['TASK_DROPPED', 'REASON_INVALID_OFFERS', 'SOURCE_MASTER', message]);
      expect(secs(started.get('r6-stale-offer')!, lost.at)).toBeLessThan(2);
      expect(await inGetTasks(legacy, 'r6-stale-offer')).toBeUndefined();
    });

    it('row 7: a real container with limits and the sandbox; stdout through /files/read; KILL → KILLING, KILLED 137 ~5 s later', async () => {
      const running = await legacy.update('r7-kill', 'TASK_RUNNING');
      const cid = running.status.container_status!.container_id!.value;
      const sandboxPath = `/frameworks/${legacy.id}/executors/r7-kill/runs/latest/stdout`;
      const read = await waitFor(
        'both lines in stdout',
        async () => {
          const r = (await fetch(`${nodes.main.url}/files/read?path=${encodeURIComponent(sandboxPath)}&offset=0`).then((x) => x.json())) as { data: string };
          return r.data === 'line-1\nline-2\n' ? r : undefined;
        },
        10_000,
      );
      expect(read.data).toBe('line-1\nline-2\n');
      const inspect = JSON.parse((await exec('docker', ['inspect', `mesos-${cid}`])).stdout)[0] as {
        State: { Running: boolean };
        HostConfig: { Memory: number; CpuShares: number; Binds: string[] };
        Path: string;
        Args: string[];
      };
      expect(inspect.State.Running).toBe(true);
      expect(inspect.HostConfig.Memory).toBe(32 * 1024 * 1024);
      expect(inspect.HostConfig.CpuShares).toBe(102);
      expect(inspect.HostConfig.Binds.some((b) => b.endsWith(`/runs/${cid}:/mnt/mesos/sandbox`))).toBe(true);
      expect([inspect.Path, ...inspect.Args]).toEqual(['/bin/sh', '-c', 'echo line-1; echo line-2; sleep 600']);

      await legacy.client.kill('r7-kill', running.status.agent_id!.value);
      const killing = await legacy.update('r7-kill', 'TASK_KILLING');
      const killed = await legacy.update('r7-kill', 'TASK_KILLED', 15_000);
      expect(row(killing.status)).toEqual(['TASK_KILLING', '–', 'SOURCE_EXECUTOR', '']);
      expect(row(killed.status)).toEqual(['TASK_KILLED', '–', 'SOURCE_EXECUTOR', 'Container exited with status 137']);
      expect(secs(killing.at, killed.at)).toBeGreaterThan(4);
      expect(secs(killing.at, killed.at)).toBeLessThan(8);
      expect((await inGetTasks(legacy, 'r7-kill'))?.last).toEqual(row(killed.status));
    }, 30_000);

    it('row 8: a plain command task (Mesos containerizer) → FINISHED "Command exited with status 0"', async () => {
      const end = await legacy.terminal('r8-command');
      expect(legacy.updates('r8-command').map((r) => r.status.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      expect(row(end.status)).toEqual(['TASK_FINISHED', '–', 'SOURCE_EXECUTOR', 'Command exited with status 0']);
      expect((await inGetTasks(legacy, 'r8-command'))?.last).toEqual(row(end.status));
    });

    it('row 13: pull slower than the 2 s registration timeout → FAILED / CONTAINER_LAUNCH_FAILED "…discarded…" at the timeout', async () => {
      const end = await legacy.terminal('r13-slow-pull');
      expect(row(end.status)).toEqual([
        'TASK_FAILED',
        'REASON_CONTAINER_LAUNCH_FAILED',
        'SOURCE_AGENT',
        'Failed to launch container: discarded; Abnormal executor termination: unknown container',
      ]);
      const took = secs(started.get('r13-slow-pull')!, end.at);
      expect(took).toBeGreaterThan(1.5);
      expect(took).toBeLessThan(6);
      expect((await inGetTasks(legacy, 'r13-slow-pull'))?.last).toEqual(row(end.status));
    });

    it('row 14: executor unreachable → no update, STAGING past the timeout, reconciliation STAGING; the agent logs the failed sends; a kill is lost too', async () => {
      await new Promise((r) => setTimeout(r, Math.max(0, started.get('r14-unreachable-executor')! + 3000 - Date.now())));
      expect(legacy.updates('r14-unreachable-executor')).toEqual([]);
      const listed = await inGetTasks(legacy, 'r14-unreachable-executor');
      expect([listed?.where, listed?.state, listed?.task.statuses]).toEqual(['tasks', 'TASK_STAGING', []]);
      await legacy.client.reconcile([{ taskId: 'r14-unreachable-executor', agentId: agentIds.misconfigured }]);
      const answer = await legacy.update('r14-unreachable-executor', 'TASK_STAGING');
      expect(row(answer.status)).toEqual(['TASK_STAGING', 'REASON_RECONCILIATION', 'SOURCE_MASTER', 'Reconciliation: Latest task state']);
      expect(await c.logs(nodes.misconfigured.name)).toMatch(
        /Failed to send 'mesos\.internal\.RunTaskMessage' to '127\.0\.0\.2:(\d+)', connect: Failed to connect to 127\.0\.0\.2:\1: Connection refused/,
      );
      // As on Mesos 1.12: the kill is sent to the executor and lost like the task; no update comes.
      await legacy.client.kill('r14-unreachable-executor', agentIds.misconfigured);
      await expect.poll(() => c.logs(nodes.misconfigured.name), { timeout: 10_000 }).toMatch(/Failed to send 'mesos\.internal\.KillTaskMessage' to '127\.0\.0\.2:\d+'/);
      expect(legacy.updates('r14-unreachable-executor').map((u) => u.status.reason)).toEqual(['REASON_RECONCILIATION']);
    }, 20_000);

    it('row 15: an executor that never registers → FAILED / EXECUTOR_REGISTRATION_TIMEOUT / AGENT at the timeout', async () => {
      const end = await legacy.terminal('r15-no-registration');
      expect(row(end.status)).toEqual(['TASK_FAILED', 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', 'SOURCE_AGENT', 'Executor did not register within 2secs']);
      const took = secs(started.get('r15-no-registration')!, end.at);
      // At the 2 s timeout, not at once; the upper bound only rules out some later, unrelated end (a loaded
      // machine delays the agent's timer by seconds).
      expect(took).toBeGreaterThan(1.5);
      expect(took).toBeLessThan(20);
      expect((await inGetTasks(legacy, 'r15-no-registration'))?.last).toEqual(row(end.status));
    });

    it('row 16: the stream of a failover_timeout 0 framework drops → its tasks KILLED / FRAMEWORK_REMOVED / MASTER at once', async () => {
      await zero.update('r16-framework-gone', 'TASK_RUNNING');
      const id = zero.id;
      const dropped = Date.now();
      zero.close();
      const listed = await waitFor(
        'the task killed',
        async () => {
          const t = await inGetTasks(zero, 'r16-framework-gone');
          return t?.state === 'TASK_KILLED' ? t : undefined;
        },
        5000,
        100,
      );
      expect(secs(dropped, Date.now())).toBeLessThan(3);
      expect([listed.where, listed.last]).toEqual(['completed_tasks', ['TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', 'SOURCE_MASTER', `Framework ${id} removed`]]);
    });

    it('row 17: a DOCKER task on an agent without the docker containerizer → FAILED / EXECUTOR_TERMINATED / AGENT at launch', async () => {
      const end = await legacy.terminal('r17-no-docker');
      expect(row(end.status)).toEqual(['TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'SOURCE_AGENT', 'Abnormal executor termination: unknown container']);
      expect(secs(started.get('r17-no-docker')!, end.at)).toBeLessThan(3);
      expect((await inGetTasks(legacy, 'r17-no-docker'))?.last).toEqual(row(end.status));
    });
  });

  describe('rows 9–12: the victim agent paused, then stopped and started again', () => {
    const long = (id: string) => dockerTask(id, 'echo started; sleep 600');

    it('rows 9 and 10: paused → LOST (legacy) / UNREACHABLE (partition-aware), AGENT_REMOVED "health check timed out" ≈3.5 s, FAILURE; unpaused → RUNNING / AGENT_REREGISTERED', async () => {
      await Promise.all([legacy.launch(agentIds.victim, [long('r9-paused')]), pa.launch(agentIds.victim, [long('r10-paused')])]);
      await Promise.all([legacy.update('r9-paused', 'TASK_RUNNING'), pa.update('r10-paused', 'TASK_RUNNING')]);
      await docker(['pause', nodes.victim.name]);
      const paused = Date.now();
      try {
        const lost = await legacy.update('r9-paused', 'TASK_LOST', 15_000);
        const unreachable = await pa.update('r10-paused', 'TASK_UNREACHABLE', 15_000);
        for (const [r, state] of [
          [lost, 'TASK_LOST'],
          [unreachable, 'TASK_UNREACHABLE'],
        ] as const) {
          expect(row(r.status)).toEqual([state, 'REASON_AGENT_REMOVED', 'SOURCE_MASTER', 'health check timed out']);
          expect(r.status.unreachable_time?.nanoseconds).toBeGreaterThan(0);
          expect(secs(paused, r.at)).toBeGreaterThan(2.5);
          expect(secs(paused, r.at)).toBeLessThan(8);
        }
        // Shaped like the recorded ones (transcripts/fault-pause-legacy/sched.events.jsonl).
        expect(shape(lost.status)).toEqual(shape(recorded('fault-pause-legacy', 'TASK_LOST', 'REASON_AGENT_REMOVED')));
        for (const f of [legacy, pa]) {
          const failure = await f.until('FAILURE of the victim', () => f.failures.find((x) => x.failure.agent_id?.value === agentIds.victim && x.at >= paused));
          expect(shape({ type: 'FAILURE', failure: failure.failure })).toEqual(shape(recordedFailure('fault-pause-legacy')));
        }
        for (const [f, id, state] of [
          [legacy, 'r9-paused', 'TASK_LOST'],
          [pa, 'r10-paused', 'TASK_UNREACHABLE'],
        ] as const) {
          const t = await inGetTasks(f, id);
          expect([t?.where, t?.state, t?.last]).toEqual(['unreachable_tasks', state, [state, 'REASON_AGENT_REMOVED', 'SOURCE_MASTER', 'health check timed out']]);
        }
      } finally {
        await docker(['unpause', nodes.victim.name]);
      }
      for (const [f, id] of [
        [legacy, 'r9-paused'],
        [pa, 'r10-paused'],
      ] as const) {
        const back = await f.update(id, 'TASK_RUNNING', 20_000, 2);
        expect(row(back.status)).toEqual(['TASK_RUNNING', 'REASON_AGENT_REREGISTERED', 'SOURCE_MASTER', 'Unreachable agent re-reregistered']);
        expect(shape(back.status)).toEqual(shape(recorded('fault-pause-legacy', 'TASK_RUNNING', 'REASON_AGENT_REREGISTERED')));
        const t = await inGetTasks(f, id);
        expect([t?.where, t?.state]).toEqual(['tasks', 'TASK_RUNNING']);
      }
    }, 60_000);

    it('rows 11 and 12: stopped → ckpt off LOST / AGENT_DISCONNECTED at once, ckpt on LOST / AGENT_REMOVED ≈3.5 s; started again → FAILED / AGENT_REREGISTERED, then FAILED / EXECUTOR_TERMINATED "Container terminated"', async () => {
      await ckpt.launch(agentIds.victim, [long('r12-checkpointed')]);
      await ckpt.update('r12-checkpointed', 'TASK_RUNNING');
      const before = legacy.updates('r9-paused').length;
      await docker(['stop', '--time', '1', nodes.victim.name]);
      const stopped = Date.now();
      const disconnected = await legacy.update('r9-paused', 'TASK_LOST', 10_000, before);
      expect(row(disconnected.status)).toEqual(['TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'SOURCE_MASTER', 'Agent 127.0.0.1 disconnected']);
      expect(shape(disconnected.status)).toEqual(shape(recorded('fault-stop-legacy', 'TASK_LOST', 'REASON_AGENT_DISCONNECTED')));
      expect(secs(stopped, disconnected.at)).toBeLessThan(1.5);
      // The source gives the same for partition-aware frameworks (docs/mesos/faults.md row 11): no PA variant.
      const paLost = await pa.update('r10-paused', 'TASK_LOST', 10_000);
      expect(row(paLost.status)).toEqual(['TASK_LOST', 'REASON_AGENT_DISCONNECTED', 'SOURCE_MASTER', 'Agent 127.0.0.1 disconnected']);
      const failure = await legacy.until('FAILURE after the stop', () => legacy.failures.find((x) => x.at > stopped));
      expect(secs(disconnected.at, failure.at)).toBeGreaterThan(2);
      expect(secs(disconnected.at, failure.at)).toBeLessThan(8);
      const lost = await ckpt.update('r12-checkpointed', 'TASK_LOST', 15_000);
      expect(row(lost.status)).toEqual(['TASK_LOST', 'REASON_AGENT_REMOVED', 'SOURCE_MASTER', 'health check timed out']);
      expect(secs(stopped, lost.at)).toBeGreaterThan(2.5);
      expect(secs(stopped, lost.at)).toBeLessThan(8);
      expect((await inGetTasks(legacy, 'r9-paused'))?.where).toBe('completed_tasks');

      await docker(['start', nodes.victim.name]);
      const failed = await ckpt.update('r12-checkpointed', 'TASK_FAILED', 30_000);
      expect(row(failed.status)).toEqual(['TASK_FAILED', 'REASON_AGENT_REREGISTERED', 'SOURCE_MASTER', 'Unreachable agent re-reregistered']);
      const terminated = await ckpt.until('FAILED / EXECUTOR_TERMINATED', () =>
        ckpt.updates('r12-checkpointed').find((r) => r.status.reason === 'REASON_EXECUTOR_TERMINATED'),
      );
      expect(row(terminated.status)).toEqual(['TASK_FAILED', 'REASON_EXECUTOR_TERMINATED', 'SOURCE_AGENT', 'Container terminated']);
      expect(terminated.at).toBeGreaterThanOrEqual(failed.at);
      const t = await inGetTasks(ckpt, 'r12-checkpointed');
      expect([t?.state, t?.last]).toEqual(['TASK_FAILED', row(terminated.status)]);
    }, 90_000);
  });

  describe('row 18: the leading master stops', () => {
    it('no task update; the standby is elected, agents follow, the framework resubscribes with its id; the standby had answered SUBSCRIBE with 307', async () => {
      await legacy.launch(agentIds.main, [dockerTask('r18-survivor', 'sleep 600')]);
      await legacy.update('r18-survivor', 'TASK_RUNNING');
      const [m1, m2] = c.masters as [NonNullable<(typeof c.masters)[0]>, NonNullable<(typeof c.masters)[1]>];
      const redirect = await fetch(`${m2.url}/api/v1/scheduler`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'probe' } } }),
      });
      expect([redirect.status, redirect.headers.get('location')]).toEqual([307, `//127.0.0.1:${m1.port}/master/api/v1/scheduler`]);

      const updatesBefore = legacy.received.length;
      const subscriptionsBefore = legacy.subscriptions.length;
      const dropped = new Promise<string>((resolve) => legacy.client.on('disconnected', (d) => resolve(d.reason)));
      await docker(['stop', '--time', '1', m1.name]);
      const stopped = Date.now();
      await dropped;
      const again = await legacy.until('a resubscription', () => legacy.subscriptions[subscriptionsBefore], 40_000);
      expect(again.frameworkId).toBe(legacy.id);
      expect(again.resubscribed).toBe(true);
      expect(again.endpoint).toContain(`:${m2.port}/`);
      expect(secs(stopped, Date.now())).toBeLessThan(30);
      const listed = await waitFor(
        'the task on the new leader',
        async () => {
          const r = await post(`${m2.url}/api/v1`, JSON.stringify({ type: 'GET_TASKS' }));
          const t = findTask(await getTasks([m2.url]), legacy.id, 'r18-survivor');
          return r.status === 200 && t ? t : undefined;
        },
        30_000,
        500,
      );
      expect([listed.where, listed.task.state]).toEqual(['tasks', 'TASK_RUNNING']);
      expect(legacy.received.slice(updatesBefore)).toEqual([]);
      await legacy.client.reconcile([{ taskId: 'r18-survivor' }]);
      const answer = await legacy.update('r18-survivor', 'TASK_RUNNING', 10_000, 2);
      expect(row(answer.status)).toEqual(['TASK_RUNNING', 'REASON_RECONCILIATION', 'SOURCE_MASTER', 'Reconciliation: Latest task state']);
      masters = [m2.url];
    }, 90_000);
  });

  describe('docker_kill_orphans', () => {
    it('a new agent with docker_kill_orphans=true removes, at start, a stray mesos- container it does not know', async () => {
      // Row 11's task container outlived its executor and nobody knows it any more (docs/mesos/faults.md, side effects).
      const stray = legacy.updates('r9-paused')[1]!.status.container_status!.container_id!.value;
      expect((await exec('docker', ['inspect', '--format', '{{.State.Status}}', `mesos-${stray}`])).stdout.trim()).toBe('running');
      const killer = await c.startAgent(3, { env: { MESOS_DOCKER_KILL_ORPHANS: 'true' } });
      const gone = await waitFor(
        'the stray container removed',
        async () => ((await exec('docker', ['inspect', `mesos-${stray}`]).then(() => false, () => true)) ? true : undefined),
        15_000,
        250,
      ).catch(() => false);
      const logs = await c.logs(killer.name);
      expect(gone, logs).toBe(true);
      expect(logs).toContain(`Killing orphaned docker container 'mesos-${stray}'`);
    }, 60_000);
  });
});
