import { AGENT_DOCKER_CLI, AGENT_DOCKER_SOCKET } from '../cluster/agent-docker';
import type { ClusterSummary } from '../cluster/status';
import { durationMs, humanMs } from '../mesos/duration';
import type { FrameworkVariant } from '../runs/schemas';
import type { Expectation, ExpectedStatus } from './expectation';

/**
 * The fault buttons: what each does, whether this cluster allows it, and what Mesos will do to the
 * task it hits, for each framework variant (docs/mesos/faults.md). Pure data and arithmetic, shared by the host
 * (which injects and reports the expectation) and the UI (which shows it before and judges after).
 */

export const FAULT_IDS = [
  'stop-agent',
  'pause-agent',
  'wipe-agent',
  'cut-agent-network',
  'stop-leader',
  'oom-task',
  'missing-image',
  'slow-pull',
  'unreachable-executor',
] as const;
export type FaultId = (typeof FAULT_IDS)[number];

/** The attribute that marks an agent a fault added for itself; ordinary runs never land there. */
export const FAULT_AGENT_ATTRIBUTE = 'mesoscope-fault';

export interface FaultParam {
  key: 'agent' | 'image' | 'timeout';
  label: string;
  kind: 'agent' | 'text';
  /** Default value ('' for an agent: the UI picks the first ordinary one). */
  default: string;
  help?: string;
}

/** What the expectation depends on, beyond the fault and the framework variant. */
export interface FaultContext {
  variant: FrameworkVariant;
  /** The hit agent's hostname as the master knows it (in "Agent <hostname> disconnected"). */
  agentHostname: string;
  /** The `image` parameter (missing-image, slow-pull). */
  image: string;
  /** The `timeout` parameter (slow-pull): the purpose-built agent's executor_registration_timeout. */
  timeout: string;
}

export interface ClusterTimers {
  /** agent_ping_timeout × max_agent_ping_timeouts: how long until a silent agent is unreachable. */
  pingsMs: number;
  pingMs: number;
  maxPings: number;
  /** The masters' ZooKeeper session timeout: how long until a stopped leader's place is taken. */
  zkSessionMs: number;
  zkSession: string;
  /** `<docker> -H unix://<socket>` as the agents' pull failures print it. */
  dockerCli: string;
}

export function clusterTimers(cluster: Pick<ClusterSummary, 'spec'>): ClusterTimers {
  const { spec } = cluster;
  const flag = (name: string) => spec.masters.flags[name];
  const ping = flag('agent_ping_timeout') ?? spec.timers.agentPingTimeout;
  const max = Number(flag('max_agent_ping_timeouts') ?? spec.timers.maxAgentPingTimeouts);
  const zkSession = flag('zk_session_timeout') ?? '10secs';
  const pingMs = durationMs(ping) ?? 15_000;
  const agentFlags = spec.agents.list?.[0]?.flags ?? spec.agents.flags;
  const docker = agentFlags.docker ?? AGENT_DOCKER_CLI;
  const socket = agentFlags.docker_socket ?? AGENT_DOCKER_SOCKET;
  return {
    pingMs,
    maxPings: max,
    pingsMs: pingMs * max,
    zkSessionMs: durationMs(zkSession) ?? 10_000,
    zkSession,
    dockerCli: `${docker} -H unix://${socket}`,
  };
}

export interface FaultDefinition {
  id: FaultId;
  label: string;
  params: FaultParam[];
  /** null when this cluster allows the fault, else why not. */
  unavailable(cluster: Pick<ClusterSummary, 'spec' | 'layout'>): string | null;
  /** Not shown at all when unavailable (the network cut outside a bridge network). */
  hiddenWhenUnavailable?: boolean;
  /** One line: what the button does, what Mesos will do and how long it takes. */
  line(ctx: FaultContext, timers: ClusterTimers): string;
  expect(ctx: FaultContext, timers: ClusterTimers): Expectation;
  /** The button that undoes it (the node comes back), if any. */
  undo?: { label: string; action: 'unpause' | 'start' | 'reconnect' };
}

const master = (state: ExpectedStatus['state'], reason: string, message: string): ExpectedStatus => ({ state, reason, source: 'SOURCE_MASTER', message });

/** A few seconds of slack on every "at once" and "after the pings": container stops, polls, a loaded machine. */
const SLACK_MS = 5000;

