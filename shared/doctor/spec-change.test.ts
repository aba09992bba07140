import { describe, expect, it } from 'vitest';
import type { ClusterLayout } from '../cluster/layout';
import { ClusterSpecSchema, validateSpec } from '../cluster/spec';
import { mesosContainerIdOf } from '../tasks';
import { parseGlog, parseGlogLine } from './glog';
import { agentFlagOf, agentSpecWithChange, applySpecChange, durationMs, registrationTimeoutOf, resolveSpecChange } from './spec-change';

const spec = (input: object) => ClusterSpecSchema.parse({ name: 'dr-spec', ...input });
const layout = (indexes: number[]): ClusterLayout => ({
  network: 'host',
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: indexes.map((index) => ({ index, port: 5050 + index, taskPorts: { begin: 31000 + index * 100, end: 31099 + index * 100 }, workDir: `/w/dr-spec/agent-${index}` })),
});
const agent = (index: number) => ({ role: 'agent' as const, index });

describe('set-up changes against the real spec shape', () => {
  it('the registration timeout lives in timers, unless an agent flag overrides it', () => {
    expect(registrationTimeoutOf(spec({}))).toEqual({ path: 'timers.executorRegistrationTimeout', value: '5mins' });
    const overridden = spec({ agents: { count: 2, flags: { executor_registration_timeout: '2secs' } } });
    expect(resolveSpecChange({ setting: 'registration-timeout', atLeast: '5mins' }, overridden)).toEqual({
      path: 'agents.flags.executor_registration_timeout',
      current: '2secs',
      suggested: '5mins',
      summary: 'Raise the executor registration timeout from 2secs to 5mins',
    });
    // Already long enough: the timeout is not the cause, nothing is offered.
    expect(resolveSpecChange({ setting: 'registration-timeout', atLeast: '5mins' }, spec({ timers: { executorRegistrationTimeout: '10mins' } }))).toBeUndefined();
  });

  it('listed agents: the path names the agent’s place in the list, found through the layout', () => {
    const s = spec({ agents: { list: [{}, { flags: { containerizers: 'mesos' } }] } });
    const l = layout([1, 4]); // agent 2 was removed earlier: the second listed agent is agent 4
    const setting = { setting: 'agent-flag' as const, flag: 'containerizers', causeIf: /^(?![\s\S]*\bdocker\b)/, suggested: 'docker,mesos' };
    expect(resolveSpecChange(setting, s, l, agent(4))).toMatchObject({ path: 'agents.list[1].flags.containerizers', current: 'mesos', suggested: 'docker,mesos' });
    expect(resolveSpecChange(setting, s, l, agent(1))).toBeUndefined();
    // Unknown agent: no guess at which entry to change.
    expect(resolveSpecChange(setting, s, l, undefined)).toBeUndefined();
    // A value that is not the cause is left alone.
    expect(resolveSpecChange(setting, spec({ agents: { flags: { containerizers: 'docker,mesos' } } }))).toBeUndefined();
  });

  it('the executor address: LIBPROCESS_* in executor_environment_variables first, then advertise_ip / ip', () => {
    const only = spec({ agents: { flags: { executor_environment_variables: '{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2"}' } } });
    expect(resolveSpecChange({ setting: 'executor-address' }, only)).toMatchObject({ path: 'agents.flags.executor_environment_variables', suggested: null });
    const advertised = spec({ agents: { flags: { advertise_ip: '10.9.9.9' } } });
    expect(resolveSpecChange({ setting: 'executor-address' }, advertised)).toMatchObject({ path: 'agents.flags.advertise_ip', current: '10.9.9.9', suggested: null });
    expect(resolveSpecChange({ setting: 'executor-address' }, spec({}))).toBeUndefined();
  });

  it('applySpecChange sets or removes the field, leaves the input alone, and the result is a valid spec', () => {
    const input: { name: string; agents: { list: Array<{ flags?: Record<string, string> }> } } = {
      name: 'dr-spec',
      agents: { list: [{}, { flags: { containerizers: 'mesos', docker_remove_delay: '1mins' } }] },
    };
    const set = applySpecChange(input, { path: 'agents.list[1].flags.containerizers', suggested: 'docker,mesos' });
    expect(set.agents.list[1]!.flags).toEqual({ containerizers: 'docker,mesos', docker_remove_delay: '1mins' });
    expect(input.agents.list[1]!.flags?.containerizers).toBe('mesos');
    expect(validateSpec(set).ok).toBe(true);
    const removed = applySpecChange(input, { path: 'agents.list[1].flags.containerizers', suggested: null });
    expect(removed.agents.list[1]!.flags).toEqual({ docker_remove_delay: '1mins' });
    const timer = applySpecChange({ name: 'dr-spec' }, { path: 'timers.executorRegistrationTimeout', suggested: '5mins' });
    expect(validateSpec(timer)).toMatchObject({ ok: true, spec: { timers: { executorRegistrationTimeout: '5mins' } } });
    expect(applySpecChange({ name: 'dr-spec' }, { path: 'agents.flags.ip', suggested: null })).toEqual({ name: 'dr-spec' });
    expect(() => applySpecChange({ name: 'x' }, { path: 'agents..flags', suggested: '1' })).toThrow(/Not a spec path/);
  });

  it('reads Mesos durations', () => {
    expect(durationMs('2secs')).toBe(2000);
    expect(durationMs('1.5mins')).toBe(90_000);
    expect(durationMs('5 weeks')).toBe(5 * 604_800_000);
    expect(durationMs('soon')).toBeNull();
  });
});

