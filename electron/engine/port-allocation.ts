import { createServer } from 'node:net';
import type { ClusterLayout, PortRange } from '@shared/cluster/layout';
import { agentsOf, type ClusterSpec } from '@shared/cluster/spec';

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

const TASK_PORTS_BASE = 31000;
const TASK_PORTS_SIZE = 100;
const TASK_PORTS_LIMIT = 32000;

/**
 * Picks the ports of a new cluster: the customary ones (ZooKeeper 2181, master 5050, agents 5051…)
 * when free, otherwise the next free ones; task port ranges of 100 that overlap no other cluster's.
 */
export async function allocateLayout(spec: ClusterSpec, options: AllocationOptions): Promise<ClusterLayout> {
  const isFree = options.isFree ?? canBind;
  const taken = new Set(options.reserved.ports);
  const takenRanges = [...options.reserved.ranges];

  const nextPort = async (from: number): Promise<number> => {
    for (let port = from; port < 65535; port += 1) {
      if (taken.has(port)) continue;
      if (await isFree(port, options.hostAddress)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error(`No free port from ${from} on ${options.hostAddress}`);
  };

  const zookeeper = { port: await nextPort(2181) };
  const masters = [];
  for (let index = 1; index <= spec.masters.count; index += 1) masters.push({ index, port: await nextPort(5050) });

  const agents = [];
  for (const [i, agent] of agentsOf(spec).entries()) {
    const index = i + 1;
    const port = await nextPort(5051);
    const taskPorts = agent.resources.ports ?? nextRange(takenRanges);
    if (overlapsAny(taskPorts, takenRanges)) {
      const field = spec.agents.list ? `agents.list[${i}].resources.ports` : 'agents.resources.ports';
      throw new Error(`${field}: ${taskPorts.begin}-${taskPorts.end} overlaps the task ports of another agent`);
    }
    takenRanges.push(taskPorts);
    agents.push({ index, port, taskPorts, workDir: `${options.workRoot}/${spec.name}/agent-${index}` });
  }

  return { network: options.network, hostAddress: options.hostAddress, zookeeper, masters, agents };
}

function nextRange(taken: PortRange[]): PortRange {
  for (let begin = TASK_PORTS_BASE; begin + TASK_PORTS_SIZE - 1 < TASK_PORTS_LIMIT; begin += TASK_PORTS_SIZE) {
    const range = { begin, end: begin + TASK_PORTS_SIZE - 1 };
    if (!overlapsAny(range, taken)) return range;
  }
  throw new Error(`No free task port range left between ${TASK_PORTS_BASE} and ${TASK_PORTS_LIMIT}`);
}

function overlapsAny(range: PortRange, others: PortRange[]): boolean {
  return others.some((o) => range.begin <= o.end && o.begin <= range.end);
}

/** Ports a layout occupies, for other clusters to avoid. */
export function reservedBy(layout: ClusterLayout): Reserved {
  return {
    ports: new Set([layout.zookeeper.port, ...layout.masters.map((m) => m.port), ...layout.agents.map((a) => a.port)]),
    ranges: layout.agents.map((a) => a.taskPorts),
  };
}

export function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
