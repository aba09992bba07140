import type { ContainerCreateOptions } from 'dockerode';
import { AGENT_DOCKER_CLI, AGENT_DOCKER_SOCKET } from '@shared/cluster/agent-docker';
import { type ClusterLayout, zkUrl } from '@shared/cluster/layout';
import { agentsOf, type AgentSpec, type ClusterSpec, quorumOf } from '@shared/cluster/spec';
import { containerName, LABEL, networkName, type NodeRole, volumeName } from './naming';

/**
 * The Docker parameters of every node, in one place, with the reason for each. They are the same
 * for real Mesos images and for the emulator, so the tests exercise exactly what users run.
 * Sources: docs/mesos/images.md and docs/mesos/api.md §7.
 */

export interface NodeContainer {
  role: NodeRole;
  index: number;
  name: string;
  /** Named volumes this node needs created first (labelled, removed with the cluster). */
  volumes: string[];
  create: ContainerCreateOptions;
}

/** Where the daemon's socket is mounted inside agents; the agent's --docker_socket. */
const DOCKER_SOCKET = AGENT_DOCKER_SOCKET;
const MASTER_WORK_DIR = '/var/lib/mesos/master';

export interface DockerHostFacts {
  /** The daemon's own socket, a path on the Docker host (daemon-socket.ts asks the daemon). */
  dockerSocket?: string;
  /** Extra labels on every container (the reaper's session). */
  labels?: Record<string, string>;
}

export function nodeContainers(spec: ClusterSpec, layout: ClusterLayout, host: DockerHostFacts = {}): NodeContainer[] {
  const withLabels = (node: NodeContainer): NodeContainer =>
    host.labels ? { ...node, create: { ...node.create, Labels: { ...host.labels, ...node.create.Labels } } } : node;
  return [
    zookeeperContainer(spec, layout),
    ...layout.masters.map((m) => masterContainer(spec, layout, m.index)),
    // The spec's agents and the layout's slots are parallel lists; a slot keeps its index (and so its
    // container name, ports and work dir) when an agent before it is removed.
    ...agentsOf(spec).map((agent, i) => {
      const slot = layout.agents[i];
      if (!slot) throw new Error(`layout has no slot for agent ${i + 1}`);
      return agentContainer(spec, layout, agent, slot, host.dockerSocket ?? DOCKER_SOCKET);
    }),
  ].map(withLabels);
}

/** In host mode every node binds the host address; on a bridge, all interfaces of its own namespace. */
function bindAddress(layout: ClusterLayout): string {
  return layout.network === 'host' ? layout.hostAddress : '0.0.0.0';
}

/** How nodes reach each other: the host address in host mode, container names on the cluster's bridge. */
function peerHost(spec: ClusterSpec, layout: ClusterLayout, role: NodeRole, index: number): string {
  return layout.network === 'host' ? layout.hostAddress : containerName(spec.name, role, index);
}

function labels(spec: ClusterSpec, layout: ClusterLayout, role: NodeRole, index: number, ports: object): Record<string, string> {
  return {
    [LABEL.cluster]: spec.name,
    [LABEL.role]: role,
    [LABEL.index]: String(index),
    [LABEL.ports]: JSON.stringify(ports),
    [LABEL.spec]: JSON.stringify(spec),
    [LABEL.layout]: JSON.stringify(layout),
  };
}

function networking(spec: ClusterSpec, layout: ClusterLayout, name: string, ports: number[]) {
  if (layout.network === 'host') return { hostConfig: { NetworkMode: 'host' }, exposed: undefined };
  // Bridge (Docker Desktop): container IPs are not reachable from the host, so every port is
  // published on 127.0.0.1 at the same number, and the app talks to the published ports.
  const portBindings = Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p) }]]));
  return {
    hostConfig: { NetworkMode: networkName(spec.name), PortBindings: portBindings },
    exposed: Object.fromEntries(ports.map((p) => [`${p}/tcp`, {}])),
    hostname: name,
  };
}

