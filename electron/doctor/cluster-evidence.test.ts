import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterLayout } from '@shared/cluster/layout';
import { ClusterSpecSchema } from '@shared/cluster/spec';
import type { ClusterSummary, NodeStatus } from '@shared/cluster/status';
import type { DockerEvent, LogLine } from '@shared/doctor/evidence';
import type { ClusterMonitor } from '../dashboard/cluster-monitor';
import { MonitorRegistry } from '../dashboard/monitor-registry';
import { eventually } from '../mesos/fake-master.test-support';
import { ClusterEvidence } from './cluster-evidence';
import { EvidenceRegistry } from './evidence-registry';

/**
 * The doctor's live evidence buffer against a fake Docker daemon: the cluster's events and the chosen
 * log lines of its masters and agents, nodes added later followed too, bounded buffers, the replay
 * the recorder takes, and the buffer's life tied to the dashboard monitor's.
 */

const NAME = 'dr-ev';
const T0 = Date.parse('2026-03-02T10:00:00Z');

function layout(agents: number[]): ClusterLayout {
  return {
    network: 'host',
    hostAddress: '127.0.0.1',
    zookeeper: { port: 2181 },
    masters: [{ index: 1, port: 5050 }],
    agents: agents.map((index) => ({ index, port: 5050 + index, taskPorts: { begin: 31000, end: 31099 }, workDir: `/w/${NAME}/agent-${index}` })),
  };
}

const node = (role: NodeStatus['role'], index: number): NodeStatus => ({
  role,
  index,
  name: `mesoscope-${NAME}-${role}-${index}`,
  containerId: `${role}${index}`,
  state: 'running',
  exitCode: null,
  oomKilled: false,
  startedAt: null,
  image: 'mesoscope/mesos-emulator:test',
  address: '127.0.0.1:5050',
});

function summary(agents: number[]): ClusterSummary {
  return {
    name: NAME,
    spec: ClusterSpecSchema.parse({ name: NAME }),
    layout: layout(agents),
    nodes: [node('zookeeper', 1), node('master', 1), ...agents.map((i) => node('agent', i))],
    completeness: 'complete',
    mesos: { version: '1.12.0', emulator: true },
  };
}

/** A daemon whose event stream and containers' log streams the test writes into. */
function fakeDocker() {
  const events = new PassThrough();
  const logs = new Map<string, PassThrough>();
  const logSince: Record<string, number> = {};
  let eventsSince: number | undefined;
  const docker = {
    getEvents: async (options: { since?: number }) => {
      eventsSince = options.since;
      return events;
    },
    getContainer: (id: string) => ({
      logs: async (options: { since: number }) => {
        const stream = new PassThrough();
        logs.set(id, stream);
        logSince[id] = options.since;
        return stream;
      },
      inspect: async () => {
        throw Object.assign(new Error('no such container'), { statusCode: 404 });
      },
    }),
    // Like dockerode's: payloads written to the stdout sink (this fake's log streams carry no frame headers).
    modem: { demuxStream: (from: PassThrough, to: { write: (chunk: Buffer) => unknown }) => from.on('data', (chunk: Buffer) => to.write(chunk)) },
  } as unknown as Dockerode;
  return { docker: () => docker, events, logs, logSince, eventsSince: () => eventsSince };
}

function fakeEngine(agents: number[]) {
  let current = summary(agents);
  const listeners = new Set<() => void>();
  return {
    get: async () => current,
    onChange: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    grow(more: number[]) {
      current = summary(more);
      for (const l of listeners) l();
    },
    listeners,
  };
}

const pause = (index: number, seconds: number) =>
  `${JSON.stringify({
    Type: 'container',
    Action: 'pause',
    Actor: { ID: `agent${index}`, Attributes: { name: `mesoscope-${NAME}-agent-${index}`, 'io.mesoscope.cluster': NAME, 'io.mesoscope.role': 'agent', 'io.mesoscope.index': String(index) } },
    timeNano: (T0 / 1000 + seconds) * 1e9,
  })}\n`;
const stamped = (seconds: number, glog: string) => `${new Date(T0 + seconds * 1000).toISOString().replace('Z', '000Z')} ${glog}\n`;

let evidence: ClusterEvidence | undefined;
afterEach(async () => {
  await evidence?.stop();
  evidence = undefined;
});

