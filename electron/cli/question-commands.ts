import { copyFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MesoscopeClient } from '@shared/api/client';
import type { EventName, EventParamsInput, EventPayload } from '@shared/contract';
import type { BundleProgress } from '@shared/bundle/schema';
import { ApiError } from '@shared/errors';
import type { OutputSearchView } from '@shared/search/schema';
import { scopeParams } from '@shared/search/scope';
import { type Command, EXIT, need, numberOption, printJson, UsageError } from './command';

/** `logs --grep` (search every task's output) and `export` (a support bundle). */

/**
 * Subscribes until `last` says the payload is the final one; each payload goes to `each`. Ctrl-C
 * (`signal`) unsubscribes, which cancels the work on the host.
 */
function untilLast<E extends EventName>(
  api: MesoscopeClient,
  name: E,
  params: EventParamsInput<E>,
  last: (payload: EventPayload<E>) => boolean,
  each: (payload: EventPayload<E>) => void,
  signal: AbortSignal,
): Promise<EventPayload<E> | undefined> {
  return new Promise((done, fail) => {
    let stop = () => {};
    const cancel = () => (stop(), done(undefined));
    signal.addEventListener('abort', cancel, { once: true });
    stop = api.subscribe(
      name,
      params,
      (payload) => {
        each(payload);
        if (!last(payload)) return;
        signal.removeEventListener('abort', cancel);
        stop();
        done(payload);
      },
      (err) => {
        signal.removeEventListener('abort', cancel);
        fail(err);
      },
    );
  });
}

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** The matches grouped by task, newest first, a line of context each side. */
export function searchText(view: OutputSearchView): string {
  const out: string[] = [];
  for (const g of view.groups) {
    out.push(`${g.taskId} ${g.file} (agent ${g.agentId}, framework ${g.frameworkId}, ${g.running ? 'running' : 'ended'}, last written ${time(g.mtime)})`);
    for (const m of g.matches) {
      if (m.before !== undefined) out.push(`    ${m.before}`);
      out.push(`  > ${m.line}    [byte ${m.offset}]`);
      if (m.after !== undefined) out.push(`    ${m.after}`);
      out.push('');
    }
  }
  return out.join('\n');
}

export interface GrepValues {
  grep: string;
  regex?: boolean;
  'case-sensitive'?: boolean;
  'max-mb'?: string;
  framework?: string;
  agent?: string;
  service?: string;
  stderr?: boolean;
}

/** `mesoscope logs <cluster> --grep PATTERN`: every task's stdout and stderr searched, the matches by task. */
export async function grepLogs(api: MesoscopeClient, cluster: string, values: GrepValues, json: boolean, signal: AbortSignal): Promise<number> {
  const maxMb = values['max-mb'] === undefined ? undefined : Number(values['max-mb']);
  if (maxMb !== undefined && !(maxMb > 0)) throw new UsageError(`--max-mb takes a positive number of MB, not "${values['max-mb']}"`);
  const scopes = (['framework', 'agent', 'service'] as const).filter((k) => values[k] !== undefined);
  if (scopes.length > 1) throw new UsageError(`--${scopes.join(' and --')}: search one scope at a time`);
  let taskIds: string[] | undefined;
  if (values.service !== undefined) {
    const { services } = await api.call('services.list', { cluster });
    const scoped = scopeParams({ kind: 'service', id: values.service }, services);
    if (!scoped) throw new ApiError('not-found', `Cluster "${cluster}" has no service "${values.service}"${services.length ? ` (it has ${services.map((s) => s.spec.id).join(', ')})` : ''}.`);
    taskIds = scoped.taskIds;
  }
  const tty = process.stderr.isTTY && !json;
  const view = await untilLast(
    api,
    'logs.searchAll',
    {
      cluster,
      pattern: values.grep,
      regex: values.regex === true,
      caseSensitive: values['case-sensitive'] === true,
      ...(maxMb !== undefined ? { maxMbPerFile: maxMb } : {}),
      ...(values.framework ? { frameworkId: values.framework } : {}),
      ...(values.agent ? { agentId: values.agent } : {}),
      ...(taskIds ? { taskIds } : {}),
    },
    (v) => v.done,
    (v) => {
      if (tty) process.stderr.write(`\rsearching: ${v.filesDone} of ${v.filesTotal} files, ${(v.bytesRead / 1e6).toFixed(1)} MB`);
    },
    signal,
  );
  if (tty) process.stderr.write('\n');
  if (!view) {
    console.error('mesoscope: search cancelled.');
    return EXIT.failed;
  }
  if (json) printJson(view);
  else {
    const n = view.groups.reduce((sum, g) => sum + g.matches.length, 0);
    if (n > 0) process.stdout.write(`${searchText(view)}\n`);
    console.error(
      `${n} match${n === 1 ? '' : 'es'} in ${view.groups.length} file${view.groups.length === 1 ? '' : 's'} of ${view.filesTotal} searched (${(view.bytesRead / 1e6).toFixed(1)} MB)${view.dropped ? `; ${view.dropped} more not kept` : ''}.`,
    );
    for (const p of view.problems) console.error(`mesoscope: not searched: ${p}`);
  }
  return EXIT.ok;
}

