import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentSpecInput } from '@shared/cluster/spec';
import { ApiError } from '@shared/errors';
import { ClusterSession } from '../scripting/cluster-session';
import { type Command, type CommandContext, durationOption, EXIT, need, parseSeconds, printJson, UsageError } from './command';
import { agentName } from './describe';
import { ago, table } from './format';

/** `env`, `state`, `stop`, `start`, `agent add|remove`, `record`, `replay`. */

async function session(ctx: CommandContext): Promise<ClusterSession> {
  return new ClusterSession(await ctx.api(), need(ctx.positionals[0], '<cluster>'));
}

export const env: Command = {
  name: 'env',
  args: '<cluster>',
  summary: 'export lines for a framework on this machine: MESOS_MASTER, LIBPROCESS_IP, MESOSCOPE_MASTER_URL.',
  help: 'MESOS_MASTER is the zk:// URL (a framework follows failovers); MESOSCOPE_MASTER_URL is the first master\'s HTTP URL (any master redirects to the leader: curl -L).',
  example: 'eval "$(mesoscope env demo)" && curl -sL "$MESOSCOPE_MASTER_URL/master/state"',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const vars = await (await session(ctx)).env();
    if (ctx.json) printJson(vars);
    else console.log(Object.entries(vars).map(([k, v]) => `export ${k}=${v}`).join('\n'));
    return EXIT.ok;
  },
};

export const state: Command = {
  name: 'state',
  args: '<cluster>',
  summary: "The leading master's /master/state, as JSON.",
  example: 'mesoscope state demo | node -e \'…\'',
  clusterArg: true,
  options: {},
  async run(ctx) {
    printJson(await (await ctx.api()).call('mesos.state', { cluster: need(ctx.positionals[0], '<cluster>') }));
    return EXIT.ok;
  },
};

export const stop: Command = {
  name: 'stop',
  args: '<cluster>',
  summary: 'Stop every node of the cluster (agents first); start brings it back.',
  example: 'mesoscope stop demo',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const summary = await (await ctx.api()).call('clusters.stop', { name: need(ctx.positionals[0], '<cluster>') });
    if (ctx.json) printJson(summary);
    else console.log(`Stopped ${summary.name}: ${summary.nodes.map((n) => `${n.name} ${n.state}`).join(', ')}`);
    return EXIT.ok;
  },
};

export const start: Command = {
  name: 'start',
  args: '<cluster>',
  summary: 'Start a stopped cluster (or create what a half-made one lacks); waits until every node is ready.',
  example: 'mesoscope start demo',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const summary = await (await ctx.api()).call('clusters.resume', { name: need(ctx.positionals[0], '<cluster>') });
    if (ctx.json) printJson(summary);
    else console.log(`Started ${summary.name}: ${summary.nodes.map((n) => `${n.name} ${n.state}`).join(', ')}`);
    return EXIT.ok;
  },
};

export const agentAdd: Command = {
  name: 'agent add',
  args: '<cluster>',
  summary: 'Add an agent; waits until it is registered with the leader.',
  example: 'mesoscope agent add demo --cpus 2 --mem 2048\nmesoscope agent add demo --attribute rack=r1',
  clusterArg: true,
  options: { cpus: { type: 'string' }, mem: { type: 'string' }, disk: { type: 'string' }, attribute: { type: 'string', multiple: true } },
  optionHelp: { cpus: 'N', mem: 'MB', disk: 'MB', attribute: 'K=V (repeatable)' },
  async run(ctx) {
    const spec: Partial<AgentSpecInput> = {};
    const resources: Record<string, number> = {};
    for (const key of ['cpus', 'mem', 'disk'] as const) {
      const raw = ctx.values[key];
      if (raw === undefined) continue;
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key} takes a positive number, not "${String(raw)}"`);
      resources[key] = n;
    }
    if (Object.keys(resources).length) spec.resources = resources as AgentSpecInput['resources'];
    const attributes: Record<string, string> = {};
    for (const pair of (ctx.values.attribute as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--attribute takes NAME=VALUE, not "${pair}"`);
      attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    if (Object.keys(attributes).length) spec.attributes = attributes;
    const s = await session(ctx);
    try {
      const agent = await s.addAgent(spec);
      if (ctx.json) printJson(agent);
      else console.log(`Added agent-${agent.index} (${agent.node}), registered as ${agent.agentId ?? '?'}`);
      return EXIT.ok;
    } finally {
      s.close();
    }
  },
};

export const agentRemove: Command = {
  name: 'agent remove',
  args: '<cluster> [N]',
  summary: 'Remove agent N (default: the last one); a cluster keeps at least one.',
  example: 'mesoscope agent remove demo 3',
  clusterArg: true,
  options: {},
  async run(ctx) {
    const api = await ctx.api();
    const name = need(ctx.positionals[0], '<cluster>');
    let index: number;
    if (ctx.positionals[1] !== undefined) {
      index = Number(ctx.positionals[1].replace(/^agent-/, ''));
      if (!Number.isInteger(index) || index < 1) throw new UsageError(`N is an agent's number (2 for agent-2), not "${ctx.positionals[1]}"`);
    } else {
      const cluster = (await api.call('clusters.list', {})).find((c) => c.name === name);
      if (!cluster) throw new ApiError('not-found', `No cluster named "${name}".`);
      index = Math.max(...cluster.layout.agents.map((a) => a.index));
    }
    const summary = await api.call('clusters.removeAgent', { cluster: name, index });
    if (ctx.json) printJson(summary);
    else console.log(`Removed agent-${index}; ${summary.layout.agents.length} agent${summary.layout.agents.length === 1 ? '' : 's'} left.`);
    return EXIT.ok;
  },
};

