import type { MesoscopeClient } from '@shared/api/client';
import type { ResolvedHighlight, SceneResult, TourState } from '@shared/contract/tours';
import type { Injection } from '@shared/contract/runs';
import type { Diagnosis } from '@shared/doctor/diagnosis';
import { ApiError } from '@shared/errors';
import { tourById, tours } from '@shared/tours';
import type { Tour, TourScene } from '@shared/tours/schema';
import { ClusterSession } from '../scripting/cluster-session';
import { waitForOutcome } from './outcomes';
import { endpointOf, type KilledInstance } from './service-outcomes';

/** The tasks a scene's action started, by the name the tour gives them. */
export interface TaskRef {
  frameworkId: string;
  taskIds: string[];
  injection?: Injection;
}

interface TourRun {
  tour: Tour;
  cluster: string;
  taskImage?: string;
  serviceImage?: string;
  index: number;
  results: Array<SceneResult | null>;
  highlights: Array<ResolvedHighlight | undefined>;
  refs: Map<string, TaskRef>;
  /** The instance each service's last kill-instance killed. */
  kills: Map<string, KilledInstance>;
  /** The cluster exists because this run launched it (restart and end remove it). */
  launched: boolean;
  busy: boolean;
}

export interface TourServiceDeps {
  /** The API in-process: a tour does what the presenter could do from the app, through the same handlers. */
  api: () => MesoscopeClient;
  /** Marks each scene in the cluster's recording, when one is under way. */
  mark: (cluster: string, label: string, detail?: string) => void;
}

/**
 * Runs the guided tours (shared/tours) on the host, one at a time: the presenter's app, the CLI's
 * `mesoscope tour` and the audience's view all see the same tour through `tours.state`.
 */
export class TourService {
  private run: TourRun | null = null;
  private session: ClusterSession | null = null;
  private readonly listeners = new Set<(state: TourState) => void>();

  constructor(private readonly deps: TourServiceDeps) {}

  list() {
    return tours().map((t) => ({ id: t.id, title: t.title, summary: t.summary, scenes: t.scenes.length, masters: t.cluster.masters, agents: t.cluster.agents }));
  }

  subscribe(listener: (state: TourState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state());
    return () => this.listeners.delete(listener);
  }

  state(): TourState {
    const run = this.run;
    if (!run) return { active: false, index: 0, count: 0, results: [] };
    const scene = run.tour.scenes[run.index] as TourScene;
    return {
      active: true,
      tourId: run.tour.id,
      title: run.tour.title,
      cluster: run.cluster,
      index: run.index,
      count: run.tour.scenes.length,
      scene,
      result: run.results[run.index] ?? undefined,
      highlight: run.highlights[run.index] ?? (scene.highlight && !scene.highlight.task ? { tab: scene.highlight.tab, node: this.nodeName(scene.highlight.node) } : undefined),
      results: run.results,
    };
  }

  async start(input: { tour: string; cluster?: string; taskImage?: string; serviceImage?: string }): Promise<TourState> {
    const tour = tourById(input.tour);
    if (!tour) throw new ApiError('not-found', `No tour named "${input.tour}" (there are: ${tours().map((t) => t.id).join(', ')}).`, { issues: [{ path: 'tour', message: 'no such tour' }] });
    if (this.run?.busy) throw new ApiError('refused', `The tour "${this.run.tour.title}" is in the middle of a scene: wait for it, then start another.`);
    this.closeSession();
    this.run = {
      tour,
      cluster: input.cluster ?? `tour-${tour.id}`,
      taskImage: input.taskImage,
      serviceImage: input.serviceImage,
      index: 0,
      results: tour.scenes.map(() => null),
      highlights: tour.scenes.map(() => undefined),
      refs: new Map(),
      kills: new Map(),
      launched: false,
      busy: false,
    };
    this.changed();
    return this.state();
  }

  /** Does the current scene's action and waits for its outcome (bounded); the scene's result says how it went. */
  async act(): Promise<TourState> {
    const run = this.need();
    if (run.busy) throw new ApiError('refused', `Scene ${run.index + 1} is under way already.`);
    const scene = run.tour.scenes[run.index] as TourScene;
    const index = run.index;
    run.busy = true;
    const started = Date.now();
    const set = (result: SceneResult) => {
      run.results[index] = { ...result, elapsedMs: Date.now() - started };
      this.changed();
    };
    set({ phase: 'acting', message: scene.action ? describeAction(scene) : 'Nothing to do: look and listen.' });
    this.deps.mark(run.cluster, `Tour: ${run.tour.title}, scene ${index + 1}`, scene.title);
    try {
      const before = scene.action ? await this.perform(run, scene) : undefined;
      if (scene.expect) {
        set({ phase: 'waiting', message: `Waiting up to ${scene.expect.withinSecs} s for ${describeOutcome(scene)}…` });
        const outcome = await waitForOutcome(this.sessionFor(run), run, scene.expect, before);
        if (outcome.ok) set({ phase: 'landed', message: outcome.message });
        else set({ phase: 'missed', message: outcome.message, doctor: await this.doctorsWord(run, scene) });
      } else {
        set({ phase: 'landed', message: scene.action ? 'Done.' : undefined });
      }
    } catch (err) {
      set({ phase: 'failed', message: err instanceof Error ? err.message : String(err), doctor: await this.doctorsWord(run, scene).catch(() => undefined) });
    } finally {
      run.busy = false;
    }
    if (this.run === run) {
      run.highlights[index] = await this.resolveHighlight(run, scene).catch(() => undefined);
      this.changed();
    }
    return this.state();
  }

