import { describe, expect, it } from 'vitest';
import type { ClusterLayout } from '@shared/cluster/layout';
import { type AgentSpecInput, ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterSummary } from '@shared/cluster/status';
import type { Agent, ClusterView, Task } from '@shared/dashboard/view';
import { AGENT_ID, CONTAINER_ID, dockerEvent, FRAMEWORK_ID, masterLog, started, T0, taskWith } from '@shared/doctor/doctor-builders.test-support';
import { createDispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { doctorHandlers } from '../api/handlers/doctor';
import type { ClusterMonitor } from '../dashboard/cluster-monitor';
import { RecordingService } from '../recorder/recording-service';
import { DoctorService, type DoctorServiceDeps } from './doctor-service';

/**
 * The doctor on a live cluster, through the API: the monitor's view, the evidence buffer and the
 * engine's summary put through diagnose(); verdicts for the task table; and the spec change applied
 * the only way the engine can on a running cluster (a new agent with the change, the old one removed)
 * or by re-creating the cluster.
 */

const NAME = 'dr-svc';
const LAYOUT: ClusterLayout = {
  network: 'host',
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [
    { index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: `/w/${NAME}/agent-1` },
    { index: 2, port: 5052, taskPorts: { begin: 31100, end: 31199 }, workDir: `/w/${NAME}/agent-2` },
  ],
};
const SPEC = ClusterSpecSchema.parse({
  name: NAME,
  agents: { list: [{}, { resources: { ports: { begin: 31100, end: 31199 } }, flags: { executor_environment_variables: '{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2","TZ":"UTC"}' } }] },
});
const SUMMARY: ClusterSummary = { name: NAME, spec: SPEC, layout: LAYOUT, nodes: [], completeness: 'complete', mesos: { version: '1.12.0', emulator: true } };

const agent = (id: string, port: number): Agent => ({
  id,
  hostname: 'localhost',
  port,
  state: 'active',
  total: { cpus: 1, mem: 1024, disk: 4096, gpus: 0 },
  allocated: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  offered: { cpus: 0, mem: 0, disk: 0, gpus: 0 },
  attributes: {},
  capabilities: [],
});

function viewWith(tasks: Task[], agents: Agent[] = [agent(AGENT_ID, 5051), agent('S2', 5052)]): ClusterView {
  return {
    connection: { state: 'live', since: T0 },
    masters: [{ url: 'http://127.0.0.1:5050', leader: true, version: '1.12.0' }],
    agents: Object.fromEntries(agents.map((a) => [a.id, a])),
    frameworks: {},
    tasks: Object.fromEntries(tasks.map((t) => [t.key, t])),
    offers: {},
    offerHistory: [],
    metrics: [],
  };
}

const oom = taskWith([...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137', containerId: CONTAINER_ID }], { id: 'oom' });
const lost = taskWith([...started(), { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' }], { id: 'lost' });
const fine = taskWith([...started(), { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' }], { id: 'fine' });
const stuck = taskWith([], { id: 'stuck', agentId: 'S2', seenAt: T0 });

interface EngineCall {
  call: string;
  args: unknown[];
}

function setUp(view: ClusterView, evidence = true) {
  const calls: EngineCall[] = [];
  const releases: number[] = [];
  const monitor = { snapshot: () => view } as unknown as ClusterMonitor;
  const engine = {
    get: async (cluster: string) => {
      if (cluster !== NAME) throw Object.assign(new Error(`No cluster named "${cluster}".`));
      return SUMMARY;
    },
    addAgent: async (cluster: string, agentSpec: AgentSpecInput) => {
      calls.push({ call: 'addAgent', args: [cluster, agentSpec] });
      return { ...SUMMARY, layout: { ...LAYOUT, agents: [...LAYOUT.agents, { ...LAYOUT.agents[1]!, index: 3, port: 5053 }] } };
    },
    removeAgent: async (cluster: string, index: number) => {
      calls.push({ call: 'removeAgent', args: [cluster, index] });
      return SUMMARY;
    },
    destroy: async (cluster: string) => {
      calls.push({ call: 'destroy', args: [cluster] });
      return { cluster, containers: 0, taskContainers: 0, volumes: 0, networks: 0, workDirs: [], leftovers: [] };
    },
    create: async (spec: unknown) => {
      calls.push({ call: 'create', args: [spec] });
      return SUMMARY;
    },
  } as unknown as DoctorServiceDeps['engine'];
  const deps: DoctorServiceDeps = {
    monitors: {
      acquire: async () => {
        releases.push(0);
        return { monitor, release: () => releases.pop() };
      },
      forget: async (cluster) => void calls.push({ call: 'forget', args: [cluster] }),
    },
    evidence: {
      get: () =>
        evidence
          ? ({
              summary: SUMMARY,
              dockerEvents: () => [dockerEvent('task', 'oom', oom.updatedAt - 300), dockerEvent('task', 'die', oom.updatedAt - 200, { exitCode: 137, oomKilled: true })],
              logs: () => [masterLog(lost.updatedAt - 10, `Marking agent ${AGENT_ID} (localhost) unreachable: health check timed out`)],
            } as never)
          : undefined,
    },
    engine,
    now: () => T0 + 60_000,
  };
  const doctor = new DoctorService(deps);
  const handlers = fakeHandlers();
  const recordings = new RecordingService({ dir: '/nowhere', docker: () => ({}) as never, engine: engine as never, monitors: deps.monitors as never });
  const dispatcher = createDispatcher({ calls: { ...handlers.calls, ...doctorHandlers(doctor, recordings) }, events: handlers.events });
  return { dispatcher, calls, releases };
}

describe('doctor.diagnose and doctor.verdicts', () => {
  it('diagnoses a task of the live view with the evidence gathered beside the monitor, through the contract', async () => {
    const { dispatcher, releases } = setUp(viewWith([oom, lost, fine, stuck]));
    const answer = await dispatcher.call('doctor.diagnose', { cluster: NAME, taskKey: oom.key });
    expect(answer).toMatchObject({ ok: true, value: { kind: 'diagnosed', ruleId: 'oom-killed' } });
    const diagnosis = (answer as { value: { timeline: Array<{ decisive: boolean; title: string; source: string }> } }).value;
    expect(diagnosis.timeline.find((i) => i.decisive)).toMatchObject({ source: 'task-container', title: 'Task container died (exit 137, OOM killed)' });
    // The monitor is let go again.
    expect(releases).toEqual([]);

    const verdicts = await dispatcher.call('doctor.verdicts', { cluster: NAME });
    expect(verdicts).toEqual({
      ok: true,
      value: {
        [oom.key]: { kind: 'diagnosed', ruleId: 'oom-killed', title: expect.any(String), at: oom.updatedAt },
        [lost.key]: { kind: 'diagnosed', ruleId: expect.stringMatching(/^agent-/), title: expect.any(String), at: lost.updatedAt },
        // Staging for a minute with no update at all: stuck.
        [stuck.key]: { kind: 'diagnosed', ruleId: expect.stringMatching(/^staging-/), title: expect.any(String), at: T0 + 60_000 },
      },
    });
  });

  it('without the evidence the verdict is what the status alone says (exit 137, not proven an OOM kill)', async () => {
    const { dispatcher } = setUp(viewWith([oom]), false);
    expect(await dispatcher.call('doctor.diagnose', { cluster: NAME, taskKey: oom.key })).toMatchObject({ ok: true, value: { kind: 'diagnosed', ruleId: 'sigkill-137' } });
  });

  it('an unknown task or cluster is not-found, a bad key invalid-input', async () => {
    const { dispatcher } = setUp(viewWith([oom]));
    expect(await dispatcher.call('doctor.diagnose', { cluster: NAME, taskKey: `${FRAMEWORK_ID}/nope` })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatcher.call('doctor.diagnose', { cluster: NAME, taskKey: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('doctor.applyFix', () => {
  const change = { path: 'agents.list[1].flags.executor_environment_variables', suggested: '{"TZ":"UTC"}' };

  it('replace-agent: a new agent with the change first, then the old one removed', async () => {
    const { dispatcher, calls } = setUp(viewWith([]));
    const answer = await dispatcher.call('doctor.applyFix', { cluster: NAME, change, action: 'replace-agent', agent: 2 });
    expect(answer).toMatchObject({ ok: true, value: { action: 'replace-agent', message: expect.stringContaining('Agent 2 was replaced by agent 3') } });
    // The old agent's task ports stay with it until it is gone: the new one is given a range of its own.
    expect((calls[0]!.args[1] as { resources: object }).resources).not.toHaveProperty('ports');
    expect(calls).toEqual([
      { call: 'addAgent', args: [NAME, expect.objectContaining({ flags: { executor_environment_variables: '{"TZ":"UTC"}' } })] },
      { call: 'removeAgent', args: [NAME, 2] },
    ]);
  });

  it('refuses what replacing an agent cannot do, and an agent that is not there', async () => {
    const { dispatcher, calls } = setUp(viewWith([]));
    expect(await dispatcher.call('doctor.applyFix', { cluster: NAME, change: { path: 'timers.agentPingTimeout', suggested: '30secs' }, action: 'replace-agent', agent: 2 })).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('re-create the cluster') },
    });
    expect(await dispatcher.call('doctor.applyFix', { cluster: NAME, change, action: 'replace-agent', agent: 9 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await dispatcher.call('doctor.applyFix', { cluster: NAME, change, action: 'replace-agent' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(calls).toEqual([]);
  });

  it('recreate-cluster: destroyed, its monitor forgotten, created again from the changed spec', async () => {
    const { dispatcher, calls } = setUp(viewWith([]));
    const answer = await dispatcher.call('doctor.applyFix', { cluster: NAME, change, action: 'recreate-cluster' });
    expect(answer).toMatchObject({ ok: true, value: { action: 'recreate-cluster' } });
    expect(calls.map((c) => c.call)).toEqual(['destroy', 'forget', 'create']);
    expect(calls[2]!.args[0]).toMatchObject({ name: NAME, agents: { list: [{}, { resources: { ports: { begin: 31100 } }, flags: { executor_environment_variables: '{"TZ":"UTC"}' } }] } });
    // A change that makes the spec invalid is refused before anything is destroyed.
    const bad = await dispatcher.call('doctor.applyFix', { cluster: NAME, change: { path: 'timers.agentPingTimeout', suggested: 'soon' }, action: 'recreate-cluster' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('timers.agentPingTimeout') } });
    expect(calls).toHaveLength(3);
  });

  it('refuses a change outside the timers and flags by its path, and never touches Object.prototype (issue 15 #5)', async () => {
    const { dispatcher, calls } = setUp(viewWith([]));
    for (const path of ['__proto__.polluted', 'constructor.prototype.polluted', 'agents.__proto__.polluted', 'name', 'images.agent', 'privilegedAgents']) {
      for (const action of ['replace-agent', 'recreate-cluster'] as const) {
        const answer = await dispatcher.call('doctor.applyFix', { cluster: NAME, change: { path, suggested: 'yes' }, action, agent: 2 });
        expect(answer, path).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('change.path') } });
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Strict schemas still work afterwards.
    expect(await dispatcher.call('doctor.applyFix', { cluster: NAME, change, action: 'replace-agent', agent: 2 })).toMatchObject({ ok: true });
    expect(calls.map((c) => c.call)).toEqual(['addAgent', 'removeAgent']);
  });

  it('refuses a change that sets a flag the cluster does not allow (ip=0.0.0.0), either way', async () => {
    const { dispatcher, calls } = setUp(viewWith([]));
    const ip = { path: 'agents.list[1].flags.ip', suggested: '0.0.0.0' };
    const replaced = await dispatcher.call('doctor.applyFix', { cluster: NAME, change: ip, action: 'replace-agent', agent: 2 });
    expect(replaced).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/agents\.list\[1\]\.flags\.ip: --ip decides where the node listens.*allowUnsafeFlags/) } });
    const recreated = await dispatcher.call('doctor.applyFix', { cluster: NAME, change: ip, action: 'recreate-cluster' });
    expect(recreated).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('agents.list[1].flags.ip') } });
    expect(calls).toEqual([]);
  });
});
