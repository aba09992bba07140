import type { ClusterLayout } from '../cluster/layout';
import type { ClusterSpec } from '../cluster/spec';
import type { ClusterSummary } from '../cluster/status';
import type { Agent, ClusterView } from '../dashboard/view';
import { diagnose, quietState } from './diagnose';
import type { DiagnoseInput, Diagnosis } from './diagnosis';
import type { AgentEvidence, DockerEvent, LogLine, NodeRef } from './evidence';
import { EvidenceIndex } from './evidence-index';

/**
 * The doctor's input from what the app has: a dashboard view (live, or a recording at a moment), the
 * cluster's summary (spec, layout, Mesos version), and the Docker events and log lines gathered.
 */

export interface DoctorContext {
  /** What the engine knows of the cluster (a ClusterSummary, or a recording's header). */
  summary?: { spec?: ClusterSpec; layout?: ClusterLayout; mesos?: ClusterSummary['mesos'] };
  dockerEvents?: readonly DockerEvent[];
  logs?: readonly LogLine[];
  now?: number;
  stagingThresholdMs?: number;
}

/** The agent's container: the layout slot whose port the agent registered with. */
export function agentNodeOf(agent: Pick<Agent, 'port'>, layout: ClusterLayout | undefined): NodeRef | undefined {
  const slot = layout?.agents.find((a) => a.port === agent.port);
  return slot ? { role: 'agent', index: slot.index } : undefined;
}

/** The view's agent states in the doctor's words; an agent the view no longer lists was removed. */
export function agentEvidence(view: ClusterView, agentId: string, layout: ClusterLayout | undefined): AgentEvidence {
  const agent = view.agents[agentId];
  if (!agent) return { id: agentId, state: 'removed' };
  const state = agent.state === 'active' || agent.state === 'deactivated' ? 'registered' : agent.state;
  return { id: agentId, state, hostname: agent.hostname, node: agentNodeOf(agent, layout) };
}

export function doctorInput(view: ClusterView, taskKey: string, context: DoctorContext = {}): DiagnoseInput | undefined {
  const task = view.tasks[taskKey];
  if (!task) return undefined;
  const layout = context.summary?.layout;
  const leader = view.masters.find((m) => m.leader);
  return {
    task,
    framework: view.frameworks[task.frameworkId],
    agent: task.agentId ? agentEvidence(view, task.agentId, layout) : undefined,
    mesosVersion: context.summary?.mesos?.version ?? leader?.version ?? view.agents[task.agentId]?.version,
    // diagnose() reads these, never changes them.
    dockerEvents: context.dockerEvents as DockerEvent[] | undefined,
    logs: context.logs as LogLine[] | undefined,
    spec: context.summary?.spec,
    layout,
    now: context.now,
    stagingThresholdMs: context.stagingThresholdMs,
  };
}

/** The diagnosis of one task of the view; undefined for a task it does not hold. */
export function diagnoseTask(view: ClusterView, taskKey: string, context: DoctorContext = {}): Diagnosis | undefined {
  const input = doctorInput(view, taskKey, context);
  return input && diagnose(input);
}

/** Every task of the view that has something to diagnose (diagnosed or unrecognised), by task key. */
export function diagnoseView(view: ClusterView, context: DoctorContext = {}): Record<string, Exclude<Diagnosis, { kind: 'none' }>> {
  const out: Record<string, Exclude<Diagnosis, { kind: 'none' }>> = {};
  const index = new EvidenceIndex(context.dockerEvents ?? [], context.logs ?? []);
  const now = context.now ?? Date.now();
  for (const [key, task] of Object.entries(view.tasks)) {
    // Most tasks of a busy cluster run: they are passed over before their evidence is looked up
    // (bench:events: 10,000 running tasks every 2 s were the host's longest stall at 10 updates a second).
    if (quietState(task.state)) continue;
    const input = doctorInput(view, key, { ...context, now, dockerEvents: undefined, logs: undefined })!;
    input.dockerEvents = index.dockerFor(input.task, input.agent?.node);
    input.logs = index.logsFor(input.task, input.agent?.node, now);
    const d = diagnose(input);
    if (d.kind !== 'none') out[key] = d;
  }
  return out;
}
