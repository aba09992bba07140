import { ApiError } from '@shared/errors';
import { TERMINAL_TASK_STATES } from '@shared/mesos/v1';
import { applyDeltas } from '@shared/dashboard/apply';
import type { ClusterView } from '@shared/dashboard/view';
import { funnelText, runFunnel } from '@shared/funnel/from-views';
import type { Launched, RunRequestInput } from '@shared/runs/schemas';
import { ClusterSession, endStatus, outcomeOf, type TaskOutcome, type TaskSpec } from '../scripting/cluster-session';
import { isTimeout } from '../scripting/live-view';
import { streamLog } from '../scripting/log-stream';
import { type Command, type CommandContext, durationOption, EXIT, intOption, need, numberOption, printJson, UsageError } from './command';
import { agentName, diagnosisText, statusLine, taskHistoryText, taskRows, taskTable } from './describe';

/** `ps`, `run`, `kill`, `doctor`: tasks through the built-in framework and the doctor. */

async function session(ctx: CommandContext, what = '<cluster>'): Promise<ClusterSession> {
  return new ClusterSession(await ctx.api(), need(ctx.positionals[0], what));
}

/** A day: "no limit" for waits that need one. */
const NO_LIMIT_MS = 86_400_000;

export const ps: Command = {
  name: 'ps',
  args: '<cluster> [--task ID]',
  summary: 'Tasks: framework, id, state, reason, agent, age; with --task, that task\'s status history.',
  help: `Every task the leading master knows (the dashboard's view, from the operator stream), oldest first.
--task ID prints one task's status history instead; on an attached cluster the statuses known before
the attach (the master's record) are marked "before attach", the rest were seen live.`,
  example: 'mesoscope ps demo\nmesoscope ps demo --task hello\nmesoscope ps demo --json | node -e \'…\'',
  clusterArg: true,
  options: { task: { type: 'string' } },
  async run(ctx) {
    const s = await session(ctx);
    try {
      if (typeof ctx.values.task === 'string') {
        const task = await s.task(ctx.values.task);
        if (ctx.json) printJson(task);
        else console.log(taskHistoryText(task));
        return EXIT.ok;
      }
      const [tasks, summary] = await Promise.all([s.tasks(), s.launchedSummary()]);
      const rows = taskRows(tasks, summary, s.live.current);
      if (ctx.json) printJson(rows);
      else console.log(rows.length ? taskTable(rows) : 'No tasks.');
      return EXIT.ok;
    } finally {
      s.close();
    }
  },
};

