import { readFile } from 'node:fs/promises';
import type { MesoscopeClient } from '@shared/api/client';
import { connectionInfo } from '@shared/cluster/connection';
import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import { parse } from 'yaml';
import { attach, describeAttached, detach } from './attach-commands';
import { agentAdd, agentRemove, env, record, replay, start, state, stop } from './cluster-commands';
import { type Command, EXIT, need, UsageError } from './command';
import { completion } from './completion';
import { execCommand } from './exec-command';
import { fault, undo } from './fault-commands';
import { table, uptime } from './format';
import { logs, LOGS_OPTIONS, type LogsValues } from './logs';
import { exportBundle, type GrepValues, grepLogs } from './question-commands';
import { reviewBeforeUp } from './review';
import { SERVICE_COMMANDS } from './service-commands';
import { doctor, kill, ps, run } from './task-commands';
import { tour } from './tour-command';

/**
 * The `mesoscope` commands, as a table (./command.ts): help, option parsing and shell completion are made
 * from it; exit codes are EXIT there. ./entry.ts runs it.
 */

const COMMON_OPTIONS = {
  file: { type: 'string', short: 'f' },
  name: { type: 'string' },
  masters: { type: 'string' },
  agents: { type: 'string' },
  json: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
} as const;

const upCommand: Command = {
  name: 'up',
  args: '[-f spec.yaml|json] [--name NAME] [--masters 1|3] [--agents N] [--yes]',
  summary: 'Launch a cluster; waits until every node is ready, then prints its nodes and connection.',
  help: `up prints what a spec asks for beyond the defaults (its own images, privileged agents, flags) and
launches it only with --yes. Flags that decide where nodes listen or what they load or mount are
refused unless the spec lists them in allowUnsafeFlags.
Images default to Settings' defaults, then to real Mesos images. Environment: DOCKER_HOST,
MESOSCOPE_CONFIG_DIR (settings), MESOSCOPE_WORK_ROOT (agents' work dirs).`,
  example: 'mesoscope up --name demo --agents 3\nmesoscope up -f spec.yaml --yes --json',
  options: COMMON_OPTIONS,
  optionHelp: { file: 'FILE', name: 'NAME', masters: '1|3', agents: 'N' },
  run: async (ctx) => {
    const api = await ctx.api();
    const spec = await specFrom(ctx.values as { file?: string; name?: string; masters?: string; agents?: string });
    const review = await reviewBeforeUp(api, spec, ctx.values.yes === true);
    return review.go ? up(api, spec, ctx.json) : review.code;
  },
};

const downCommand: Command = {
  name: 'down',
  args: '<cluster>',
  summary: 'Destroy a cluster: containers, networks, volumes, task containers, work dirs.',
  example: 'mesoscope down demo',
  clusterArg: true,
  options: {},
  run: async (ctx) => down(await ctx.api(), need(ctx.positionals[0], '<cluster>')),
};

const lsCommand: Command = {
  name: 'ls',
  args: '',
  summary: 'Every cluster on the Docker engine (-q: names only).',
  example: 'mesoscope ls\nmesoscope ls -q',
  options: { quiet: { type: 'boolean', short: 'q', default: false } },
  run: async (ctx) => {
    if (!ctx.values.quiet) return ls(await ctx.api(), ctx.json);
    const api = await ctx.api();
    for (const c of await api.call('clusters.list', {})) console.log(c.name);
    for (const c of await api.call('attach.list', {})) console.log(c.name);
    return EXIT.ok;
  },
};

const statusCommand: Command = {
  name: 'status',
  args: '<cluster>',
  summary: 'Nodes, states, addresses, uptime; MESOS_MASTER and LIBPROCESS_IP.',
  example: 'mesoscope status demo --json',
  clusterArg: true,
  options: {},
  run: async (ctx) => status(await ctx.api(), need(ctx.positionals[0], '<cluster>'), ctx.json),
};

const logsCommand: Command = {
  name: 'logs',
  args: '<cluster> <node> | <cluster> --task <id> | <cluster> --grep PATTERN',
  summary: "A node's container log, a task's stdout (stderr) from its sandbox, or every task's output searched.",
  help: `Nodes are named zookeeper, master-N, agent-N (or by container name). -n N: the last N lines; -t: Docker's
timestamps; --mesos-log: the node's Mesos log file (when it runs with --log_dir). --task: a task's stdout
(--stderr) from its sandbox. -f follows until Ctrl-C, the container stops or the task ends.
--grep searches the stdout and stderr of every task the agents keep (the last --max-mb MB of each, default
10; --regex, --case-sensitive): the matches grouped by task, newest first, each with its byte offset. Only
one framework's tasks: --framework ID; one agent's: --agent ID (or its node name, agent-2); one service's:
--service ID (its instances' tasks, the ones before a relaunch too).`,
  example: 'mesoscope logs demo agent-1 -f\nmesoscope logs demo --task task-1-1 --stderr\nmesoscope logs demo --grep "connection refused" --json\nmesoscope logs demo --grep ERROR --agent agent-2',
  clusterArg: true,
  options: { ...LOGS_OPTIONS, grep: { type: 'string' }, regex: { type: 'boolean', default: false }, 'case-sensitive': { type: 'boolean', default: false }, 'max-mb': { type: 'string' }, agent: { type: 'string' }, service: { type: 'string' } },
  optionHelp: { task: 'ID', framework: 'ID', tail: 'N', grep: 'PATTERN', 'max-mb': 'MB', agent: 'ID|agent-N', service: 'ID' },
  run: async (ctx) =>
    typeof ctx.values.grep === 'string'
      ? grepLogs(await ctx.api(), need(ctx.positionals[0], '<cluster>'), ctx.values as unknown as GrepValues, ctx.json, ctx.interrupted)
      : logs(await ctx.api(), ctx.positionals, ctx.values as unknown as LogsValues, (message) => new UsageError(message)),
};

