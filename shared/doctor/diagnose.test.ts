import { describe, expect, it } from 'vitest';
import { ClusterSpecSchema } from '../cluster/spec';
import { diagnose } from './diagnose';
import { DiagnosisSchema } from './diagnosis';
import type { AgentEvidence } from './evidence';
import { AGENT_ID, agentLog, CONTAINER_ID, dockerEvent, FRAMEWORK_ID, masterLog, started, T0, taskWith } from './doctor-builders.test-support';
import { inRange, parseVersion } from './version';

const at = (n: number) => T0 + n * 1000;
const onNode1: AgentEvidence = { id: AGENT_ID, state: 'registered', hostname: '127.0.0.1', node: { role: 'agent', index: 1 } };
const EXECUTOR_UNREACHABLE = "Failed to send 'mesos.internal.ExecutorRegisteredMessage' to '127.0.0.2:41235', connect: Failed to connect to 127.0.0.2:41235: Connection refused";

describe('unknown combinations: unrecognised, with the raw status', () => {
  const cases = [
    ['FAILED with exit 0', { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 0' }],
    ['a reason from a future Mesos', { state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_SOMETHING_NEW', message: 'New failure' }],
    ['a known reason in the wrong state', { state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_GC_ERROR', message: 'gc' }],
    ['a master reason from the agent', { state: 'TASK_LOST', source: 'SOURCE_AGENT', reason: 'REASON_AGENT_DISCONNECTED', message: 'Agent 127.0.0.1 disconnected' }],
    ['a known reason with a message no rule knows', { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'the agent was abducted' }],
    ['no reason, no message', { state: 'TASK_LOST' }],
  ] as const;

  it.each(cases)('%s', (_name, status) => {
    const d = diagnose({ task: taskWith([...started(), status]) });
    expect(d.kind).toBe('unrecognised');
    if (d.kind !== 'unrecognised') return;
    expect(d.raw).toEqual({ state: status.state, reason: 'reason' in status ? status.reason : undefined, source: 'source' in status ? status.source : undefined, message: 'message' in status ? status.message : undefined });
    expect(d.status).toMatchObject(status);
    // The history is still shown; nothing is called decisive.
    expect(d.timeline.map((i) => i.title)).toContain('TASK_RUNNING');
    expect(d.timeline.some((i) => i.decisive)).toBe(false);
    expect(() => DiagnosisSchema.parse(d)).not.toThrow();
  });

  it('REASON_COMMAND_EXECUTOR_FAILED, the unused enum default, reads as no reason (docs/mesos/api.md §4.3)', () => {
    const d = diagnose({ task: taskWith([...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'Container exited with status 1' }]) });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('nonzero-exit');
  });
});

describe('what needs no diagnosis', () => {
  it('a terminal state whose status is still in flight to the scheduler', () => {
    // transcripts/basic: oom-hog was TASK_FAILED for the master while its RUNNING awaited acknowledgement.
    const task = { ...taskWith(started()), state: 'TASK_FAILED' as const, pendingState: 'TASK_RUNNING' as const };
    expect(diagnose({ task })).toEqual({ kind: 'none', taskKey: task.key, why: 'awaiting-status' });
  });

  it('a task that came back RUNNING after its agent re-registered (docs/mesos/faults.md row 9) is fine again', () => {
    const task = taskWith([
      ...started(),
      { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' },
      { state: 'TASK_RUNNING', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REREGISTERED', message: 'Unreachable agent re-reregistered' },
    ]);
    expect(diagnose({ task })).toMatchObject({ kind: 'none', why: 'active' });
    // …but at the moment it was lost, it was diagnosed: the slider's view of the past.
    const lost = { ...task, state: 'TASK_LOST' as const, statuses: task.statuses.slice(0, 3) };
    expect(diagnose({ task: lost, now: at(3.5) })).toMatchObject({ kind: 'diagnosed', ruleId: 'agent-unreachable' });
  });
});

describe('a task that never gets an update (STAGING)', () => {
  const staging = taskWith([], { state: 'TASK_STAGING' });
  const logs = [agentLog(at(1), `Launching task 't1' for framework ${FRAMEWORK_ID}`), agentLog(at(1.5), EXECUTOR_UNREACHABLE, 'W')];

  it('is not diagnosed before the threshold', () => {
    expect(diagnose({ task: staging, now: at(14), logs, agent: onNode1 })).toMatchObject({ kind: 'none', why: 'staging' });
    expect(diagnose({ task: staging, now: at(4), logs, agent: onNode1, stagingThresholdMs: 3000 })).toMatchObject({ kind: 'diagnosed', ruleId: 'staging-unreachable-executor' });
  });

  it('past the threshold with the agent’s failed ExecutorRegisteredMessage: the unreachable executor, LIBPROCESS_IP named', () => {
    const d = diagnose({ task: staging, now: at(20), logs, agent: onNode1 });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('staging-unreachable-executor');
    if (d.kind !== 'diagnosed') return;
    expect(d.fix).toMatch(/LIBPROCESS_IP \/ advertise_ip/);
    expect(d.at).toBe(at(20));
    expect(d.status).toBeNull();
    expect(d.timeline.map((i) => [i.title, i.decisive])).toEqual([
      ['Task launched (TASK_STAGING)', false],
      [`Launching task 't1' for framework ${FRAMEWORK_ID}`, false],
      [EXECUTOR_UNREACHABLE, true],
      ['Still TASK_STAGING after 20 s: no status update', false],
    ]);
    expect(d.links.sandbox?.path).toBe(`/frameworks/${FRAMEWORK_ID}/executors/t1/runs/latest`);
  });

  it('offers the spec change that removes the wrong advertised address', () => {
    const spec = {
      name: 'dr-x',
      agents: { list: [{}, { flags: { executor_environment_variables: '{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2","FOO":"1"}' } }] },
    };
    const layout = {
      network: 'host' as const,
      hostAddress: '127.0.0.1',
      zookeeper: { port: 2181 },
      masters: [{ index: 1, port: 5050 }],
      agents: [
        { index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: '/w/dr-x/agent-1' },
        { index: 3, port: 5053, taskPorts: { begin: 31200, end: 31299 }, workDir: '/w/dr-x/agent-3' },
      ],
    };
    const d = diagnose({
      task: staging,
      now: at(20),
      logs: [agentLog(at(1.5), EXECUTOR_UNREACHABLE, 'W', 3)],
      agent: { ...onNode1, node: { role: 'agent', index: 3 } },
      spec: ClusterSpecSchema.parse(spec),
      layout,
    });
    expect(d.kind === 'diagnosed' && d.specChange).toEqual({
      path: 'agents.list[1].flags.executor_environment_variables',
      current: '{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2","FOO":"1"}',
      suggested: '{"FOO":"1"}',
      summary: "Stop overriding LIBPROCESS_ADVERTISE_IP for executors: they then advertise the agent's own address",
    });
  });

  it('another agent’s line is not this task’s evidence', () => {
    const d = diagnose({ task: staging, now: at(20), logs: [agentLog(at(1.5), EXECUTOR_UNREACHABLE, 'W', 2)], agent: onNode1 });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('staging-stuck');
  });

  it('a line written after the moment diagnosed is not seen yet', () => {
    const d = diagnose({ task: staging, now: at(20), logs: [agentLog(at(25), EXECUTOR_UNREACHABLE, 'W')], agent: onNode1 });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('staging-stuck');
    expect(diagnose({ task: staging, now: at(26), logs: [agentLog(at(25), EXECUTOR_UNREACHABLE, 'W')], agent: onNode1 })).toMatchObject({ ruleId: 'staging-unreachable-executor' });
  });
});

describe('evidence: correlated by time and id, one timeline, the decisive item flagged', () => {
  const lost = taskWith([...started(), { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' }]);

  it('merges statuses, Docker events and log lines in time order, whatever order they came in', () => {
    const d = diagnose({
      task: lost,
      agent: { ...onNode1, state: 'unreachable', since: at(3) },
      dockerEvents: [dockerEvent('agent', 'unpause', at(20)), dockerEvent('task', 'start', at(1.2)), dockerEvent('agent', 'pause', at(-0.5))],
      logs: [masterLog(at(3.001), `Marking agent ${AGENT_ID} (127.0.0.1) unreachable: health check timed out`), masterLog(at(0.5), `Adding task t1 with resources cpus(allocated: *):0.1 on agent ${AGENT_ID}`)],
      now: at(30),
    });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('agent-paused');
    if (d.kind !== 'diagnosed') return;
    expect(d.timeline.map((i) => [i.kind, i.source, i.title, i.decisive])).toEqual([
      ['docker', 'agent-container', 'Agent container (agent 1) paused', true],
      ['status', 'task-status', 'Task launched (TASK_STAGING)', false],
      ['log', 'master-log', `Adding task t1 with resources cpus(allocated: *):0.1 on agent ${AGENT_ID}`, false],
      ['status', 'task-status', 'TASK_STARTING', false],
      ['docker', 'task-container', 'Task container started', false],
      ['status', 'task-status', 'TASK_RUNNING', false],
      ['status', 'task-status', 'TASK_LOST · REASON_AGENT_REMOVED', false],
      ['agent', 'agent-state', 'The master sees agent 127.0.0.1 as unreachable', false],
      ['log', 'master-log', `Marking agent ${AGENT_ID} (127.0.0.1) unreachable: health check timed out`, false],
      ['docker', 'agent-container', 'Agent container (agent 1) unpaused', false],
    ]);
  });

  it('a pause undone before the loss is not the cause (latest event only)', () => {
    const d = diagnose({ task: lost, agent: onNode1, dockerEvents: [dockerEvent('agent', 'pause', at(0.2)), dockerEvent('agent', 'unpause', at(0.4))] });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('agent-unreachable');
  });

  it('ignores other containers: another task’s container, another agent, events long before the task', () => {
    const d = diagnose({
      task: lost,
      agent: onNode1,
      dockerEvents: [
        dockerEvent('task', 'die', at(2), { mesosContainerId: '00000000-0000-0000-0000-000000000001', exitCode: 137 }),
        dockerEvent('agent', 'pause', at(2.5), { node: { role: 'agent', index: 2 } }),
        dockerEvent('agent', 'pause', at(-600)),
      ],
    });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('agent-unreachable');
    if (d.kind !== 'diagnosed') return;
    expect(d.timeline.filter((i) => i.kind === 'docker')).toEqual([]);
  });

  it('without the agent’s node, agent containers cannot be told apart: none is used', () => {
    const d = diagnose({ task: lost, dockerEvents: [dockerEvent('agent', 'pause', at(2.5))] });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('agent-unreachable');
  });

  it('the OOM kill is decisive over the status; the status is decisive when nothing else shows the cause', () => {
    const oom = taskWith([...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137' }]);
    const withDocker = diagnose({ task: oom, dockerEvents: [dockerEvent('task', 'die', at(3), { exitCode: 137, oomKilled: true }), dockerEvent('task', 'destroy', at(9))] });
    expect(withDocker.kind === 'diagnosed' && withDocker.timeline.filter((i) => i.decisive).map((i) => i.id)).toEqual([`docker:a1b2c3d4e5f6:die:${at(3)}`]);
    const bare = diagnose({ task: oom });
    expect(bare.kind === 'diagnosed' && bare.timeline.filter((i) => i.decisive).map((i) => i.id)).toEqual(['status:2']);
  });

  it('keeps at most 25 log lines per kind, the nearest to the moment, and always the decisive one', () => {
    const noisy = Array.from({ length: 60 }, (_, i) => agentLog(at(-4 + i * 0.5), `Handling status update TASK_RUNNING for task t1 of framework ${FRAMEWORK_ID} #${i}`));
    const task = taskWith([{ state: 'TASK_FAILED', source: 'SOURCE_AGENT', reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT', message: 'Executor did not register within 2secs' }], { seenAt: at(-5) });
    const d = diagnose({ task, agent: onNode1, logs: [...noisy, agentLog(at(-4.5), EXECUTOR_UNREACHABLE, 'W')] });
    expect(d.kind === 'diagnosed' && d.ruleId).toBe('registration-timeout-unreachable-executor');
    if (d.kind !== 'diagnosed') return;
    const logs = d.timeline.filter((i) => i.kind === 'log');
    expect(logs).toHaveLength(25);
    expect(logs.find((i) => i.decisive)?.title).toBe(EXECUTOR_UNREACHABLE);
  });
});

describe('Mesos versions', () => {
  const lost = taskWith([...started(), { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED', message: 'health check timed out' }]);

  it('an unknown or unreadable version is the reference version, and says so', () => {
    for (const mesosVersion of [undefined, 'not a version']) {
      const d = diagnose({ task: lost, mesosVersion });
      expect(d).toMatchObject({ ruleId: 'agent-unreachable', mesos: { version: '1.12.0', assumed: true } });
    }
  });

  it('the rule of the cluster’s version applies (MESOS-7215 changed this in 1.5)', () => {
    expect(diagnose({ task: lost, mesosVersion: '1.11.0' })).toMatchObject({ ruleId: 'agent-unreachable', mesos: { version: '1.11.0', assumed: false } });
    expect(diagnose({ task: lost, mesosVersion: '1.5.0' })).toMatchObject({ ruleId: 'agent-unreachable' });
    expect(diagnose({ task: lost, mesosVersion: '1.4.9' })).toMatchObject({ ruleId: 'agent-unreachable-legacy' });
  });

  it('REASON_EXECUTOR_UNREGISTERED means killed during launch before 1.5 only', () => {
    const killed = taskWith([{ state: 'TASK_KILLED', source: 'SOURCE_MASTER', reason: 'REASON_EXECUTOR_UNREGISTERED', message: 'Unregistered executor' }]);
    expect(diagnose({ task: killed, mesosVersion: '1.4.0' })).toMatchObject({ ruleId: 'killed-during-launch-legacy' });
    expect(diagnose({ task: killed, mesosVersion: '1.12.0' })).toMatchObject({ kind: 'unrecognised' });
  });

  it('parses and compares versions', () => {
    expect(parseVersion('1.12.0')).toEqual([1, 12, 0]);
    expect(parseVersion('1.11.0-rc1')).toEqual([1, 11, 0]);
    expect(parseVersion('v1.5')).toEqual([1, 5, 0]);
    expect(parseVersion('x')).toBeNull();
    expect(inRange([1, 12, 0], { min: '1.5.0' })).toBe(true);
    expect(inRange([1, 4, 9], { min: '1.5.0' })).toBe(false);
    expect(inRange([1, 5, 0], { below: '1.5.0' })).toBe(false);
    expect(inRange([1, 4, 99], { below: '1.5' })).toBe(true);
  });
});

it('task containers are found by the ContainerID of any of the task’s statuses', () => {
  const d = diagnose({
    task: taskWith([...started(), { state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Container exited with status 1' }]),
    dockerEvents: [dockerEvent('task', 'die', at(3), { exitCode: 1, mesosContainerId: CONTAINER_ID })],
  });
  expect(d.kind === 'diagnosed' && d.timeline.find((i) => i.decisive)?.title).toBe('Task container died (exit 1)');
});
