import type { Task } from '../dashboard/view';
import { AFTER_MS, BEFORE_MS } from './correlate';
import type { DockerEvent, LogLine, NodeRef } from './evidence';

/**
 * The evidence of a whole cluster, indexed once so that diagnosing every task of a view stays cheap:
 * Docker events by task container and by node, log lines by node in time order. Each task is handed
 * only what could concern it (a superset of what diagnose() correlates: same containers, same node,
 * the same time window or wider), so the verdicts are the same as with all the evidence.
 */
export class EvidenceIndex {
  private readonly byContainer = new Map<string, DockerEvent[]>();
  private readonly byNode = new Map<string, DockerEvent[]>();
  private readonly agentLogs = new Map<number, LogLine[]>();
  private readonly allAgentLogs: LogLine[];
  private readonly masterLogs: LogLine[];

  constructor(dockerEvents: readonly DockerEvent[], logs: readonly LogLine[]) {
    for (const e of dockerEvents) {
      if (e.mesosContainerId) push(this.byContainer, e.mesosContainerId, e);
      if (e.node) push(this.byNode, `${e.node.role}-${e.node.index}`, e);
    }
    const byTime = (a: LogLine, b: LogLine) => a.at - b.at;
    this.allAgentLogs = logs.filter((l) => l.node.role === 'agent').sort(byTime);
    for (const l of this.allAgentLogs) push(this.agentLogs, l.node.index, l);
    this.masterLogs = logs.filter((l) => l.node.role === 'master').sort(byTime);
  }

  dockerFor(task: Task, agentNode: NodeRef | undefined): DockerEvent[] {
    const ids = new Set(task.statuses.flatMap((s) => (s.containerId ? [s.containerId] : [])));
    return [...[...ids].flatMap((id) => this.byContainer.get(id) ?? []), ...(agentNode ? (this.byNode.get(`agent-${agentNode.index}`) ?? []) : [])];
  }

  logsFor(task: Task, agentNode: NodeRef | undefined, now: number): LogLine[] {
    const from = task.seenAt - BEFORE_MS;
    // The moment diagnosed is at most the latest status' time (or now, for a task still STAGING).
    const to = Math.min(now, (task.state === 'TASK_STAGING' ? now : task.updatedAt) + AFTER_MS);
    const agent = agentNode ? (this.agentLogs.get(agentNode.index) ?? []) : this.allAgentLogs;
    return [...within(agent, from, to), ...within(this.masterLogs, from, to)];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The lines with from <= at <= to of a list sorted by time. */
function within(lines: readonly LogLine[], from: number, to: number): LogLine[] {
  const first = (bound: number, strict: boolean) => {
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? lines[mid]!.at <= bound : lines[mid]!.at < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return lines.slice(first(from, false), first(to, true));
}
