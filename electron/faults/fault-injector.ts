import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type Dockerode from 'dockerode';
import { FaultRequestSchema, type FaultRequestInput, type Injection } from '@shared/contract/runs';
import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import { clusterTimers, FAULT_AGENT_ATTRIBUTE, type FaultId, faultById, faultContext, faultParams } from '@shared/faults/catalog';
import { durationMs } from '@shared/mesos/duration';
import { TERMINAL_TASK_STATES } from '@shared/mesos/v1';
import { RunRequestSchema, type FrameworkVariant } from '@shared/runs/schemas';
import type { ClusterEngine } from '../engine/cluster-engine';
import { removeRootOwnedDir } from '../engine/destroy';
import { PortInUse } from '../engine/port-allocation';
import { containerName, networkName } from '../engine/naming';
import type { BuiltInFramework } from '../framework/builtin-framework';
import type { FrameworkRegistry } from '../framework/framework-registry';
import { leaderUrl, type MesosAgent, mesosAgents } from './cluster-probe';

/**
 * Breaks things on purpose, one fault of shared/faults/catalog.ts at a time (docs/mesos/faults.md): starts the task
 * the fault hits where it needs one (and waits until it runs), applies the fault at the container level
 * the way electron/mesos/faults.scenario.test.ts provokes each row, and answers with the moment it did
 * and what Mesos will do (the catalog's expectation for the framework variant). Agents a fault needs
 * set up its own way (a short executor registration timeout, a wrong advertised address) are added to
 * the cluster once, marked with the mesoscope-fault attribute so ordinary runs never land there.
 */

export interface FaultInjectorOptions {
  engine: ClusterEngine;
  docker: () => Dockerode;
  frameworks: FrameworkRegistry;
  /** How long the hit task may take to start (default 60 s: a first pull of its image). */
  startTimeoutMs?: number;
}

/** Task ports of the agents faults add: from 32000, past any engine range there (the engine's go 31000–32767). */
const FAULT_AGENT_PORTS = 32000;

/** A shell loop that holds 200 MB in a variable: over a 32 MB limit, the kernel OOM-kills it (row 3). */
export const MEMORY_HOG = "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived ${#x}";

/** The executor advertises an address where nothing listens; it binds loopback, so nothing answers there in either network mode (row 14). */
export const UNREACHABLE_EXECUTOR_ENV = { LIBPROCESS_IP: '127.0.0.1', LIBPROCESS_ADVERTISE_IP: '127.0.0.2' };

interface Context {
  cluster: ClusterSummary;
  req: ReturnType<typeof FaultRequestSchema.parse>;
  variant: FrameworkVariant;
  framework: BuiltInFramework;
  steps: string[];
}

export class FaultInjector {
  constructor(private readonly options: FaultInjectorOptions) {}

  private get docker(): Dockerode {
    return this.options.docker();
  }

  async inject(input: FaultRequestInput): Promise<Injection> {
    const req = FaultRequestSchema.parse(input);
    const cluster = await this.options.engine.get(req.cluster);
    const fault = faultById(req.fault);
    const why = fault.unavailable(cluster);
    if (why) throw new ApiError('refused', `${fault.label}: ${why}`);
    const framework = await this.options.frameworks.get(req.cluster).ready(req.framework);
    const ctx: Context = { cluster, req, variant: req.framework, framework, steps: [] };
    switch (req.fault) {
      case 'stop-agent':
      case 'pause-agent':
      case 'wipe-agent':
      case 'cut-agent-network':
        return this.agentFault(ctx, req.fault);
      case 'stop-leader':
        return this.stopLeader(ctx);
      case 'oom-task':
        return this.launchFault(ctx, { name: 'fault-oom', image: req.taskImage, command: MEMORY_HOG, mem: 32 });
      case 'missing-image':
        return this.launchFault(ctx, { name: 'fault-missing-image', image: faultParams(fault, req.params).image ?? '', command: 'true' });
      case 'slow-pull':
        return this.slowPull(ctx);
      case 'unreachable-executor':
        return this.unreachableExecutor(ctx);
    }
  }

