import { afterEach, describe, expect, it, vi } from 'vitest';
import { add, allocatedToString, contains, isEmpty, offerOrder, resourcesFromV1, subtract } from '../src/common/resource-math';
import { parseResources, type Resource } from '../src/common/resources';
import { Duration } from '../src/common/durations';
import { splitRef } from '../src/agent/docker/api';
import { runSpec } from '../src/agent/docker/run-spec';
import { commandArgv } from '../src/agent/tasks/executor';
import { executorEnvironment, overridesAddress, reachBack } from '../src/agent/tasks/executor-address';
import { StatusUpdateManager } from '../src/agent/tasks/status-updates';
import type { StatusJson, StatusUpdateMessage } from '../src/internal/messages';

const agent = parseResources('cpus:2;mem:2048;disk:4096;ports:[31000-31099]') as Resource[];
const task = resourcesFromV1([
  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
  { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31005 }] } },
]) as Resource[];

describe('resource arithmetic', () => {
  it('subtracts scalars with 3 decimals and cuts ranges', () => {
    const left = subtract(agent, task);
    expect(left.find((r) => r.name === 'cpus')!.scalar).toBe(1.9);
    expect(left.find((r) => r.name === 'ports')!.ranges).toEqual([
      { begin: 31000, end: 31004 },
      { begin: 31006, end: 31099 },
    ]);
    let all = agent;
    for (let i = 0; i < 20; i++) all = subtract(all, [{ name: 'cpus', type: 'SCALAR', scalar: 0.1, role: '*' }]);
    expect(all.find((r) => r.name === 'cpus')).toBeUndefined();
    expect(add(left, task).find((r) => r.name === 'ports')!.ranges).toEqual([{ begin: 31000, end: 31099 }]);
  });

  it('contains, isEmpty and the offer order of the recording (ranges first)', () => {
    expect(contains(agent, task)).toBe(true);
    expect(contains(task, agent)).toBe(false);
    expect(isEmpty(subtract(task, task))).toBe(true);
    expect(offerOrder(agent).map((r) => r.name)).toEqual(['ports', 'cpus', 'mem', 'disk']);
    expect(allocatedToString(task.slice(0, 2))).toBe('cpus(allocated: *):0.1; mem(allocated: *):32');
    expect(resourcesFromV1([{ name: 'x', type: 'TEXT' }])).toBeInstanceOf(Error);
  });
});

describe('docker run of a task', () => {
  const base = { containerId: 'c1', sandbox: '/w/runs/c1', sandboxMount: '/mnt/mesos/sandbox' };
  it('shell:true replaces the entrypoint with /bin/sh -c; limits from cpus and mem; the sandbox bound; MESOS_SANDBOX', () => {
    const { name, spec } = runSpec({
      ...base,
      task: {
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16 } }],
        command: { value: 'echo hi', environment: { variables: [{ name: 'A', value: 'b' }] } },
        container: { type: 'DOCKER', docker: { image: 'img', network: 'BRIDGE', port_mappings: [{ host_port: 31000, container_port: 80 }], parameters: [{ key: 'env', value: 'C=d' }, { key: 'label', value: 'k=v' }] } },
      },
    });
    expect(name).toBe('mesos-c1');
    expect(spec).toMatchObject({
      Image: 'img',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo hi'],
      Labels: { k: 'v' },
      HostConfig: { Binds: ['/w/runs/c1:/mnt/mesos/sandbox'], NetworkMode: 'bridge', CpuShares: 512, Memory: 32 * 1024 * 1024, PortBindings: { '80/tcp': [{ HostPort: '31000' }] } },
    });
    expect(spec.Env).toEqual(['MESOS_SANDBOX=/mnt/mesos/sandbox', 'MESOS_CONTAINER_NAME=mesos-c1', 'A=b', 'C=d']);
  });

  it('shell:false keeps the image entrypoint and passes value and arguments', () => {
    const { spec } = runSpec({ ...base, task: { command: { shell: false, value: 'x', arguments: ['x', '-y'] }, container: { docker: { image: 'i' } } } });
    expect(spec.Entrypoint).toBeUndefined();
    expect(spec.Cmd).toEqual(['x', '-y']);
    expect((spec.HostConfig as { NetworkMode: string }).NetworkMode).toBe('host');
    expect(commandArgv({ value: 'ls -l' })).toEqual(['/bin/sh', '-c', 'ls -l']);
  });

  it('splits image references like the docker CLI', () => {
    expect(splitRef('127.0.0.1:5000/mesoscope/task-base:test')).toEqual({ name: '127.0.0.1:5000/mesoscope/task-base', tag: 'test', registry: '127.0.0.1:5000' });
    expect(splitRef('alpine')).toEqual({ name: 'alpine', tag: 'latest', registry: undefined });
    expect(splitRef('localhost:5000/a')).toMatchObject({ tag: 'latest', registry: 'localhost:5000' });
  });
});

