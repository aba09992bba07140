import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { connectionInfo } from '@shared/cluster/connection';
import type { ClusterSummary } from '@shared/cluster/status';
import { ApiError } from '@shared/errors';
import { parse } from 'yaml';
import { createInProcessTransport } from '../api/in-process-transport';
import { createCore } from '../core';
import { table, uptime } from './format';
import { logs, LOGS_OPTIONS, type LogsValues } from './logs';
import { reviewBeforeUp } from './review';

/**
 * `mesoscope`: the engine from a terminal or a script, through the same API the app uses.
 * Exit codes: 0 done, 1 failed (a node did not come up), 2 bad usage or spec, 3 refused before
 * anything was created (port in use, name taken, image missing, Docker away), 4 no such cluster
 * (or node, task, file).
 */
const USAGE = `Usage:
  mesoscope up [-f spec.yaml|json] [--name NAME] [--masters 1|3] [--agents N] [--json] [--yes]
  mesoscope down <name>
  mesoscope ls [--json]
  mesoscope status <name> [--json]
  mesoscope logs <name> <node> [-f] [-n N] [-t] [--mesos-log]
  mesoscope logs <name> --task <id> [--stderr] [--framework ID] [-f]

Nodes are named zookeeper, master-N, agent-N (or by container name). logs prints a node's container
log (the last N lines with -n; Docker's timestamps with -t; its Mesos log file with --mesos-log, when
the node runs with --log_dir) or a task's stdout (stderr with --stderr) from its sandbox; -f follows
until Ctrl-C, the container stops or the task ends.

up prints what a spec asks for beyond the defaults (its own images, privileged agents, flags) and
launches it only with --yes. Flags that decide where nodes listen or what they load or mount are
refused unless the spec lists them in allowUnsafeFlags.

Images default to Settings' defaults, then to real Mesos images. Environment: DOCKER_HOST,
MESOSCOPE_CONFIG_DIR (settings), MESOSCOPE_WORK_ROOT (agents' work dirs).`;

const EXIT: Record<string, number> = { 'invalid-input': 2, refused: 3, 'not-found': 4, failed: 1, unavailable: 3 };

class UsageError extends Error {}

const COMMON_OPTIONS = {
  file: { type: 'string', short: 'f' },
  name: { type: 'string' },
  masters: { type: 'string' },
  agents: { type: 'string' },
  json: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      // `logs` has options of its own (its -f is --follow).
      options: command === 'logs' ? LOGS_OPTIONS : COMMON_OPTIONS,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals } = parsed;
  const values = parsed.values as { file?: string; name?: string; masters?: string; agents?: string; json: boolean; yes: boolean };

  const core = await createCore();
  const api = createClient(createInProcessTransport(core.dispatcher));
  try {
    switch (command) {
      case 'up': {
        const spec = await specFrom(values);
        const review = await reviewBeforeUp(api, spec, values.yes);
        return review.go ? await up(api, spec, values.json) : review.code;
      }
      case 'down':
        return await down(api, need(positionals[0], 'down <name>'));
      case 'ls':
        return await ls(api, values.json);
      case 'status':
        return await status(api, need(positionals[0], 'status <name>'), values.json);
      case 'logs':
        return await logs(api, positionals, parsed.values as unknown as LogsValues, (message) => new UsageError(message));
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    core.dispose();
  }
}

function need(value: string | undefined, usage: string): string {
  if (!value) throw new UsageError(`usage: mesoscope ${usage}`);
  return value;
}

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
  const stop = api.subscribe('clusters.launchProgress', {}, (p) => {
    if (p.step !== 'pulling' || !p.pull) console.error(`${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s  ${(p.node ?? p.cluster).padEnd(32)} ${p.step.padEnd(9)} ${p.detail}`);
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
  if (json) {
    console.log(JSON.stringify(clusters, null, 2));
    return 0;
  }
  if (clusters.length === 0) {
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`mesoscope: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const code = err instanceof ApiError ? (EXIT[err.code] ?? 1) : 1;
    console.error(`mesoscope: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(code);
  },
);
