import { createServer } from 'node:net';
import type { ClusterLayout, PortRange } from '@shared/cluster/layout';
import { type AgentSpec, agentsOf, type ClusterSpec } from '@shared/cluster/spec';

export class PortInUse extends Error {
  override readonly name = 'PortInUse';
}

/** Ports and ranges already promised to other clusters (from their labels), running or not. */
export interface Reserved {
  ports: Set<number>;
  ranges: PortRange[];
}

export interface AllocationOptions {
  hostAddress: string;
  network: 'host' | 'bridge';
  workRoot: string;
  reserved: Reserved;
  /** Can the port be bound on the host address right now? */
  isFree?: (port: number, host: string) => Promise<boolean>;
}

type AgentSlot = ClusterLayout['agents'][number];

/**
 * Ports browsers and fetch() refuse to connect to (the Fetch standard's "bad ports", those above 1023):
 * a master's UI there cannot be opened, so the engine never picks one (a spec may still fix one).
 */
const BROWSER_BLOCKED = new Set([1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);

const TASK_PORTS_BASE = 31000;
const TASK_PORTS_SIZE = 100;
// Mesos' own default is [31000-32000]; ranges go on up to 32768, where Linux's ephemeral ports begin
// (outgoing connections take those), so 17 agents on one machine get a range each.
const TASK_PORTS_LIMIT = 32768;

/**
 * Hands out ports that are neither reserved nor bound: the customary one when free (ZooKeeper 2181,
 * master 5050, agents 5051…), else the next; a port the spec fixes must be free. Task port ranges of
 * 100 overlap no other's.
 */
class PortAllocator {
  private readonly taken: Set<number>;
  private readonly takenRanges: PortRange[];

  constructor(
    private readonly host: string,
    private readonly isFree: (port: number, host: string) => Promise<boolean>,
    reserved: Reserved,
  ) {
    this.taken = new Set(reserved.ports);
    this.takenRanges = [...reserved.ranges];
  }

  async port(fixed: number | undefined, field: string, customary: number): Promise<number> {
    if (fixed !== undefined) {
      if (this.taken.has(fixed) || !(await this.isFree(fixed, this.host))) {
        throw new PortInUse(`${field}: port ${fixed} on ${this.host} is in use (by another program or cluster); choose another or leave it out.`);
      }
      this.taken.add(fixed);
      return fixed;
    }
    for (let port = customary; port < 65535; port += 1) {
      if (this.taken.has(port) || BROWSER_BLOCKED.has(port) || !(await this.isFree(port, this.host))) continue;
      this.taken.add(port);
      return port;
    }
    throw new PortInUse(`${field}: no free port from ${customary} on ${this.host}`);
  }

  range(given: PortRange | undefined, field: string): PortRange {
    const range = given ?? this.nextFreeRange();
    if (this.takenRanges.some((o) => range.begin <= o.end && o.begin <= range.end)) {
      throw new PortInUse(`${field}: ${range.begin}-${range.end} overlaps the task ports of another agent`);
    }
    this.takenRanges.push(range);
    return range;
  }

  private nextFreeRange(): PortRange {
    for (let begin = TASK_PORTS_BASE; begin + TASK_PORTS_SIZE - 1 < TASK_PORTS_LIMIT; begin += TASK_PORTS_SIZE) {
      const range = { begin, end: begin + TASK_PORTS_SIZE - 1 };
      if (!this.takenRanges.some((o) => range.begin <= o.end && o.begin <= range.end)) return range;
    }
    throw new PortInUse(`agents: no free task port range left between ${TASK_PORTS_BASE} and ${TASK_PORTS_LIMIT}`);
  }
}

async function agentSlot(
  allocator: PortAllocator,
  spec: ClusterSpec,
  agent: AgentSpec,
  index: number,
  fields: { port?: number; portsField: string },
  workRoot: string,
): Promise<AgentSlot> {
  return {
    index,
    port: await allocator.port(fields.port, 'agents.port', 5051),
    taskPorts: allocator.range(agent.resources.ports, fields.portsField),
    workDir: `${workRoot}/${spec.name}/agent-${index}`,
  };
}

/** The ports, ranges and work dirs of a new cluster. */
export async function allocateLayout(spec: ClusterSpec, options: AllocationOptions): Promise<ClusterLayout> {
  const allocator = new PortAllocator(options.hostAddress, options.isFree ?? canBind, options.reserved);
  const zookeeper = { port: await allocator.port(spec.zookeeper.port, 'zookeeper.port', 2181) };
  const masters = [];
  for (let index = 1; index <= spec.masters.count; index += 1) {
    masters.push({ index, port: await allocator.port(index === 1 ? spec.masters.port : undefined, 'masters.port', 5050) });
  }
  const agents = [];
  for (const [i, agent] of agentsOf(spec).entries()) {
    const portsField = spec.agents.list ? `agents.list[${i}].resources.ports` : 'agents.resources.ports';
    agents.push(await agentSlot(allocator, spec, agent, i + 1, { port: i === 0 ? spec.agents.port : undefined, portsField }, options.workRoot));
  }
  return { network: options.network, hostAddress: options.hostAddress, zookeeper, masters, agents };
}

/** One more agent for a cluster that has this layout; nothing it has moves. */
export async function allocateAgent(
  spec: ClusterSpec,
  layout: ClusterLayout,
  agent: AgentSpec,
  options: Pick<AllocationOptions, 'reserved' | 'isFree' | 'workRoot'>,
): Promise<AgentSlot> {
  const allocator = new PortAllocator(layout.hostAddress, options.isFree ?? canBind, mergeReserved([options.reserved, reservedBy(layout)]));
  const index = Math.max(0, ...layout.agents.map((a) => a.index)) + 1;
  return agentSlot(allocator, spec, agent, index, { portsField: 'agent.resources.ports' }, options.workRoot);
}

/** Ports a layout occupies, for other clusters to avoid. */
export function reservedBy(layout: ClusterLayout): Reserved {
  return {
    ports: new Set([layout.zookeeper.port, ...layout.masters.map((m) => m.port), ...layout.agents.map((a) => a.port)]),
    ranges: layout.agents.map((a) => a.taskPorts),
  };
}

/** Every port and range of all of `sets`. */
export function mergeReserved(sets: Iterable<Reserved>): Reserved {
  const merged: Reserved = { ports: new Set(), ranges: [] };
  for (const r of sets) {
    r.ports.forEach((p) => merged.ports.add(p));
    merged.ranges.push(...r.ranges);
  }
  return merged;
}

export function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