export const run: Command = {
  name: 'run',
  args: '<cluster> [options] -- <command…>',
  summary: 'Run a task with the built-in framework; wait for it to end.',
  help: `Launches the command (with /bin/sh -c; --image runs it in a Docker image, --image-entrypoint
passes the words to the image's entrypoint instead) on the first offers that hold it, then waits for
every instance to end (--detach: only until launched). --follow streams their stdout as they run.
--explain prints, while the run waits for offers, why it is not launching: every agent and every offer
checked against what it needs, the first dimension that does not fit named, and why no offer comes.
Exits 0 only when every task FINISHED; otherwise 5, with the doctor's verdict for each that did not.`,
  example: 'mesoscope run demo -- echo hello\nmesoscope run demo --image alpine --cpus 0.2 --mem 64 --instances 3 --follow -- \'echo hi; sleep 5\'',
  clusterArg: true,
  options: {
    image: { type: 'string' },
    'image-entrypoint': { type: 'boolean', default: false },
    name: { type: 'string' },
    cpus: { type: 'string' },
    mem: { type: 'string' },
    instances: { type: 'string' },
    env: { type: 'string', multiple: true },
    agent: { type: 'string' },
    'kill-after': { type: 'string' },
    'partition-aware': { type: 'boolean', default: false },
    'no-checkpoint': { type: 'boolean', default: false },
    detach: { type: 'boolean', short: 'd', default: false },
    follow: { type: 'boolean', short: 'f', default: false },
    timeout: { type: 'string' },
    explain: { type: 'boolean', default: false },
    'offer-timeout': { type: 'string' },
  },
  optionHelp: {
    image: 'IMAGE',
    name: 'NAME',
    cpus: 'N',
    mem: 'MB',
    instances: 'N',
    env: 'K=V (repeatable)',
    agent: 'N (agent-N only)',
    'kill-after': 'SECS',
    timeout: 'DURATION (e.g. 90s)',
    'offer-timeout': 'SECS (default 30: give up when no offer holds it)',
  },
  async run(ctx) {
    const [cluster, ...extra] = ctx.positionals;
    const words = ctx.afterDashes;
    need(cluster, '<cluster>');
    if (words.length === 0 || extra.length > 0) throw new UsageError('the command to run comes after --, e.g. mesoscope run demo -- echo hello');
    const v = ctx.values;
    const env: Record<string, string> = {};
    for (const pair of (v.env as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env takes NAME=VALUE, not "${pair}"`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    // Every option is read before the cluster is: a usage error needs no engine.
    const agentIndex = intOption(v, 'agent', 1);
    const cpus = numberOption(v, 'cpus');
    const mem = numberOption(v, 'mem');
    const instances = intOption(v, 'instances', 1);
    const killAfter = numberOption(v, 'kill-after');
    const offerTimeout = numberOption(v, 'offer-timeout');
    const timeoutMs = durationOption(v, 'timeout') ?? NO_LIMIT_MS;
    const s = await session(ctx);
    try {
      const req: Omit<RunRequestInput, 'cluster' | 'name'> & { name?: string } = {
        command: v['image-entrypoint'] ? words.join('\n') : words.join(' '),
        entrypoint: v['image-entrypoint'] ? 'image' : 'shell',
        env,
        framework: { partitionAware: v['partition-aware'] === true, checkpoint: v['no-checkpoint'] !== true },
      };
      if (typeof v.image === 'string') req.image = v.image;
      if (typeof v.name === 'string') req.name = v.name;
      if (cpus !== undefined) req.cpus = cpus;
      if (mem !== undefined) req.mem = mem;
      if (instances !== undefined) req.instances = instances;
      if (killAfter !== undefined) req.killAfterSecs = killAfter;
      if (offerTimeout !== undefined) req.offerTimeoutSecs = offerTimeout;
      if (agentIndex !== undefined) req.agentId = await s.agentIdOf(agentIndex);

      const launched = v.explain ? await explainWhileWaiting(s, req, ctx.json) : await s.launch(req);
      const summary = await s.launchedSummary();
      const keys = launched.tasks.map((t) => `${launched.frameworkId}/${t.taskId}`);
      for (const t of launched.tasks) console.error(`launched ${t.taskId} on ${agentName(summary, s.live.current, t.agentId)}`);
      if (v.detach) {
        if (ctx.json) printJson(launched);
        else for (const t of launched.tasks) console.log(t.taskId);
        if (killAfter !== undefined) console.error('mesoscope: note: --kill-after is kept by this process, which ends now (--detach): the tasks will not be killed.');
        return EXIT.ok;
      }

      const stopFollowing = new AbortController();
      const follows = v.follow ? keys.map((key) => follow(s, key, keys.length > 1, stopFollowing.signal)) : [];
      let outcomes: TaskOutcome[];
      try {
        outcomes = await Promise.all(keys.map((key) => waitUntilOver(s, key, timeoutMs, ctx.interrupted)));
      } catch (err) {
        stopFollowing.abort();
        if (isTimeout(err)) {
          console.error(`mesoscope: ${(err as Error).message} The tasks keep running; kill them with: mesoscope kill ${cluster} --all`);
          return EXIT.timeout;
        }
        throw err;
      }
      await Promise.all(follows);

      const unfinished = outcomes.filter((o) => o.state !== 'TASK_FINISHED');
      const diagnoses = await Promise.all(unfinished.map(async (o) => ({ id: o.id, diagnosis: await s.diagnose(o.key) })));
      if (ctx.json) {
        printJson({
          frameworkId: launched.frameworkId,
          tasks: outcomes.map((o) => ({ id: o.id, key: o.key, agentId: o.agentId, state: o.state, status: o.status ?? null, diagnosis: diagnoses.find((d) => d.id === o.id)?.diagnosis ?? null })),
        });
      } else {
        for (const o of outcomes) console.error(`${o.id}: ${statusLine(o.status)}`);
        for (const d of diagnoses) console.error(diagnosisText(d.id, d.diagnosis));
      }
      return unfinished.length === 0 ? EXIT.ok : EXIT.notAsHoped;
    } finally {
      s.close();
    }
  },
};

/** How often `run --explain` looks at the funnel again (it prints only when what it says changed). */
const EXPLAIN_EVERY_MS = 1000;

/**
 * Launches, printing the funnel of the run (stderr; with --json, each as a JSON line) whenever it says
 * something new while the run waits, and once more when no offer held it in time.
 */
async function explainWhileWaiting(s: ClusterSession, req: TaskSpec, json: boolean): Promise<Launched> {
  const started = Date.now();
  let last = '';
  // The dashboard's view with the outstanding offers polled (the session's own does not poll them):
  // an offer held by another framework is one of the reasons the funnel names.
  let view: ClusterView | null = null;
  const unsubscribe = s.api.subscribe('dashboard.deltas', { cluster: s.name, offers: true }, (batch) => {
    view = applyDeltas(view, batch.deltas);
  });
  const show = () => {
    const runs = s.live.runsView;
    const pending = runs.pending.find((p) => p.since >= started - 1000 && (req.name === undefined || p.name === req.name));
    if (!pending) return;
    const funnel = runFunnel(view ?? s.live.current, runs, pending, Date.now());
    const body = funnelText(funnel).slice(1).join('\n') + funnel.reasons.join();
    if (body === last) return;
    last = body;
    if (json) console.error(JSON.stringify({ funnel }));
    else console.error(funnelText(funnel).join('\n'));
  };
  const timer = setInterval(show, EXPLAIN_EVERY_MS);
  try {
    return await s.launch(req);
  } catch (err) {
    last = '';
    show();
    throw err;
  } finally {
    clearInterval(timer);
    unsubscribe();
  }
}

/** Waits for a task to end; Ctrl-C stops waiting (the task keeps running). */
async function waitUntilOver(s: ClusterSession, key: string, timeoutMs: number, interrupted: AbortSignal): Promise<TaskOutcome> {
  const task = await s.live.until(
    `${key.split('/').at(-1)} to end`,
    (view) => {
      if (interrupted.aborted) throw new ApiError('failed', 'Interrupted: the tasks keep running.');
      const t = view?.tasks[key];
      return t && endStatus(t) && t;
    },
    timeoutMs,
  );
  return outcomeOf(task);
}

/** Streams a task's stdout once it runs (its sandbox exists then), to its end. */
async function follow(s: ClusterSession, key: string, prefixed: boolean, signal: AbortSignal): Promise<void> {
  const task = await s.live
    .until('the task to start', (view) => {
      const t = view?.tasks[key];
      return !!t && (t.state === 'TASK_RUNNING' || TERMINAL_TASK_STATES.has(t.state)) && t;
    }, NO_LIMIT_MS)
    .catch(() => undefined);
  if (!task || signal.aborted) return;
  const prefix = prefixed ? `${task.id}| ` : '';
  await streamLog(
    s.api,
    { source: { kind: 'task', cluster: s.name, taskId: task.id, frameworkId: task.frameworkId, file: 'stdout' }, follow: true, fromOffset: 0 },
    (text, done) => process.stdout.write(prefix ? text.replace(/^(?=.)/gm, prefix) : text, done),
    signal,
  ).catch((err: unknown) => console.error(`mesoscope: stdout of ${task.id}: ${(err as Error).message}`));
}

export const kill: Command = {
  name: 'kill',
  args: '<cluster> <task>|--all',
  summary: "Kill a task of the built-in framework, or all of them.",
  example: 'mesoscope kill demo task-1-1\nmesoscope kill demo --all',
  clusterArg: true,
  options: { all: { type: 'boolean', default: false } },
  async run(ctx) {
    const id = ctx.positionals[1];
    if (!id === !ctx.values.all) throw new UsageError('give a task id or --all (not both)');
    const s = await session(ctx);
    try {
      const killed = id ? (await s.kill(id), [id]) : await s.killAll();
      if (ctx.json) printJson({ killed });
      else console.log(killed.length ? `Asked to kill: ${killed.map((k) => k.split('/').at(-1)).join(', ')}` : 'No task of the built-in framework is running.');
      return EXIT.ok;
    } finally {
      s.close();
    }
  },
};

export const doctor: Command = {
  name: 'doctor',
  args: '<cluster> [task]',
  summary: "The task doctor: why a task failed, was lost, killed or is stuck (cause, fix, decisive evidence).",
  help: 'With a task: its diagnosis (--json: with the whole evidence timeline). Without: every task the doctor has something to say about, in a few words.',
  example: 'mesoscope doctor demo\nmesoscope doctor demo task-1-1 --json',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const s = await session(ctx);
    try {
      const id = ctx.positionals[1];
      if (id) {
        const diagnosis = await s.diagnose(id);
        if (ctx.json) printJson(diagnosis);
        else console.log(diagnosisText(id, diagnosis));
        return EXIT.ok;
      }
      const verdicts = await s.verdicts();
      if (ctx.json) printJson(verdicts);
      else {
        const entries = Object.entries(verdicts);
        console.log(entries.length ? entries.map(([key, v]) => `${key.split('/').at(-1)}: ${v.title}`).join('\n') : 'The doctor has nothing to say: no task failed, was lost or is stuck.');
      }
      return EXIT.ok;
    } finally {
      s.close();
    }
  },
};
