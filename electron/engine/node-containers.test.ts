import { describe, expect, it } from 'vitest';
import { validateSpec } from '@shared/cluster/spec';
import { nodeContainers } from './node-containers';
import { allocateLayout } from './port-allocation';

const specOf = (input: object) => {
  const result = validateSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.spec;
};
const allFree = async () => true;
const env = (list: string[] | undefined) => Object.fromEntries((list ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));

describe('node containers', async () => {
  const spec = specOf({ name: 'demo', masters: { count: 3 }, agents: { count: 2, attributes: { rack: 'r1' } } });
  const layout = await allocateLayout(spec, {
    hostAddress: '127.0.0.1',
    network: 'host',
    workRoot: '/var/lib/mesoscope',
    reserved: { ports: new Set([5051]), ranges: [{ begin: 31000, end: 31099 }] },
    isFree: allFree,
  });
  const nodes = nodeContainers(spec, layout);

  it('allocates customary ports when free, skipping ones other clusters hold', () => {
    expect(layout.zookeeper.port).toBe(2181);
    expect(layout.masters.map((m) => m.port)).toEqual([5050, 5052, 5053]);
    expect(layout.agents.map((a) => a.port)).toEqual([5054, 5055]);
    expect(layout.agents.map((a) => a.taskPorts)).toEqual([
      { begin: 31100, end: 31199 },
      { begin: 31200, end: 31299 },
    ]);
  });

  it('names every node mesoscope-<cluster>-<role>-<n>, never mesos-', () => {
    expect(nodes.map((n) => n.name)).toEqual([
      'mesoscope-demo-zookeeper-1',
      'mesoscope-demo-master-1',
      'mesoscope-demo-master-2',
      'mesoscope-demo-master-3',
      'mesoscope-demo-agent-1',
      'mesoscope-demo-agent-2',
    ]);
    for (const node of nodes) {
      expect(node.create.Labels).toMatchObject({ 'io.mesoscope.cluster': 'demo', 'io.mesoscope.role': node.role });
      expect(JSON.parse(node.create.Labels?.['io.mesoscope.spec'] ?? '')).toEqual(spec);
    }
  });

  it('gives agents what a containerised Mesos agent needs, and nothing that breaks on this host', () => {
    const agent = nodes.find((n) => n.name === 'mesoscope-demo-agent-2');
    const e = env(agent?.create.Env);
    expect(agent?.create.Cmd).toEqual(['mesos-agent']);
    expect(e).toMatchObject({
      MESOS_MASTER: 'zk://127.0.0.1:2181/mesos',
      MESOS_IP: '127.0.0.1',
      MESOS_PORT: '5055',
      MESOS_WORK_DIR: '/var/lib/mesoscope/demo/agent-2',
      MESOS_RESOURCES: 'cpus:1;mem:1024;disk:4096;ports:[31200-31299]',
      MESOS_ATTRIBUTES: 'rack:r1',
      MESOS_CONTAINERIZERS: 'docker,mesos',
      MESOS_DOCKER_SOCKET: '/var/run/docker.sock',
      MESOS_DOCKER_KILL_ORPHANS: 'false',
      MESOS_SYSTEMD_ENABLE_SUPPORT: 'false',
      MESOS_SWITCH_USER: 'false',
      MESOS_LAUNCHER: 'posix',
      MESOS_ISOLATION: 'posix/cpu,posix/mem',
      MESOS_EXECUTOR_REGISTRATION_TIMEOUT: '5mins',
    });
    const host = agent?.create.HostConfig;
    expect(host).toMatchObject({ NetworkMode: 'host', PidMode: 'host', CapAdd: ['SYS_ADMIN', 'SYS_PTRACE'], Init: true });
    expect(host?.Privileged).toBeUndefined();
    expect(host?.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock', '/var/lib/mesoscope/demo/agent-2:/var/lib/mesoscope/demo/agent-2']);
    expect(JSON.stringify(agent?.create)).not.toContain('/sys/fs/cgroup');
    expect(agent?.create.StopSignal).toBe('SIGTERM');
  });

  it('gives masters the quorum of three and ZooKeeper its own client port', () => {
    const master = nodes.find((n) => n.name === 'mesoscope-demo-master-2');
    expect(env(master?.create.Env)).toMatchObject({
      MESOS_ZK: 'zk://127.0.0.1:2181/mesos',
      MESOS_QUORUM: '2',
      MESOS_PORT: '5052',
      MESOS_HOSTNAME: '127.0.0.1',
      MESOS_WORK_DIR: '/var/lib/mesos/master',
    });
    expect(master?.volumes).toEqual(['mesoscope-demo-master-2-data']);
    const zk = nodes[0];
    expect(env(zk?.create.Env)).toMatchObject({
      ZOO_SERVERS: 'server.1=localhost:2888:3888;127.0.0.1:2181',
      ZOO_CFG_EXTRA: 'clientPort=2181',
      ZOO_4LW_COMMANDS_WHITELIST: 'ruok,srvr,mntr,stat',
    });
    expect(zk?.create.Cmd).toBeUndefined();
  });

  it("binds the daemon's own socket (a path on the Docker host) at the usual path inside, and adds the session's labels", () => {
    const rootless = nodeContainers(spec, layout, { dockerSocket: '/run/user/1000/docker.sock', labels: { 'io.mesoscope.session': 's1' } });
    const agent = rootless.find((n) => n.role === 'agent');
    expect(agent?.create.HostConfig?.Binds?.[0]).toBe('/run/user/1000/docker.sock:/var/run/docker.sock');
    expect(env(agent?.create.Env).MESOS_DOCKER_SOCKET).toBe('/var/run/docker.sock');
    for (const node of rootless) expect(node.create.Labels).toMatchObject({ 'io.mesoscope.session': 's1', 'io.mesoscope.cluster': 'demo' });
  });

  it('makes agents privileged only when asked', async () => {
    const privileged = specOf({ name: 'p', privilegedAgents: true });
    const l = await allocateLayout(privileged, { hostAddress: '127.0.0.1', network: 'host', workRoot: '/w', reserved: { ports: new Set(), ranges: [] }, isFree: allFree });
    const agent = nodeContainers(privileged, l).find((n) => n.role === 'agent');
    expect(agent?.create.HostConfig).toMatchObject({ Privileged: true });
    expect(agent?.create.HostConfig?.CapAdd).toBeUndefined();
  });

  it('publishes every port on 127.0.0.1 in bridge mode and addresses peers by name', async () => {
    const l = await allocateLayout(spec, { hostAddress: '127.0.0.1', network: 'bridge', workRoot: '/w', reserved: { ports: new Set(), ranges: [] }, isFree: allFree });
    const agent = nodeContainers(spec, l).find((n) => n.role === 'agent');
    expect(agent?.create.HostConfig).toMatchObject({
      NetworkMode: 'mesoscope-demo',
      PortBindings: { '5053/tcp': [{ HostIp: '127.0.0.1', HostPort: '5053' }] },
    });
    expect(env(agent?.create.Env)).toMatchObject({ MESOS_MASTER: 'zk://mesoscope-demo-zookeeper-1:2181/mesos', MESOS_IP: '0.0.0.0' });
  });

  it('never picks a port browsers refuse (5060, 5061: SIP), so every master UI opens', async () => {
    const busy = new Set(Array.from({ length: 10 }, (_, i) => 5050 + i));
    const l = await allocateLayout(specOf({ name: 'b', agents: { count: 1 } }), { hostAddress: '127.0.0.1', network: 'host', workRoot: '/w', reserved: { ports: busy, ranges: [] }, isFree: allFree });
    expect([l.masters[0]?.port, l.agents[0]?.port]).toEqual([5062, 5063]);
  });

  it('refuses user-given task ports that overlap another agent’s', async () => {
    const clash = specOf({ name: 'c', agents: { list: [{ resources: { ports: { begin: 31000, end: 31010 } } }] } });
    await expect(
      allocateLayout(clash, { hostAddress: '127.0.0.1', network: 'host', workRoot: '/w', reserved: { ports: new Set(), ranges: [{ begin: 31005, end: 31100 }] }, isFree: allFree }),
    ).rejects.toThrow('agents.list[0].resources.ports: 31000-31010 overlaps the task ports of another agent');
  });
});