describe('the agent’s status update manager', () => {
  afterEach(() => vi.useRealTimers());
  const status = (state: string, uuid: string): StatusJson => ({ task_id: { value: 't' }, state, timestamp: 1, uuid });

  it('sends one update at a time, resends it (10 s, doubling) until acknowledged, and only then the next', async () => {
    vi.useFakeTimers();
    const sent: StatusUpdateMessage[] = [];
    const acked: string[] = [];
    const m = new StatusUpdateManager({
      send: async (msg) => (sent.push(msg), true),
      latestState: () => 'TASK_FINISHED',
      acknowledged: (_f, _t, s) => acked.push(s.state),
      log: () => undefined,
    });
    m.enqueue('f', status('TASK_STARTING', 'u1'));
    m.enqueue('f', status('TASK_RUNNING', 'u2'));
    expect(sent).toEqual([]); // paused until registered
    m.resume();
    expect(sent.map((s) => [s.status.state, s.latest_state])).toEqual([['TASK_STARTING', 'TASK_FINISHED']]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(19_000);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(3);
    expect(m.acknowledge('f', 't', 'u2')).toBe(false);
    expect(m.acknowledge('f', 't', 'u1')).toBe(true);
    expect(sent.map((s) => s.status.state).slice(-1)).toEqual(['TASK_RUNNING']);
    expect(m.pending('f', 't').map((s) => s.state)).toEqual(['TASK_RUNNING']);
    expect(acked).toEqual(['TASK_STARTING']);
    m.dropFramework('f');
    expect(m.pending('f', 't')).toEqual([]);
    m.stop();
  });
});

describe('durations in messages', () => {
  it('prints the registration timeout as Mesos does ("2secs", "1mins")', () => {
    expect(`${Duration.secs(2)}`).toBe('2secs');
    expect(`${Duration.secs(60)}`).toBe('1mins');
    expect(`${Duration.secs(0)}`).toBe('0ns');
  });
});

describe('reaching an executor back (docs/mesos/faults.md row 14)', () => {
  it('answers when the advertised address is the bound one, and is refused when it is not', async () => {
    expect(overridesAddress(executorEnvironment('{"PATH":"/bin"}'))).toBe(false);
    expect(executorEnvironment('not json')).toEqual({});
    const fine = await reachBack(executorEnvironment('{"LIBPROCESS_IP":"127.0.0.1"}'), '0.0.0.0', '127.0.0.1');
    expect(fine.error).toBeUndefined();
    const wrong = await reachBack(executorEnvironment('{"LIBPROCESS_ADVERTISE_IP":"127.0.0.2"}'), '127.0.0.1', '127.0.0.1');
    const port = wrong.address.split(':')[1];
    expect(wrong.address).toMatch(/^127\.0\.0\.2:\d+$/);
    expect(wrong.error).toBe(`Failed to connect to 127.0.0.2:${port}: Connection refused`);
  });
});