  async go(to: 'next' | 'back' | 'restart'): Promise<TourState> {
    const run = this.need();
    if (run.busy) throw new ApiError('refused', `Scene ${run.index + 1} is under way: wait for its outcome first.`);
    if (to === 'next') {
      if (run.index + 1 >= run.tour.scenes.length) throw new ApiError('refused', 'This is the last scene: restart or end the tour.');
      run.index += 1;
    } else if (to === 'back') {
      if (run.index === 0) throw new ApiError('refused', 'This is the first scene.');
      run.index -= 1;
    } else {
      run.busy = true;
      this.changed();
      try {
        await this.removeCluster(run);
      } finally {
        run.busy = false;
      }
      run.index = 0;
      run.results = run.tour.scenes.map(() => null);
      run.highlights = run.tour.scenes.map(() => undefined);
      run.refs.clear();
      run.kills.clear();
    }
    this.changed();
    return this.state();
  }

  async end(destroy: boolean): Promise<TourState> {
    const run = this.run;
    if (run?.busy) throw new ApiError('refused', `Scene ${run.index + 1} is under way: wait for its outcome first.`);
    if (run && destroy) await this.removeCluster(run);
    this.closeSession();
    this.run = null;
    this.changed();
    return this.state();
  }

  dispose(): void {
    this.closeSession();
    this.listeners.clear();
  }

  // ---- scenes ----

  /** Applies the action; returns what the outcome is measured against (the leader before a failover). */
  private async perform(run: TourRun, scene: TourScene): Promise<{ leaderBefore?: string }> {
    const action = scene.action;
    if (!action) return {};
    const api = this.deps.api();
    if (action.do === 'launch') {
      const exists = (await api.call('clusters.list', {})).some((c) => c.name === run.cluster);
      if (exists && run.launched) await this.removeCluster(run);
      else if (exists) throw new ApiError('refused', `A cluster named "${run.cluster}" exists already: remove it, or start the tour with another cluster name.`, { issues: [{ path: 'cluster', message: 'name taken' }] });
      const { masters, agents, timers } = run.tour.cluster;
      await api.call('clusters.create', { spec: { name: run.cluster, masters: { count: masters }, agents: { count: agents }, ...(timers ? { timers } : {}) } });
      run.launched = true;
      return {};
    }
    const session = this.sessionFor(run);
    const view = await session.live.live();
    const leaderBefore = view.masters.find((m) => m.leader)?.url;
    switch (action.do) {
      case 'run': {
        const launched = await session.launch({ name: `${action.as}`, command: action.command, instances: action.instances, cpus: action.cpus, mem: action.mem, framework: action.framework });
        const ref = { frameworkId: launched.frameworkId, taskIds: launched.tasks.map((t) => t.taskId) };
        run.refs.set(action.as, ref);
        if (action.until) {
          for (const id of ref.taskIds) await session.waitForTask(`${ref.frameworkId}/${id}`, action.until, 60_000);
        }
        break;
      }
      case 'fault': {
        const injection = await session.fault(action.fault, { agent: action.agent, framework: action.framework, taskImage: run.taskImage });
        run.refs.set(action.as, { frameworkId: injection.frameworkId, taskIds: [injection.taskId], injection });
        break;
      }
      case 'undo':
        await session.undo(action.fault, { agent: action.agent });
        break;
      case 'service': {
        const { as, image, instances, cpus, mem, ports, healthCheck } = action;
        await api.call('services.create', {
          cluster: run.cluster,
          spec: { id: as, image: run.serviceImage ?? image, instances, cpus, mem, network: 'BRIDGE', ports: ports.map((p) => ({ ...p, protocol: 'tcp' as const })), ...(healthCheck ? { healthCheck } : {}) },
        });
        break;
      }
      case 'kill-instance': {
        const view = await api.call('services.list', { cluster: run.cluster });
        const inst = view.services.find((s) => s.spec.id === action.service)?.instances.find((i) => i.slot === action.instance);
        const endpoint = inst && endpointOf(inst);
        if (!inst?.taskId || !inst.frameworkId || inst.state !== 'TASK_RUNNING' || !endpoint) {
          throw new ApiError('refused', `Instance ${action.instance} of "${action.service}" is not running (${inst?.state ?? 'no such instance'}): wait for the service to run first.`);
        }
        run.kills.set(action.service, { slot: inst.slot, taskId: inst.taskId, endpoint });
        await api.call('runs.kill', { cluster: run.cluster, frameworkId: inst.frameworkId, taskId: inst.taskId });
        break;
      }
    }
    return { leaderBefore };
  }

