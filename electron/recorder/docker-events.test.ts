import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { ClusterLayout } from '@shared/cluster/layout';
import { ClusterDockerEvents } from './docker-events';

/** Which Docker events are a cluster's, and what they say: classified with a fake daemon. */

const CID = '60346e12-f585-4a28-9b4b-b34dd60d21f6';
const LAYOUT: ClusterLayout = {
  network: 'host',
  hostAddress: '127.0.0.1',
  zookeeper: { port: 2181 },
  masters: [{ index: 1, port: 5050 }],
  agents: [
    { index: 1, port: 5051, taskPorts: { begin: 31000, end: 31099 }, workDir: '/w/dr-ev/agent-1' },
    { index: 3, port: 5053, taskPorts: { begin: 31200, end: 31299 }, workDir: '/w/dr-ev/agent-3' },
  ],
};

/** Containers the fake daemon knows: id → inspect answer. */
function fakeDocker(containers: Record<string, { Mounts?: Array<{ Source: string }>; State?: { OOMKilled?: boolean } }>) {
  const inspected: string[] = [];
  const docker = {
    getContainer: (id: string) => ({
      inspect: async () => {
        inspected.push(id);
        const c = containers[id];
        if (!c) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return c;
      },
    }),
  } as unknown as Dockerode;
  return { docker: () => docker, inspected };
}

const nano = (s: number) => s * 1e9;
const nodeEvent = (action: string, role: string, index: number, cluster = 'dr-ev', extra: Record<string, string> = {}) => ({
  Type: 'container',
  Action: action,
  Actor: { ID: `${role}${index}id`, Attributes: { name: `mesoscope-${cluster}-${role}-${index}`, image: 'mesoscope/mesos-emulator:test', 'io.mesoscope.cluster': cluster, 'io.mesoscope.role': role, 'io.mesoscope.index': String(index), ...extra } },
  timeNano: nano(1_795_272_979.5),
});
const taskEvent = (action: string, id: string, extra: Record<string, string> = {}, t = 1_795_272_980) => ({
  Type: 'container',
  Action: action,
  Actor: { ID: id, Attributes: { name: `mesos-${CID}`, image: 'mesoscope/task-base:test', ...extra } },
  timeNano: nano(t),
});