export const exportBundle: Command = {
  name: 'export',
  args: '<cluster> [-o FILE]',
  summary: 'A support bundle: everything about the cluster in one .tar.gz.',
  help: `The spec and layout, versions, every node's container log and Mesos log, /master/state, each agent's
/state, /flags and metrics, each task's stdout / stderr (the last --task-output-mb MB, default 1),
docker inspect of every node and task container (secret-looking environment values redacted), the
doctor's verdicts and a recording of the moment (the app opens the bundle read-only from it), and the
recording under way if there is one. A part that cannot be had is listed in MISSING.txt.
Without -o the bundle stays in the app's bundles folder. Format: docs/support-bundle-format.md.`,
  example: 'mesoscope export demo -o demo-bundle.tar.gz',
  clusterArg: true,
  options: { output: { type: 'string', short: 'o' }, 'task-output-mb': { type: 'string' } },
  optionHelp: { output: 'FILE', 'task-output-mb': 'MB' },
  async run(ctx) {
    const cluster = need(ctx.positionals[0], '<cluster>');
    const output = typeof ctx.values.output === 'string' ? resolve(ctx.values.output) : undefined;
    if (output !== undefined && !output.endsWith('.tar.gz')) throw new UsageError(`-o: a support bundle's name ends with .tar.gz, not "${ctx.values.output}"`);
    const mb = numberOption(ctx.values, 'task-output-mb');
    const api = await ctx.api();
    const tty = process.stderr.isTTY && !ctx.json;
    const done = await untilLast(
      api,
      'bundles.export',
      { cluster, ...(mb !== undefined ? { taskOutputMb: mb } : {}) },
      (p) => p.kind === 'done',
      (p) => {
        if (tty && p.kind === 'progress') process.stderr.write(`\r\x1b[K${p.written} parts written${p.missing ? `, ${p.missing} missing` : ''}: ${p.part}`);
      },
      ctx.interrupted,
    );
    if (tty) process.stderr.write('\n');
    if (!done || done.kind !== 'done') throw new ApiError('failed', 'The support bundle was cancelled.');
    const result = done as Extract<BundleProgress, { kind: 'done' }>;
    const path = output ?? result.path;
    if (output) {
      await copyFile(result.path, output);
      await rm(result.path, { force: true });
    }
    if (ctx.json) printJson({ ...result, path });
    else {
      console.log(path);
      console.error(`Wrote ${result.parts} parts, ${result.bytes} bytes${result.missing.length ? `; missing (see MISSING.txt): ${result.missing.map((m) => m.path).join(', ')}` : ''}.`);
    }
    return EXIT.ok;
  },
};