  /** When an outcome did not come: what the doctor says of the scene's task. */
  private async doctorsWord(run: TourRun, scene: TourScene): Promise<string | undefined> {
    const name = (scene.expect && 'task' in scene.expect ? scene.expect.task : undefined) ?? (scene.action && 'as' in scene.action ? scene.action.as : undefined);
    const ref = name ? run.refs.get(name) : undefined;
    const id = ref?.taskIds[0];
    if (!ref || !id) return undefined;
    const diagnosis = await this.sessionFor(run).diagnose(`${ref.frameworkId}/${id}`, 1000).catch(() => undefined);
    return diagnosis ? describeDiagnosis(diagnosis) : undefined;
  }

  private async resolveHighlight(run: TourRun, scene: TourScene): Promise<ResolvedHighlight | undefined> {
    const h = scene.highlight;
    if (!h) return undefined;
    const ref = h.task ? run.refs.get(h.task) : undefined;
    const taskId = ref?.taskIds[0];
    const taskKey = ref && taskId ? `${ref.frameworkId}/${taskId}` : undefined;
    let verdict: string | undefined;
    if (h.verdict && taskKey) {
      const diagnosis = await this.sessionFor(run).diagnose(taskKey, 1500).catch(() => undefined);
      verdict = diagnosis ? describeDiagnosis(diagnosis) : undefined;
    }
    return { tab: h.tab, taskKey, taskId, node: this.nodeName(h.node), verdict };
  }

  private nodeName(node: string | undefined): string | undefined {
    return node && this.run ? `${this.run.cluster}-${node}` : undefined;
  }

  private async removeCluster(run: TourRun): Promise<void> {
    this.closeSession();
    if (!run.launched) return;
    const api = this.deps.api();
    if ((await api.call('clusters.list', {})).some((c) => c.name === run.cluster)) await api.call('clusters.destroy', { name: run.cluster });
    run.launched = false;
  }

  private sessionFor(run: TourRun): ClusterSession {
    if (this.session?.name !== run.cluster) {
      this.closeSession();
      this.session = new ClusterSession(this.deps.api(), run.cluster);
    }
    return this.session;
  }

  private closeSession(): void {
    this.session?.close();
    this.session = null;
  }

  private need(): TourRun {
    if (!this.run) throw new ApiError('refused', 'No tour is under way: start one first.');
    return this.run;
  }

  private changed(): void {
    const state = this.state();
    for (const listener of [...this.listeners]) listener(state);
  }
}

export function describeDiagnosis(d: Diagnosis): string | undefined {
  if (d.kind === 'diagnosed') return `${d.title}: ${d.cause}`;
  if (d.kind === 'unrecognised') return 'A status no rule of the doctor knows.';
  return undefined;
}

function describeAction(scene: TourScene): string {
  const a = scene.action;
  switch (a?.do) {
    case 'launch':
      return 'Launching the cluster…';
    case 'run':
      return `Running ${a.instances} × "${a.command}"…`;
    case 'fault':
      return `Injecting ${a.fault}${a.agent ? ` on agent ${a.agent}` : ''}…`;
    case 'undo':
      return `Undoing ${a.fault}${a.agent ? ` on agent ${a.agent}` : ''}…`;
    case 'service':
      return `Creating the service ${a.as}: ${a.instances} × ${a.image}…`;
    case 'kill-instance':
      return `Killing instance ${a.instance} of ${a.service}…`;
    default:
      return '';
  }
}

function describeOutcome(scene: TourScene): string {
  const e = scene.expect;
  switch (e?.see) {
    case 'cluster-ready':
      return 'every agent to be active';
    case 'task-state':
      return `${e.task} to be ${e.state}`;
    case 'fault-outcome':
      return 'what faults.md says';
    case 'agent-active':
      return `agent ${e.agent} to be active`;
    case 'frameworks':
      return `${e.count} frameworks`;
    case 'offer-declined':
      return 'a declined offer';
    case 'leader-changed':
      return 'a new leader';
    case 'framework-resubscribed':
      return 'the framework to resubscribe';
    case 'service-running':
      return `every instance of ${e.service} to run, healthy`;
    case 'service-relaunched':
      return `the killed instance of ${e.service} to be relaunched`;
    default:
      return 'the outcome';
  }
}