const agentParam: FaultParam = { key: 'agent', label: 'Agent', kind: 'agent', default: '', help: 'A task is started there first; it is the one the fault hits.' };

/** The pings' verdict: LOST for legacy frameworks, UNREACHABLE for partition-aware ones (rows 9, 10). */
function unreachable(ctx: FaultContext, t: ClusterTimers, rows: string, evidence: Expectation['evidence'], summary: string, then?: string): Expectation {
  const state = ctx.variant.partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST';
  return {
    rows,
    evidence,
    final: master(state, 'REASON_AGENT_REMOVED', 'health check timed out'),
    atLeastMs: Math.max(0, t.pingsMs - t.pingMs),
    withinMs: t.pingsMs + SLACK_MS,
    summary,
    then,
  };
}

/** The agent's socket closed and the framework does not checkpoint: LOST at once, whatever PA says (row 11). */
function disconnected(ctx: FaultContext, summary: string, then?: string): Expectation {
  return {
    rows: '11',
    evidence: 'observed',
    final: master('TASK_LOST', 'REASON_AGENT_DISCONNECTED', `Agent ${ctx.agentHostname} disconnected`),
    atLeastMs: 0,
    withinMs: SLACK_MS,
    summary,
    then,
  };
}

const pingsText = (t: ClusterTimers) => `${t.maxPings} missed pings, ≈ ${humanMs(t.pingsMs + 500)}`;
const lostWord = (v: FrameworkVariant) => (v.partitionAware ? 'UNREACHABLE' : 'LOST');

/** `busybox` → `busybox:latest`: how the daemon names a ref without a tag in its errors. */
export function withTag(image: string): string {
  const slash = image.lastIndexOf('/');
  return image.slice(slash + 1).includes(':') || image.includes('@') ? image : `${image}:latest`;
}