  async undo(clusterName: string, node: string, action: 'unpause' | 'start' | 'reconnect'): Promise<void> {
    const cluster = await this.options.engine.get(clusterName);
    if (!cluster.nodes.some((n) => n.name === node)) throw new ApiError('not-found', `Cluster "${clusterName}" has no node "${node}".`);
    if (action === 'reconnect') {
      await this.docker.getNetwork(networkName(clusterName)).connect({ Container: node });
      return;
    }
    await this.options.engine.nodeAction(clusterName, node, action);
  }

  // ---- the faults ----

  private async agentFault(ctx: Context, id: Extract<FaultId, 'stop-agent' | 'pause-agent' | 'wipe-agent' | 'cut-agent-network'>): Promise<Injection> {
    const agents = await mesosAgents(ctx.cluster);
    const wanted = ctx.req.params.agent?.trim();
    const agent = wanted ? agents.find((a) => a.id === wanted) : agents.find((a) => a.active && a.attributes[FAULT_AGENT_ATTRIBUTE] === undefined);
    if (!agent) throw new ApiError('not-found', wanted ? `No agent ${wanted} is registered with the leading master (an earlier fault may have taken it away).` : 'No active agent to break.');
    if (!agent.active) throw new ApiError('refused', `Agent ${agent.hostname}:${agent.port} is not active (stopped, paused or cut off): undo the earlier fault first.`);
    const slot = ctx.cluster.layout.agents.find((a) => a.port === agent.port);
    if (!slot) throw new ApiError('not-found', `Agent ${agent.id} (port ${agent.port}) is not one of this cluster's nodes.`);
    const node = containerName(ctx.cluster.name, 'agent', slot.index);
    const task = await this.startTarget(ctx, agent.id);
    const container = this.docker.getContainer(node);

    const injectedAt = Date.now();
    if (id === 'stop-agent') {
      await container.stop({ t: 10 });
      ctx.steps.push(`docker stop ${node}`);
    } else if (id === 'pause-agent') {
      await container.pause();
      ctx.steps.push(`docker pause ${node}`);
    } else if (id === 'cut-agent-network') {
      await this.docker.getNetwork(networkName(ctx.cluster.name)).disconnect({ Container: node, Force: true });
      ctx.steps.push(`docker network disconnect ${networkName(ctx.cluster.name)} ${node}`);
    } else {
      await container.stop({ t: 10 });
      // The agent's identity (meta/slaves/latest) and checkpoints live in meta/; the sandboxes stay, so
      // destroying the cluster still finds the task containers they name.
      await removeMeta(this.docker, slot.workDir, ctx.cluster.spec.images.agent);
      await container.start();
      ctx.steps.push(`docker stop ${node}`, `rm -rf ${posix.join(slot.workDir, 'meta')}`, `docker start ${node}`);
    }
    return this.injection(ctx, id, injectedAt, task, agent, node);
  }

  private async stopLeader(ctx: Context): Promise<Injection> {
    const task = await this.startTarget(ctx, undefined);
    const leader = await leaderUrl(ctx.cluster);
    const port = Number(new URL(leader).port);
    const master = ctx.cluster.layout.masters.find((m) => m.port === port);
    if (!master) throw new ApiError('not-found', `The leader ${leader} is not one of this cluster's masters.`);
    const node = containerName(ctx.cluster.name, 'master', master.index);
    const injectedAt = Date.now();
    await this.docker.getContainer(node).stop({ t: 10 });
    ctx.steps.push(`docker stop ${node} (the leader, ${leader})`);
    const agents = await mesosAgents(ctx.cluster).catch(() => [] as MesosAgent[]);
    const injection = this.injection(ctx, 'stop-leader', injectedAt, task, agents.find((a) => a.id === task.agentId), node);
    return { ...injection, leaderBefore: leader };
  }

