import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '@shared/cluster/status';
import type { TaskInfo } from '@shared/mesos/scheduler';
import { RecordingTimeline } from '@shared/recording/timeline';
import { missingImages } from '../../testbed/scenario/launcher';
import { registryUp } from '../../testbed/scenario/registry-images';
import { type Core, createCore } from '../core';
import { TestFramework } from '../mesos/test-framework.test-support';
import { readRecording } from './reader';
import { recordCluster } from './record-cluster';
import { skipSuite } from '../../testbed/support/suite-skip';

/**
 * The flight recorder on a real cluster (emulated Mesos in containers, tasks as real containers on
 * the host daemon): an OOM kill, a missing image and a paused agent are recorded with their Docker
 * events and the nodes' log lines; the file, read back, gives the doctor's verdicts and their
 * decisive evidence at the moments they happened.
 */

const TASK_IMAGE = 'mesoscope/task-base:test';
const missing = await missingImages(['mesoscope/zookeeper:test', 'mesoscope/mesos-emulator:test', TASK_IMAGE]).catch(() => ['docker unavailable']);
const skip = skipSuite('recording a real cluster', missing.length > 0 ? `images missing (${missing.join(', ')}); run testbed/images/build.sh` : null);

const NAME = `dr-rec-${process.pid % 100_000}`;
let dir: string;
let core: Core;
let cluster: ClusterSummary;

const resources = (mem = 32) => [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: mem } },
];
const dockerTask = (id: string, command: string, image = TASK_IMAGE): TaskInfo => ({
  name: id,
  task_id: { value: id },
  resources: resources(),
  command: { shell: true, value: command },
  container: { type: 'DOCKER', docker: { image, network: 'HOST', force_pull_image: false } },
});