describe('ClusterEvidence', () => {
  it('gathers the cluster’s Docker events and its nodes’ evidence lines from the lookback on, and follows agents added later', async () => {
    const docker = fakeDocker();
    const engine = fakeEngine([1]);
    evidence = new ClusterEvidence(NAME, { docker: docker.docker, engine }, { lookbackMs: 60_000, refreshMs: 10, now: () => T0 + 60_000 });
    evidence.start();
    await eventually('the followers', () => (docker.logs.has('agent1') && docker.logs.has('master1') ? true : undefined));
    // ZooKeeper says nothing the doctor uses; the lookback is where both streams begin.
    expect([...docker.logs.keys()].sort()).toEqual(['agent1', 'master1']);
    expect(docker.eventsSince()).toBe(T0 / 1000);
    expect(docker.logSince.agent1).toBe(T0 / 1000);

    docker.events.write(pause(1, 5));
    docker.logs.get('master1')!.write(stamped(8, 'I0302 10:00:08.000000    11 master.cpp:1234] Marking agent S1 (agent1) unreachable: health check timed out'));
    docker.logs.get('master1')!.write(stamped(8.1, 'I0302 10:00:08.100000    11 http.cpp:1] HTTP GET for /master/state from 127.0.0.1'));
    await eventually('the pause', () => (evidence!.dockerEvents().length === 1 ? true : undefined));
    expect(evidence.dockerEvents()[0]).toMatchObject({ action: 'pause', node: { role: 'agent', index: 1 }, at: T0 + 5000 });
    await eventually('the log line', () => (evidence!.logs().length > 0 ? true : undefined), 2000);
    // The evidence line is kept, the HTTP noise is not.
    expect(evidence.logs().map((l) => l.text)).toEqual(['Marking agent S1 (agent1) unreachable: health check timed out']);
    expect(evidence.summary?.layout.agents.map((a) => a.index)).toEqual([1]);

    // An agent added later (Add agent, a fault's own agent): its log is followed as soon as the engine says so.
    engine.grow([1, 2]);
    await eventually('agent 2 followed', () => (docker.logs.has('agent2') ? true : undefined));
    docker.logs.get('agent2')!.write(stamped(20, "E0302 10:00:20.000000    12 process.cpp:1917] Failed to send 'mesos.internal.ExecutorRegisteredMessage' to '127.0.0.2:40001', connect: Connection refused"));
    await eventually('agent 2 line', () => (evidence!.logs().some((l) => l.node.index === 2) ? true : undefined), 2000);
    expect(evidence.summary?.layout.agents.map((a) => a.index)).toEqual([1, 2]);

    await evidence.stop();
    expect(engine.listeners.size).toBe(0);
  });

  it('replays what it holds from a moment on, then hands on what comes; bounded, oldest first out', async () => {
    const docker = fakeDocker();
    const engine = fakeEngine([1]);
    evidence = new ClusterEvidence(NAME, { docker: docker.docker, engine }, { lookbackMs: 60_000, maxDockerEvents: 4, now: () => T0 + 60_000 });
    evidence.start();
    await eventually('the followers', () => (docker.logs.has('agent1') ? true : undefined));
    for (let i = 1; i <= 10; i++) docker.events.write(pause(1, i).replace('"pause"', i % 2 ? '"pause"' : '"unpause"'));
    await eventually('ten events', () => (evidence!.dockerEvents().at(-1)?.at === T0 + 10_000 ? true : undefined));
    // Never more than a quarter over the bound; the newest are kept.
    expect(evidence.dockerEvents().length).toBeLessThanOrEqual(5);
    expect(evidence.dockerEvents().at(-1)).toMatchObject({ action: 'unpause', at: T0 + 10_000 });

    const seen: DockerEvent[] = [];
    const lines: LogLine[] = [];
    const controller = new AbortController();
    const following = evidence.follow({ docker: (e) => seen.push(e), logs: (l) => lines.push(...l) }, controller.signal, T0 + 9000);
    expect(seen.map((e) => e.at)).toEqual([T0 + 9000, T0 + 10_000]);
    docker.events.write(pause(1, 11));
    await eventually('the new event', () => (seen.length === 3 ? true : undefined));
    docker.logs.get('agent1')!.write(stamped(12, 'W0302 10:00:12.000000    12 slave.cpp:1] Agent lost its master'));
    await eventually('the new line', () => (lines.length === 1 ? true : undefined), 2000);
    controller.abort();
    await following;
    docker.events.write(pause(1, 13));
    await eventually('held', () => (evidence!.dockerEvents().at(-1)?.at === T0 + 13_000 ? true : undefined));
    expect(seen).toHaveLength(3);
  });
});

describe('the evidence runs beside the dashboard monitor', () => {
  it('starts with a cluster’s monitor and stops with it', async () => {
    const started: string[] = [];
    const stopped: string[] = [];
    const fakeMonitor = () => ({ start: () => undefined, stop: async () => undefined }) as unknown as ClusterMonitor;
    const registry = new MonitorRegistry(async () => ({ masters: ['http://127.0.0.1:1'] }), 20, fakeMonitor);
    registry.alongside((cluster) => {
      started.push(cluster);
      return () => {
        stopped.push(cluster);
      };
    });
    const a = await registry.acquire('dr-a');
    const again = await registry.acquire('dr-a');
    expect(started).toEqual(['dr-a']);
    a.release();
    again.release();
    await eventually('idle stop', () => (stopped.length === 1 ? true : undefined));
    expect(stopped).toEqual(['dr-a']);
    await registry.acquire('dr-b');
    await registry.forget('dr-b');
    expect([started, stopped]).toEqual([
      ['dr-a', 'dr-b'],
      ['dr-a', 'dr-b'],
    ]);
  });

  it('EvidenceRegistry hands out the running buffer of a cluster, and none once its monitor stopped', async () => {
    const docker = fakeDocker();
    const engine = fakeEngine([1]);
    const registry = new EvidenceRegistry({ docker: docker.docker, engine });
    const stop = registry.companion(NAME, {} as ClusterMonitor);
    expect(registry.get(NAME)).toBeInstanceOf(ClusterEvidence);
    await stop();
    expect(registry.get(NAME)).toBeUndefined();
    expect(engine.listeners.size).toBe(0);
  });
});