describe('ClusterDockerEvents.classify', () => {
  it('node containers by their labels: role, index, exit code, signal', async () => {
    const { docker } = fakeDocker({ agent2id: { State: { OOMKilled: false } } });
    const events = new ClusterDockerEvents(docker, { name: 'dr-ev', layout: LAYOUT });
    expect(await events.classify(nodeEvent('pause', 'agent', 2))).toEqual({
      at: 1_795_272_979_500,
      action: 'pause',
      role: 'agent',
      node: { role: 'agent', index: 2 },
      container: 'mesoscope-dr-ev-agent-2',
      dockerId: 'agent2id',
      image: 'mesoscope/mesos-emulator:test',
    });
    expect(await events.classify(nodeEvent('kill', 'agent', 2, 'dr-ev', { signal: '15' }))).toMatchObject({ action: 'kill', signal: '15' });
    expect(await events.classify(nodeEvent('die', 'agent', 2, 'dr-ev', { exitCode: '143' }))).toMatchObject({ action: 'die', exitCode: 143, oomKilled: false });
  });

  it('ignores other clusters, record containers, exec noise and non-container events', async () => {
    const { docker } = fakeDocker({});
    const events = new ClusterDockerEvents(docker, { name: 'dr-ev', layout: LAYOUT });
    expect(await events.classify(nodeEvent('pause', 'agent', 1, 'someone-else'))).toBeNull();
    expect(await events.classify(nodeEvent('create', 'master', 1, 'dr-ev', { 'io.mesoscope.record': '3' }))).toBeNull();
    expect(await events.classify(nodeEvent('exec_start: sh -c ruok', 'zookeeper', 1))).toBeNull();
    expect(await events.classify({ ...nodeEvent('create', 'agent', 1), Type: 'network' })).toBeNull();
  });

  it('task containers by where their sandbox lives; Docker’s OOMKilled on die; forgotten after destroy', async () => {
    const { docker, inspected } = fakeDocker({
      ours: { Mounts: [{ Source: `/w/dr-ev/agent-3/slaves/S0/frameworks/F/executors/t1/runs/${CID}` }], State: { OOMKilled: true } },
      theirs: { Mounts: [{ Source: `/w/other/agent-1/slaves/S0/frameworks/F/executors/t1/runs/${CID}` }] },
      prefix: { Mounts: [{ Source: '/w/dr-ev-2/agent-1/slaves/x' }] },
      added: { Mounts: [{ Source: `/w/dr-ev/agent-10/slaves/S0/frameworks/F/executors/t2/runs/${CID}` }] },
    });
    const events = new ClusterDockerEvents(docker, { name: 'dr-ev', layout: LAYOUT });
    expect(await events.classify(taskEvent('start', 'ours'))).toMatchObject({ role: 'task', action: 'start', mesosContainerId: CID, agentIndex: 3 });
    expect(await events.classify(taskEvent('oom', 'ours', {}, 1_795_272_981))).toMatchObject({ action: 'oom', oomKilled: true });
    expect(await events.classify(taskEvent('die', 'ours', { exitCode: '137' }, 1_795_272_981.1))).toMatchObject({ action: 'die', exitCode: 137, oomKilled: true });
    expect(await events.classify(taskEvent('destroy', 'ours', {}, 1_795_272_990))).toMatchObject({ action: 'destroy', agentIndex: 3 });
    // Another cluster's task with the same kind of name; a cluster whose name only starts like ours.
    expect(await events.classify(taskEvent('start', 'theirs'))).toBeNull();
    expect(await events.classify(taskEvent('start', 'prefix'))).toBeNull();
    // An agent added after the layout was read (agent-10 beside agent-1, not inside it): ours, by its work dir.
    expect(await events.classify(taskEvent('start', 'added', {}, 1_795_272_991))).toMatchObject({ role: 'task', agentIndex: 10 });
    // A task container never seen, already gone: not ours to guess about.
    expect(await events.classify(taskEvent('destroy', 'unknown'))).toBeNull();
    expect(inspected.filter((id) => id === 'unknown')).toEqual([]);
    // Containers that only look like task containers.
    expect(await events.classify({ ...taskEvent('start', 'ours'), Actor: { ID: 'x', Attributes: { name: 'mesos-agent-1' } } })).toBeNull();
  });

  it('an event seen again after a reconnection is passed on once', async () => {
    const { docker } = fakeDocker({});
    const events = new ClusterDockerEvents(docker, { name: 'dr-ev', layout: LAYOUT });
    expect(await events.classify(nodeEvent('pause', 'agent', 2))).not.toBeNull();
    expect(await events.classify(nodeEvent('pause', 'agent', 2))).toBeNull();
    expect(await events.classify(nodeEvent('unpause', 'agent', 2))).not.toBeNull();
  });
});

describe('ClusterDockerEvents with a claim hook (a cluster without a layout of ours)', () => {
  it('claims task containers by the hook alone; one unclaimed is looked at again after reclaim()', async () => {
    const { docker } = fakeDocker({ t1: { Mounts: [{ Source: '/srv/mesos/slaves/S0/frameworks/F/executors/e/runs/r' }] }, t2: { Mounts: [{ Source: '/other/agent/slaves/x' }] } });
    let workDirs: Array<[number, string]> = [[4, '/srv/mesos']];
    const claim = (sources: readonly string[]) => workDirs.find(([, dir]) => sources.some((s) => s.startsWith(`${dir}/`)))?.[0];
    const events = new ClusterDockerEvents(docker, { name: 'attached-x' }, claim);
    expect(await events.classify(taskEvent('die', 't1', { exitCode: '7' }))).toMatchObject({ role: 'task', mesosContainerId: CID, agentIndex: 4, exitCode: 7 });
    // Not this cluster's (yet): no event, until an agent with that work dir is known.
    expect(await events.classify(taskEvent('start', 't2', {}, 1_795_272_981))).toBeNull();
    workDirs = [...workDirs, [5, '/other/agent']];
    expect(await events.classify(taskEvent('die', 't2', { exitCode: '1' }, 1_795_272_982))).toBeNull();
    events.reclaim();
    expect(await events.classify(taskEvent('die', 't2', { exitCode: '1' }, 1_795_272_983))).toMatchObject({ agentIndex: 5, exitCode: 1 });
    // Node containers of a launched cluster with another name are never this one's.
    expect(await events.classify(nodeEvent('die', 'agent', 1, 'dr-ev'))).toBeNull();
  });
});