export const FAULTS: readonly FaultDefinition[] = [
  {
    id: 'stop-agent',
    label: 'Stop an agent',
    params: [agentParam],
    unavailable: () => null,
    line: (ctx, t) =>
      ctx.variant.checkpoint
        ? `docker stop on the agent's container. The task is ${lostWord(ctx.variant)} / AGENT_REMOVED once the master gives up on it: ${pingsText(t)}.`
        : `docker stop on the agent's container. The framework does not checkpoint, so the task is LOST / AGENT_DISCONNECTED at once.`,
    expect: (ctx, t) => {
      const then = 'Start the agent again: a checkpointed task comes back as FAILED / AGENT_REREGISTERED, then FAILED / EXECUTOR_TERMINATED "Container terminated" (row 12).';
      if (!ctx.variant.checkpoint) return disconnected(ctx, 'The agent is gone and its socket closed: LOST / AGENT_DISCONNECTED at once.', then);
      return unreachable(
        ctx,
        t,
        ctx.variant.partitionAware ? '12 (partition-aware: 10)' : '12',
        ctx.variant.partitionAware ? 'source' : 'observed',
        `A checkpointing framework's task waits for the agent: ${lostWord(ctx.variant)} / AGENT_REMOVED "health check timed out" after ${pingsText(t)}.`,
        then,
      );
    },
    undo: { label: 'Start the agent', action: 'start' },
  },
  {
    id: 'pause-agent',
    label: 'Pause an agent',
    params: [agentParam],
    unavailable: () => null,
    line: (ctx, t) => `docker pause on the agent's container: it misses the master's pings, and its task is ${lostWord(ctx.variant)} / AGENT_REMOVED after ${pingsText(t)}.`,
    expect: (ctx, t) =>
      unreachable(
        ctx,
        t,
        ctx.variant.partitionAware ? '10' : '9',
        'observed',
        `The socket stays open, the pings go unanswered: ${lostWord(ctx.variant)} / AGENT_REMOVED "health check timed out" after ${pingsText(t)}, then a FAILURE event.`,
        'Unpause it: the agent reregisters and the task comes back RUNNING / AGENT_REREGISTERED "Unreachable agent re-reregistered".',
      ),
    undo: { label: 'Unpause the agent', action: 'unpause' },
  },
  {
    id: 'wipe-agent',
    label: 'Restart an agent with a wiped work_dir',
    params: [agentParam],
    unavailable: () => null,
    line: (ctx) =>
      ctx.variant.checkpoint
        ? `Stops the agent, removes <work_dir>/meta (its identity), starts it: it registers as a new agent at the same address, and the master removes the old one with its task (${ctx.variant.partitionAware ? 'GONE' : 'LOST'} / AGENT_REMOVED) within seconds.`
        : 'Stops the agent, removes <work_dir>/meta (its identity), starts it as a new agent. The framework does not checkpoint: the task is LOST / AGENT_DISCONNECTED at the stop.',
    expect: (ctx, t) => {
      if (!ctx.variant.checkpoint) return disconnected(ctx, 'The stop closes the socket: LOST / AGENT_DISCONNECTED at once; the new agent changes nothing more.');
      return {
        rows: 'api.md §9 #17',
        evidence: 'source',
        final: master(ctx.variant.partitionAware ? 'TASK_GONE' : 'TASK_LOST', 'REASON_AGENT_REMOVED', `Agent ${ctx.agentHostname} removed: a new agent registered at the same address`),
        atLeastMs: 0,
        // Only while the new agent beats the pings; after them the task was already unreachable.
        withinMs: Math.max(t.pingsMs, 3000) + SLACK_MS,
        summary: `The agent comes back with a new id at the same address; the master removes the old agent and its task: ${ctx.variant.partitionAware ? 'GONE' : 'LOST'} / AGENT_REMOVED, as soon as the new one registers (before the ${humanMs(t.pingsMs)} of pings run out).`,
      };
    },
  },
  {
    id: 'cut-agent-network',
    label: "Cut an agent's network",
    params: [agentParam],
    unavailable: (c) => (c.layout.network === 'bridge' ? null : 'Only on a bridge network: with host networking the agent shares the host network namespace, so nothing can be cut.'),
    hiddenWhenUnavailable: true,
    line: (ctx, t) => `docker network disconnect of the agent: a partition. The task is ${lostWord(ctx.variant)} / AGENT_REMOVED after ${pingsText(t)}.`,
    expect: (ctx, t) =>
      unreachable(
        ctx,
        t,
        ctx.variant.partitionAware ? '10 (a partition, like the pause)' : '9 (a partition, like the pause)',
        'source',
        `No socket closes; the pings go unanswered: ${lostWord(ctx.variant)} / AGENT_REMOVED "health check timed out" after ${pingsText(t)}.`,
        'Reconnect it: the agent reregisters and the task comes back RUNNING / AGENT_REREGISTERED.',
      ),
    undo: { label: 'Reconnect the agent', action: 'reconnect' },
  },
  {
    id: 'stop-leader',
    label: 'Stop the leading master',
    params: [],
    unavailable: (c) => (c.spec.masters.count >= 3 ? null : 'Needs 3 masters (a standby to take over): create the cluster with the HA preset.'),
    line: (_ctx, t) =>
      `docker stop on the leader: a standby takes over when the old leader's ZooKeeper session expires (≈ ${humanMs(t.zkSessionMs)}); no task update; the framework resubscribes with its id.`,
    expect: (_ctx, t) => ({
      rows: '18',
      evidence: 'observed',
      final: null,
      stays: 'TASK_RUNNING',
      leaderChange: true,
      atLeastMs: 0,
      holdMs: Math.min(t.zkSessionMs, 10_000),
      withinMs: t.zkSessionMs + 20_000,
      summary: `A standby is elected ≈ ${humanMs(t.zkSessionMs)} after the stop (${t.zkSession} ZooKeeper session); the task keeps RUNNING with no update, the agents and the framework move to the new leader.`,
    }),
    undo: { label: 'Start the old leader', action: 'start' },
  },
  {
    id: 'oom-task',
    label: 'Run a task that exceeds its memory',
    params: [],
    unavailable: () => null,
    line: () => 'A Docker task with 32 MB that fills 200 MB: the OOM killer ends it, and Docker OOM kills carry no reason: FAILED "Container exited with status 137", within seconds.',
    expect: () => ({
      rows: '3',
      evidence: 'observed',
      final: { state: 'TASK_FAILED', reason: null, source: 'SOURCE_EXECUTOR', message: 'Container exited with status 137' },
      atLeastMs: 0,
      withinMs: 30_000,
      summary: 'STARTING, RUNNING, then FAILED / – / EXECUTOR "Container exited with status 137" at the OOM kill (no REASON_CONTAINER_LIMITATION_MEMORY: only the Mesos containerizer sets it).',
    }),
  },
  {
    id: 'missing-image',
    label: 'Run a task whose image does not exist',
    params: [{ key: 'image', label: 'Image', kind: 'text', default: 'busybox:mesoscope-no-such-tag', help: 'A tag the registry does not have.' }],
    unavailable: () => null,
    line: () => "A Docker task whose tag the registry does not have: the agent's docker pull fails, FAILED / CONTAINER_LAUNCH_FAILED with the daemon's error, in about a second.",
    expect: (ctx, t) => ({
      rows: '4',
      evidence: 'observed',
      final: {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        source: 'SOURCE_AGENT',
        message: `Failed to launch container: Failed to run '${t.dockerCli} pull ${ctx.image}': exited with status 1; stderr='Error response from daemon: manifest for ${withTag(ctx.image)} not found: manifest unknown: manifest unknown\n'`,
      },
      atLeastMs: 0,
      withinMs: 20_000,
      summary: 'One update, no STARTING: FAILED / CONTAINER_LAUNCH_FAILED / AGENT with the pull command and the daemon\'s "manifest unknown".',
    }),
  },
  {
    id: 'slow-pull',
    label: 'Pull slower than the executor registration timeout',
    params: [
      { key: 'image', label: 'Large image', kind: 'text', default: 'tensorflow/tensorflow:2.16.1', help: 'Not on this Docker host yet, and big enough that its pull outlasts the timeout.' },
      { key: 'timeout', label: 'executor_registration_timeout', kind: 'text', default: '2secs' },
    ],
    unavailable: () => null,
    line: (ctx) =>
      `Adds an agent with executor_registration_timeout=${ctx.timeout} (once) and runs a large image there: the timer includes the pull, so FAILED / CONTAINER_LAUNCH_FAILED "…discarded…" at ${ctx.timeout}.`,
    expect: (ctx) => {
      const ms = durationMs(ctx.timeout) ?? 2000;
      return {
        rows: '13',
        evidence: 'observed',
        final: {
          state: 'TASK_FAILED',
          reason: 'REASON_CONTAINER_LAUNCH_FAILED',
          source: 'SOURCE_AGENT',
          message: 'Failed to launch container: discarded; Abnormal executor termination: unknown container',
        },
        atLeastMs: Math.max(0, ms - 500),
        withinMs: ms + SLACK_MS,
        summary: `The pull is cut short at the ${ctx.timeout} timeout: FAILED / CONTAINER_LAUNCH_FAILED "Failed to launch container: discarded; …" (observed; the source would suggest EXECUTOR_REGISTRATION_TIMEOUT).`,
      };
    },
  },
  {
    id: 'unreachable-executor',
    label: 'An executor the agent cannot reach',
    params: [],
    unavailable: () => null,
    line: () =>
      'Adds an agent (once) whose executors advertise LIBPROCESS_ADVERTISE_IP=127.0.0.2, where nothing listens — the minimesos story: the task hangs in STAGING with no update, for good.',
    expect: () => ({
      rows: '14',
      evidence: 'observed',
      final: null,
      stays: 'TASK_STAGING',
      atLeastMs: 0,
      holdMs: 5000,
      withinMs: 20_000,
      reconcile: master('TASK_STAGING', 'REASON_RECONCILIATION', 'Reconciliation: Latest task state'),
      summary:
        "No update at all: the task stays STAGING; asked, the master answers STAGING / RECONCILIATION; the agent's log says Failed to send 'mesos.internal.ExecutorRegisteredMessage' … Connection refused.",
      then: 'Kill the task to end it (KILLED / TASK_KILLED_DURING_LAUNCH).',
    }),
  },
];

export function faultById(id: FaultId): FaultDefinition {
  const fault = FAULTS.find((f) => f.id === id);
  if (!fault) throw new Error(`unknown fault ${id}`);
  return fault;
}

/** The parameters with their defaults filled in. */
export function faultParams(fault: FaultDefinition, given: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fault.params) out[p.key] = (given[p.key] ?? '').trim() || p.default;
  return out;
}

export function faultContext(variant: FrameworkVariant, params: Record<string, string>, agentHostname = '<agent hostname>'): FaultContext {
  return { variant, agentHostname, image: params.image ?? '', timeout: params.timeout ?? '2secs' };
}