describe('glog lines (transcripts/after/*-log.txt)', () => {
  const node = { role: 'master' as const, index: 1 };
  const reference = Date.UTC(2026, 10, 21, 14, 0, 0);

  it('parses level, time (UTC, year from the reference), file and message', () => {
    const line = parseGlogLine(
      "W1121 14:58:03.394531    11 process.cpp:1917] Failed to send 'mesos.internal.PingSlaveMessage' to '127.0.0.1:5052', connect: Failed to connect to 127.0.0.1:5052: Connection refused",
      { node, reference },
    );
    expect(line).toEqual({
      at: Date.UTC(2026, 10, 21, 14, 58, 3) + 394.531,
      node,
      level: 'W',
      file: 'process.cpp:1917',
      text: "Failed to send 'mesos.internal.PingSlaveMessage' to '127.0.0.1:5052', connect: Failed to connect to 127.0.0.1:5052: Connection refused",
    });
    // The line of the transcript's TASK_LOST is the status' own second (1795272979.23).
    expect(parseGlogLine("I1121 14:56:19.234723    14 master.cpp:8239] Sending status update TASK_LOST for task long-b of framework f8278ec8-4646-4d46-a619-bfdea32934e8-0001 'health check timed out'", { node, reference })!.at).toBeCloseTo(1795272979234.7, 0);
  });

  it('a Docker timestamp wins; a line near New Year gets the right year; other lines are kept as text', () => {
    expect(parseGlogLine('2026-11-21T14:58:03.500000000Z I1121 14:58:03.394531 11 a.cpp:1] x', { node, reference })!.at).toBe(Date.UTC(2026, 10, 21, 14, 58, 3, 500));
    expect(new Date(parseGlogLine('I1231 23:59:59.000000 1 a.cpp:1] x', { node, reference: Date.UTC(2027, 0, 1, 0, 0, 5) })!.at).getUTCFullYear()).toBe(2026);
    const parsed = parseGlog('Log file created at: 2026/11/21 15:01:08\n\nI1121 15:01:08.772827 12157 logging.cpp:461] INFO level logging started!\n', { node, reference });
    expect(parsed.map((l) => [l.level, l.text])).toEqual([
      [undefined, 'Log file created at: 2026/11/21 15:01:08'],
      ['I', 'INFO level logging started!'],
    ]);
  });
});

it('task container names: mesos-<ContainerID>, the pre-1.4 form with the agent id, the executor container', () => {
  const cid = '60346e12-f585-4a28-9b4b-b34dd60d21f6';
  expect(mesosContainerIdOf(`mesos-${cid}`)).toBe(cid);
  expect(mesosContainerIdOf(`/mesos-${cid}`)).toBe(cid);
  expect(mesosContainerIdOf(`mesos-f8278ec8-4646-4d46-a619-bfdea32934e8-S0.${cid}`)).toBe(cid);
  expect(mesosContainerIdOf(`mesos-${cid}.executor`)).toBe(cid);
  expect(mesosContainerIdOf('mesos-agent-1')).toBeUndefined();
  expect(mesosContainerIdOf('mesoscope-demo-agent-1')).toBeUndefined();
});

describe('a change as one agent’s own set-up (replacing the agent)', () => {
  const base = { resources: { cpus: 1, mem: 1024, disk: 4096 }, attributes: { rack: 'r1' }, flags: { executor_environment_variables: '{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2"}', containerizers: 'mesos' }, verbose: 0 };

  it('a cluster timer becomes the agent flag it sets; agent flags are set or removed; the rest is kept', () => {
    expect(agentSpecWithChange(base, { path: 'timers.executorRegistrationTimeout', suggested: '5mins' })?.flags).toEqual({ ...base.flags, executor_registration_timeout: '5mins' });
    expect(agentSpecWithChange(base, { path: 'agents.list[3].flags.executor_environment_variables', suggested: null })).toEqual({ ...base, flags: { containerizers: 'mesos' } });
    expect(agentSpecWithChange(base, { path: 'agents.flags.containerizers', suggested: 'docker,mesos' })?.flags.containerizers).toBe('docker,mesos');
    // The input is left as it was.
    expect(base.flags.containerizers).toBe('mesos');
  });

  it('what is not an agent’s setting is refused', () => {
    expect(agentSpecWithChange(base, { path: 'timers.agentPingTimeout', suggested: '30secs' })).toBeNull();
    expect(agentSpecWithChange(base, { path: 'masters.flags.allocation_interval', suggested: '1secs' })).toBeNull();
    expect(agentFlagOf('agents.list[0].flags.Bad-Flag')).toBeUndefined();
    expect(agentFlagOf('agents.flags.docker')).toBe('docker');
  });
});