describe.skipIf(skip)('recording a real cluster', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-recorder-it-'));
    core = await createCore({ env: { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') } });
    cluster = await core.engine.create({
      name: NAME,
      agents: { count: 2 },
      pullPolicy: 'never',
      masters: { flags: { allocation_interval: '250ms' } },
      // Three missed 1 s pings: a paused agent is unreachable in ≈3.5 s (docs/mesos/faults.md, timers for test clusters).
      timers: { agentPingTimeout: '1secs', maxAgentPingTimeouts: 3 },
      images: { zookeeper: 'mesoscope/zookeeper:test', master: 'mesoscope/mesos-emulator:test', agent: 'mesoscope/mesos-emulator:test' },
    });
  }, 180_000);

  afterAll(async () => {
    await core?.engine.destroy(NAME).catch(() => undefined);
    core?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('an OOM kill, a missing image and a paused agent, diagnosed from the file with their decisive evidence', async () => {
    const registry = await registryUp();
    const path = join(dir, 'session.mesorec');
    const recording = await recordCluster({ docker: () => core.docker.docker, engine: core.engine, monitors: core.monitors }, NAME, { path, lookbackMs: 2000, syncMs: 200 });
    const masters = cluster.layout.masters.map((m) => `http://127.0.0.1:${m.port}`);
    const framework = new TestFramework(masters, { name: 'dr-recorder-it', failover_timeout: 120, checkpoint: false });
    let lostAt!: number;
    let backAt!: number;
    try {
      await framework.start();
      const { monitor, release } = await core.monitors.acquire(NAME);
      const agentOn = async (index: number) => {
        const port = cluster.layout.agents.find((a) => a.index === index)!.port;
        for (let i = 0; i < 200; i++) {
          const found = Object.values(monitor.snapshot().agents).find((a) => a.port === port && a.state === 'active');
          if (found) return found.id;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`agent ${index} not registered`);
      };
      const [agent1, agent2] = [await agentOn(1), await agentOn(2)];
      release();

      await Promise.all([
        framework.launch(agent1, [dockerTask('dr-oom', "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}")]),
        framework.launch(agent1, [dockerTask('dr-bad-image', 'echo never', '127.0.0.1:5000/mesoscope/does-not-exist:1')]),
        framework.launch(agent2, [dockerTask('dr-long', 'echo started; sleep 600')]),
      ]);
      await framework.terminal('dr-oom');
      await framework.terminal('dr-bad-image');
      await framework.update('dr-long', 'TASK_RUNNING');

      recording.recorder.mark('Fault: pause agent 2');
      await core.engine.nodeAction(NAME, `mesoscope-${NAME}-agent-2`, 'pause');
      const lost = await framework.update('dr-long', 'TASK_LOST', 20_000);
      lostAt = lost.at;
      await new Promise((r) => setTimeout(r, 2000));
      await core.engine.nodeAction(NAME, `mesoscope-${NAME}-agent-2`, 'unpause');
      // Re-registered: RUNNING / REASON_AGENT_REREGISTERED (docs/mesos/faults.md row 9), after the LOST.
      backAt = (await framework.update('dr-long', 'TASK_RUNNING', 30_000, framework.updates('dr-long').indexOf(lost) + 1)).at;
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      framework.close();
    }
    const summary = await recording.stop();
    expect(summary.counts.docker).toBeGreaterThan(0);
    expect(summary.counts.logs).toBeGreaterThan(0);
    if (process.env.RECORDER_FIGURES) console.log(`[recorder] ${summary.entries} entries, ${summary.bytes} bytes in ${summary.endedAt - summary.startedAt} ms`, summary.counts);

    const back = await readRecording(path);
    expect([back.complete, back.header.cluster.name, back.header.logs]).toEqual([true, NAME, 'evidence']);
    const timeline = new RecordingTimeline(back.header, back.entries);
    const key = (task: string) => `${framework.id}/${task}`;

    // A second after the view first showed the loss (the agent stayed paused 2 s longer): the paused
    // agent, its Docker pause decisive, the master's log line beside it.
    const lossMoment = timeline.moments().find((m) => timeline.stateAt(m).view?.tasks[key('dr-long')]?.state === 'TASK_LOST');
    expect(lossMoment).toBeGreaterThanOrEqual(lostAt - 1000);
    const atLoss = timeline.diagnosesAt(lossMoment! + 1000);
    expect(atLoss[key('dr-long')]).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-paused', title: 'Agent paused: unreachable' });
    const lossTimeline = atLoss[key('dr-long')]!.timeline;
    expect(lossTimeline.find((i) => i.decisive)).toMatchObject({ kind: 'docker', title: 'Agent container (agent 2) paused' });
    expect(lossTimeline.some((i) => i.kind === 'log' && /Marking agent \S+ \(.*\) unreachable: health check timed out/.test(i.title))).toBe(true);

    // The OOM kill: Docker's OOMKilled on the task container, found by its sandbox in agent 1's work dir.
    const oom = atLoss[key('dr-oom')]!;
    expect(oom).toMatchObject({ kind: 'diagnosed', ruleId: 'oom-killed' });
    expect(oom.timeline.find((i) => i.decisive)).toMatchObject({ kind: 'docker', source: 'task-container', title: 'Task container died (exit 137, OOM killed)' });
    expect(oom.timeline.find((i) => i.decisive)?.docker).toMatchObject({ agentIndex: 1, exitCode: 137, oomKilled: true });

    // The missing image: the registry's own answer, or its absence.
    expect(atLoss[key('dr-bad-image')]).toMatchObject({ kind: 'diagnosed', ruleId: registry ? 'image-not-found' : 'registry-unreachable' });

    // After the unpause the task runs again; the others keep their verdicts.
    const atEnd = timeline.diagnosesAt(backAt + 1000);
    expect(atEnd[key('dr-long')]).toBeUndefined();
    expect(Object.keys(atEnd).sort()).toEqual([key('dr-bad-image'), key('dr-oom')].sort());
    expect(timeline.stateAt(backAt + 1000).marks.map((m) => m.label)).toEqual(['Fault: pause agent 2']);
  }, 180_000);
});