/** `MESOS_<FLAG>=value` for each flag; the environment is how real Mesos images are configured. */
function mesosEnv(flags: Record<string, string | number | boolean>): string[] {
  return Object.entries(flags).map(([flag, value]) => `MESOS_${flag.toUpperCase()}=${String(value)}`);
}

function zookeeperContainer(spec: ClusterSpec, layout: ClusterLayout): NodeContainer {
  const name = containerName(spec.name, 'zookeeper', 1);
  const port = layout.zookeeper.port;
  const net = networking(spec, layout, name, [port]);
  return {
    role: 'zookeeper',
    index: 1,
    name,
    volumes: [],
    create: {
      name,
      Image: spec.images.zookeeper,
      // The official image's entrypoint writes zoo.cfg from these (kept: its Entrypoint and Cmd).
      Env: [
        'ZOO_MY_ID=1',
        'ZOO_STANDALONE_ENABLED=true',
        // The client port comes from the server line: per cluster, and on loopback only in host mode.
        `ZOO_SERVERS=server.1=localhost:2888:3888;${layout.network === 'host' ? `${layout.hostAddress}:` : ''}${port}`,
        `ZOO_CFG_EXTRA=clientPort=${port}`,
        // Since 3.5 only srvr is allowed; readiness asks ruok.
        'ZOO_4LW_COMMANDS_WHITELIST=ruok,srvr,mntr,stat',
        // Its admin server would take port 8080 on the host network.
        'ZOO_ADMINSERVER_ENABLED=false',
      ],
      Labels: labels(spec, layout, 'zookeeper', 1, { client: port }),
      ExposedPorts: net.exposed,
      Hostname: net.hostname,
      HostConfig: { ...net.hostConfig, RestartPolicy: { Name: 'no' } },
    },
  };
}

function masterContainer(spec: ClusterSpec, layout: ClusterLayout, index: number): NodeContainer {
  const name = containerName(spec.name, 'master', index);
  const port = layout.masters[index - 1]?.port as number;
  const net = networking(spec, layout, name, [port]);
  const volume = volumeName(spec.name, 'master', index);
  const advertise = layout.network === 'host' ? layout.hostAddress : name;
  return {
    role: 'master',
    index,
    name,
    volumes: [volume],
    create: {
      name,
      Image: spec.images.master,
      // Run the binary itself, not the image's init-based entrypoint (avhost boots systemd).
      Entrypoint: [],
      Cmd: ['mesos-master'],
      Env: [
        ...mesosEnv({
          zk: zkUrl(layout, peerHost(spec, layout, 'zookeeper', 1)),
          quorum: quorumOf(spec),
          ip: bindAddress(layout),
          port,
          // Redirects and leader info carry this hostname (docs/mesos/api.md §0.6): the host address in host mode,
          // the container name on a bridge (the app maps it to the published port).
          hostname: advertise,
          work_dir: MASTER_WORK_DIR,
          cluster: spec.name,
          agent_ping_timeout: spec.timers.agentPingTimeout,
          max_agent_ping_timeouts: spec.timers.maxAgentPingTimeouts,
          ...spec.masters.flags,
        }),
        `GLOG_v=${spec.masters.verbose}`,
      ],
      Labels: labels(spec, layout, 'master', index, { http: port }),
      ExposedPorts: net.exposed,
      Hostname: net.hostname,
      HostConfig: {
        ...net.hostConfig,
        // The replicated log lives here; a volume keeps it across a restart of the node.
        Mounts: [{ Type: 'volume', Source: volume, Target: MASTER_WORK_DIR }],
        // As PID 1 Mesos has no SIGTERM handler, so docker stop would wait out its grace period;
        // Docker's init forwards the signal and Mesos ends at once.
        Init: true,
        RestartPolicy: { Name: 'no' },
      },
      // The avhost image's STOPSIGNAL (SIGRTMIN+3) is for systemd; mesos-master stops on SIGTERM.
      StopSignal: 'SIGTERM',
    },
  };
}