export const COMMANDS: Command[] = [
  upCommand,
  downCommand,
  lsCommand,
  statusCommand,
  stop,
  start,
  env,
  state,
  agentAdd,
  agentRemove,
  ps,
  run,
  kill,
  doctor,
  logsCommand,
  execCommand,
  fault,
  undo,
  record,
  replay,
  exportBundle,
  ...SERVICE_COMMANDS,
  tour,
  attach,
  detach,
];
COMMANDS.push(completion(() => COMMANDS));

async function specFrom(values: { file?: string; name?: string; masters?: string; agents?: string }): Promise<Record<string, unknown>> {
  let spec: Record<string, unknown> = {};
  if (values.file) {
    try {
      spec = parse(await readFile(values.file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`${values.file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (spec === null || typeof spec !== 'object') throw new UsageError(`${values.file}: a spec is an object with at least a name`);
  if (values.name) spec.name = values.name;
  spec.name ??= 'local';
  if (values.masters) spec.masters = { ...(spec.masters as object), count: Number(values.masters) };
  if (values.agents) spec.agents = { ...(spec.agents as object), count: Number(values.agents) };
  return spec;
}

async function up(api: MesoscopeClient, spec: Record<string, unknown>, json: boolean): Promise<number> {
  // A pull reports its bytes ten times a second: a line when it starts and one when it is done.
  const pulling = new Set<string>();
  const stop = api.subscribe('clusters.launchProgress', {}, (p) => {
    const node = p.node ?? p.cluster;
    if (p.step === 'pulling' && p.pull) {
      if (pulling.has(node)) return;
      pulling.add(node);
    }
    console.error(`${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s  ${node.padEnd(32)} ${p.step.padEnd(9)} ${p.detail}`);
  });
  try {
    const cluster = await api.call('clusters.create', { spec });
    printStatus(cluster, json);
    return 0;
  } finally {
    stop();
  }
}

async function down(api: MesoscopeClient, name: string): Promise<number> {
  const report = await api.call('clusters.destroy', { name });
  console.log(
    `Destroyed ${name}: ${report.containers} containers, ${report.taskContainers} task containers, ${report.volumes} volumes, ${report.networks} networks, ${report.workDirs.length} work dirs.`,
  );
  if (report.leftovers.length) {
    console.error(`Could not remove: ${report.leftovers.join(', ')}`);
    return 1;
  }
  return 0;
}

async function ls(api: MesoscopeClient, json: boolean): Promise<number> {
  const clusters = await api.call('clusters.list', {});
  const attached = await api.call('attach.list', {});
  if (json) {
    console.log(JSON.stringify(clusters, null, 2));
    return 0;
  }
  if (attached.length > 0) console.log(`${table(['ATTACHED', 'STATE', 'MASTERS', 'AUTH', 'TLS'], attached.map(describeAttached))}\n`);
  if (clusters.length === 0) {
    if (attached.length > 0) return 0;
    console.log('No clusters. Start one with: mesoscope up');
    return 0;
  }
  const rows = clusters.map((c) => {
    const running = c.nodes.filter((n) => n.state === 'running').length;
    const mesos = c.mesos ? `${c.mesos.version}${c.mesos.emulator ? ' (emulator)' : ''}` : '-';
    return [c.name, c.completeness === 'partial' ? 'partial' : `${running}/${c.nodes.length} running`, mesos, connectionInfo(c).master, connectionInfo(c).zk];
  });
  console.log(table(['NAME', 'STATE', 'MESOS', 'MASTER', 'ZK'], rows));
  return 0;
}

async function status(api: MesoscopeClient, name: string, json: boolean): Promise<number> {
  const cluster = (await api.call('clusters.list', {})).find((c) => c.name === name);
  if (!cluster) throw new ApiError('not-found', `No cluster named "${name}".`);
  printStatus(cluster, json);
  return 0;
}

function printStatus(cluster: ClusterSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(cluster, null, 2));
    return;
  }
  const rows = cluster.nodes.map((n) => [
    n.name,
    n.role,
    n.state === 'exited' ? `exited(${n.exitCode ?? '?'})` : n.state,
    n.address,
    uptime(n.startedAt, n.state),
    n.image,
  ]);
  console.log(table(['NODE', 'ROLE', 'STATE', 'ADDRESS', 'UP', 'IMAGE'], rows));
  const info = connectionInfo(cluster);
  console.log(`\n${info.env}\n# ${cluster.mesos ? `Mesos ${cluster.mesos.version}${cluster.mesos.emulator ? ' (Mesoscope emulator)' : ''}` : 'Mesos version unknown'}`);
}