export const record: Command = {
  name: 'record',
  args: '<cluster>',
  summary: 'Record the cluster (flight recorder) until Ctrl-C, or for --for DURATION.',
  help: "Without -o, the file goes to the app's recordings folder. Replay it with mesoscope replay or the app's Recordings page.",
  example: 'mesoscope record demo -o demo.mesorec --for 60s',
  clusterArg: true,
  options: { output: { type: 'string', short: 'o' }, for: { type: 'string' } },
  optionHelp: { output: 'FILE', for: 'DURATION (e.g. 60s)' },
  async run(ctx) {
    const forMs = durationOption(ctx.values, 'for');
    const s = await session(ctx);
    const active = await s.record(typeof ctx.values.output === 'string' ? ctx.values.output : undefined);
    if (!ctx.json) console.error(`Recording ${s.name} into ${active.path}${forMs !== undefined ? ` for ${forMs / 1000} s` : ''}; Ctrl-C to stop.`);
    await new Promise<void>((done) => {
      const timer = forMs !== undefined ? setTimeout(done, forMs) : undefined;
      ctx.interrupted.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
    });
    const saved = await s.stopRecording();
    if (ctx.json) printJson(saved);
    else console.log(`Saved ${saved.path}: ${saved.entries} entries, ${saved.bytes} bytes, ${((saved.endedAt - saved.startedAt) / 1000).toFixed(1)} s.`);
    return EXIT.ok;
  },
};

export const replay: Command = {
  name: 'replay',
  args: '<file>',
  summary: 'A recording (or a support bundle) at one moment: its tasks and what the doctor said then.',
  help: 'A support bundle (.tar.gz, mesoscope export) opens through the recording of the moment it was made. --at takes seconds from the recording\'s start (30, 30s, 2m), an ISO time, or "end" (the default).',
  example: 'mesoscope replay demo.mesorec --at 30s\nmesoscope replay demo.mesorec --json',
  options: { at: { type: 'string' } },
  optionHelp: { at: 'T' },
  async run(ctx) {
    const path = resolve(need(ctx.positionals[0], '<file>'));
    await access(path).catch(() => {
      throw new ApiError('not-found', `No file ${path}.`);
    });
    const api = await ctx.api();
    // A support bundle opens through the recording it holds (the moment it was made).
    const opened = path.endsWith('.tar.gz') ? (await api.call('bundles.open', { path })).recording : await api.call('recordings.open', { path });
    try {
      const at = momentOf(typeof ctx.values.at === 'string' ? ctx.values.at : 'end', opened.start, opened.end);
      const moment = await api.call('recordings.stateAt', { id: opened.id, t: at });
      const marks = opened.marks.filter((m) => m.t <= at);
      if (ctx.json) {
        const { moments: _moments, ...recording } = opened;
        printJson({ recording, at, marks, state: moment });
        return EXIT.ok;
      }
      console.log(`${opened.header.cluster.name}, recorded ${new Date(opened.start).toISOString()} for ${((opened.end - opened.start) / 1000).toFixed(1)} s${opened.complete ? '' : ' (cut short)'}`);
      console.log(`At +${((at - opened.start) / 1000).toFixed(1)} s (${new Date(at).toISOString()}):`);
      for (const m of marks) console.log(`  mark +${((m.t - opened.start) / 1000).toFixed(1)} s  ${m.label}${m.detail ? ` — ${m.detail}` : ''}`);
      const view = moment.view;
      const tasks = Object.values(view?.tasks ?? {}).sort((a, b) => a.seenAt - b.seenAt);
      if (tasks.length === 0) console.log('No tasks at that moment.');
      else {
        const agent = (id: string) => agentName(opened.header.cluster, view, id);
        console.log(
          table(
            ['ID', 'STATE', 'REASON', 'AGENT', 'AGE', 'DOCTOR'],
            tasks.map((t) => [t.id, t.state.replace(/^TASK_/, ''), t.statuses.at(-1)?.reason?.replace(/^REASON_/, '') ?? '-', agent(t.agentId), ago(t.seenAt, at), moment.verdicts[t.key]?.title ?? '']),
          ),
        );
      }
      return EXIT.ok;
    } finally {
      await api.call('recordings.close', { id: opened.id }).catch(() => undefined);
    }
  },
};

/** `--at`: seconds from the start, an ISO time, or `end`; clamped to the recording. */
function momentOf(text: string, start: number, end: number): number {
  if (text === 'end') return end;
  const offset = parseSeconds(text);
  const at = offset !== undefined ? start + offset : Date.parse(text);
  if (!Number.isFinite(at)) throw new UsageError(`--at takes seconds from the start (30, 30s, 2m), an ISO time or "end", not "${text}"`);
  return Math.min(end, Math.max(start, at));
}