function agentContainer(
  spec: ClusterSpec,
  layout: ClusterLayout,
  agent: AgentSpec,
  slot: ClusterLayout['agents'][number],
  daemonSocket: string,
): NodeContainer {
  const index = slot.index;
  const name = containerName(spec.name, 'agent', index);
  const net = networking(spec, layout, name, [slot.port]);
  const { cpus, mem, disk } = agent.resources;
  const attributes = Object.entries(agent.attributes).map(([k, v]) => `${k}:${v}`);
  return {
    role: 'agent',
    index,
    name,
    volumes: [],
    create: {
      name,
      Image: spec.images.agent,
      Entrypoint: [],
      Cmd: ['mesos-agent'],
      Env: [
        ...mesosEnv({
          master: zkUrl(layout, peerHost(spec, layout, 'zookeeper', 1)),
          ip: bindAddress(layout),
          port: slot.port,
          hostname: layout.network === 'host' ? layout.hostAddress : name,
          work_dir: slot.workDir,
          // Explicit: inside a container an agent would otherwise claim the whole machine, and every
          // agent on one host needs its own task port range (host-network tasks share the ports).
          resources: `cpus:${cpus};mem:${mem};disk:${disk};ports:[${slot.taskPorts.begin}-${slot.taskPorts.end}]`,
          ...(attributes.length ? { attributes: attributes.join(';') } : {}),
          // DOCKER tasks need the docker containerizer; mesos keeps command tasks working.
          containerizers: 'docker,mesos',
          docker: AGENT_DOCKER_CLI,
          docker_socket: DOCKER_SOCKET,
          // Several agents share one daemon: with the default (true) one agent's start kills the
          // others' tasks (docs/mesos/api.md §0.14).
          docker_kill_orphans: false,
          // The image's /sbin/init is systemd, which is not running in the container (docs/mesos/api.md §0.20).
          systemd_enable_support: false,
          // Tasks run as the framework's user, which need not exist in the agent image.
          switch_user: false,
          // The linux launcher and cgroups isolation need privileges and /sys/fs/cgroup; posix needs neither.
          launcher: 'posix',
          isolation: 'posix/cpu,posix/mem',
          // The timer includes the image pull (docs/mesos/api.md §0.16).
          executor_registration_timeout: spec.timers.executorRegistrationTimeout,
          ...agent.flags,
        }),
        `GLOG_v=${agent.verbose}`,
      ],
      Labels: labels(spec, layout, 'agent', index, { http: slot.port, tasks: slot.taskPorts }),
      ExposedPorts: net.exposed,
      Hostname: net.hostname,
      HostConfig: {
        ...net.hostConfig,
        // The agent finds executors and tasks by the host PIDs docker inspect reports (docs/mesos/api.md §7.4).
        PidMode: 'host',
        // Enough for the posix launcher with docker tasks; Privileged cannot even start on some hosts
        // ("unable to apply caps") and is opt-in for the linux launcher / cgroups isolation.
        ...(spec.privilegedAgents ? { Privileged: true } : { CapAdd: ['SYS_ADMIN', 'SYS_PTRACE'] }),
        Binds: [
          // Every containerizer action is a docker CLI call against this socket: the daemon's own, a
          // path on its host (not necessarily the one this app connects through), at the usual path inside.
          `${daemonSocket}:${DOCKER_SOCKET}`,
          // The host daemon resolves the sandbox bind of each task on the host: same path both sides.
          `${slot.workDir}:${slot.workDir}`,
        ],
        // No /sys/fs/cgroup bind: Mesos 1.12 exits on hosts with the hybrid cgroup layout.
        Init: true,
        RestartPolicy: { Name: 'no' },
      },
      StopSignal: 'SIGTERM',
    },
  };
}