  private async launchFault(ctx: Context, run: { name: string; image: string; command: string; mem?: number; agentId?: string }, fault: FaultId = ctx.req.fault): Promise<Injection> {
    const injectedAt = Date.now();
    const launched = await ctx.framework.launch(
      RunRequestSchema.parse({ cluster: ctx.cluster.name, name: run.name, image: run.image || undefined, command: run.command, mem: run.mem ?? 32, cpus: 0.1, agentId: run.agentId, framework: ctx.variant }),
    );
    const task = launched.tasks[0] as { taskId: string; agentId: string };
    ctx.steps.push(`launched ${task.taskId}${run.image ? ` (${run.image})` : ''}`);
    const agents = await mesosAgents(ctx.cluster).catch(() => [] as MesosAgent[]);
    return this.injection(ctx, fault, injectedAt, { frameworkId: launched.frameworkId, ...task }, agents.find((a) => a.id === task.agentId));
  }

  private async slowPull(ctx: Context): Promise<Injection> {
    const params = faultParams(faultById('slow-pull'), ctx.req.params);
    if (durationMs(params.timeout ?? '') === undefined) throw new ApiError('invalid-input', `timeout: "${params.timeout}" is not a Mesos duration such as 2secs`);
    const image = params.image as string;
    const present = await this.docker
      .getImage(image)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (present) {
      throw new ApiError('refused', `${image} is on this Docker host already, so there would be no pull to outlast the timeout: pick an image it does not have, or remove it (docker rmi ${image}).`);
    }
    const agent = await this.faultAgent(ctx, 'slow-pull', { executor_registration_timeout: params.timeout as string });
    return this.launchFault(ctx, { name: 'fault-slow-pull', image, command: 'true', agentId: agent.id });
  }

  private async unreachableExecutor(ctx: Context): Promise<Injection> {
    const agent = await this.faultAgent(ctx, 'unreachable-executor', { executor_environment_variables: JSON.stringify(UNREACHABLE_EXECUTOR_ENV) });
    const injection = await this.launchFault(ctx, { name: 'fault-unreachable-executor', image: '', command: 'sleep 3600', agentId: agent.id });
    // No update will come: ask the master where the task is once the hold time is over (row 14).
    const holdMs = injection.expectation.holdMs ?? 5000;
    setTimeout(() => void ctx.framework.reconcile([injection.taskId]).catch(() => undefined), Math.max(0, injection.injectedAt + holdMs - Date.now())).unref?.();
    return { ...injection, steps: [...injection.steps, `RECONCILE ${injection.taskId} after ${holdMs / 1000} s`] };
  }

  // ---- helpers ----

  /** A long task on the agent (any ordinary one without an id), running before the fault strikes. */
  private async startTarget(ctx: Context, agentId: string | undefined): Promise<{ frameworkId: string; taskId: string; agentId: string }> {
    const launched = await ctx.framework.launch(
      RunRequestSchema.parse({ cluster: ctx.cluster.name, name: `fault-${ctx.req.fault}`, image: ctx.req.taskImage, command: 'sleep 3600', agentId, framework: ctx.variant }),
    );
    const task = launched.tasks[0] as { taskId: string; agentId: string };
    const state = await ctx.framework.waitForState(task.taskId, (s) => s === 'TASK_RUNNING' || TERMINAL_TASK_STATES.has(s), this.options.startTimeoutMs ?? 60_000);
    if (state !== 'TASK_RUNNING') {
      const last = ctx.framework.lastUpdate(task.taskId);
      throw new ApiError('failed', `The task the fault hits did not start: ${state}${last?.reason ? ` / ${last.reason}` : ''}${last?.message ? ` "${last.message}"` : ''}. Is ${ctx.req.taskImage} a runnable image here?`);
    }
    ctx.steps.push(`started ${task.taskId} (${ctx.req.taskImage}, sleep 3600) on agent ${task.agentId}`);
    return { frameworkId: launched.frameworkId, ...task };
  }

  /** The agent this fault added before (same flags), or a new one; resolves when it is registered. */
  private async faultAgent(ctx: Context, purpose: string, flags: Record<string, string>): Promise<MesosAgent> {
    const find = (c: ClusterSummary) => {
      const specs = c.spec.agents.list ?? [];
      const i = specs.findIndex((a) => a.attributes[FAULT_AGENT_ATTRIBUTE] === purpose && Object.entries(flags).every(([k, v]) => a.flags[k] === v));
      return i < 0 ? undefined : c.layout.agents[i];
    };
    let cluster = ctx.cluster;
    let slot = find(cluster);
    if (!slot) {
      cluster = await this.addFaultAgent(cluster.name, purpose, flags);
      slot = find(cluster);
      if (!slot) throw new ApiError('internal', `The agent added for ${purpose} is not in the cluster's spec.`);
      ctx.steps.push(`added agent ${slot.index} (${Object.entries(flags).map(([k, v]) => `--${k}=${v}`).join(' ')})`);
    } else {
      ctx.steps.push(`reused agent ${slot.index}, added earlier for this fault`);
    }
    const agent = (await mesosAgents(cluster)).find((a) => a.port === slot.port && a.active);
    if (!agent) throw new ApiError('failed', `The agent added for ${purpose} (port ${slot.port}) is not registered with the leader; is its container running?`);
    return agent;
  }

  /**
   * Its tasks need no ports, so it does not take one of the engine's 100-port task ranges (31000–32767
   * holds 17, for every cluster on the host): the first free range of ten from 32000.
   */
  private async addFaultAgent(cluster: string, purpose: string, flags: Record<string, string>): Promise<ClusterSummary> {
    for (let begin = FAULT_AGENT_PORTS; begin < FAULT_AGENT_PORTS + 1000; begin += 10) {
      try {
        return await this.options.engine.addAgent(cluster, {
          resources: { cpus: 1, mem: 512, disk: 1024, ports: { begin, end: begin + 9 } },
          attributes: { [FAULT_AGENT_ATTRIBUTE]: purpose },
          flags,
        });
      } catch (err) {
        if (!(err instanceof PortInUse && /overlaps/.test(err.message))) throw err;
      }
    }
    throw new ApiError('refused', 'No free task port range for an agent added by a fault (32000–33000 all taken).');
  }

  private injection(
    ctx: Context,
    fault: FaultId,
    injectedAt: number,
    task: { frameworkId: string; taskId: string; agentId: string },
    agent: MesosAgent | undefined,
    node?: string,
  ): Injection {
    const def = faultById(fault);
    const params = faultParams(def, ctx.req.params);
    const expectation = def.expect(faultContext(ctx.variant, params, agent?.hostname ?? '<agent hostname>'), clusterTimers(ctx.cluster));
    return { fault, cluster: ctx.cluster.name, injectedAt, frameworkId: task.frameworkId, taskId: task.taskId, agentId: task.agentId, node, expectation, steps: ctx.steps };
  }
}

async function removeMeta(docker: Dockerode, workDir: string, image: string): Promise<void> {
  const meta = posix.join(workDir, 'meta');
  // The agent is stopped while this runs and must be back before its pings run out, and a helper
  // container takes seconds to start on a busy machine: when the Docker host is this machine (the
  // work dir is visible here) remove it directly.
  if (existsSync(workDir)) {
    try {
      await rm(meta, { recursive: true, force: true });
      return;
    } catch {
      // Root-owned (the agent runs as root): from a short-lived container, as destroy does.
    }
  }
  // The work dir is on another host (Docker Desktop's VM): only a container there can reach it.
  await removeRootOwnedDir(docker, meta, image);
}
