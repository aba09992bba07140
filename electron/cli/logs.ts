import type { MesoscopeClient } from '@shared/api/client';
import type { EventParamsInput } from '@shared/contract';
import type { LogSourceInput } from '@shared/logs/schema';
import { streamLog } from '../scripting/log-stream';

/** Options of `mesoscope logs` (its own: `-f` is --follow here, --file for `up`). */
export const LOGS_OPTIONS = {
  follow: { type: 'boolean', short: 'f', default: false },
  task: { type: 'string' },
  framework: { type: 'string' },
  stderr: { type: 'boolean', default: false },
  'mesos-log': { type: 'boolean', default: false },
  tail: { type: 'string', short: 'n' },
  timestamps: { type: 'boolean', short: 't', default: false },
} as const;

export interface LogsValues {
  follow: boolean;
  task?: string;
  framework?: string;
  stderr: boolean;
  'mesos-log': boolean;
  tail?: string;
  timestamps: boolean;
}

const DOCKER_TIME = /^\d{4}-\d\d-\d\dT\S+ /gm;

/**
 * `mesoscope logs <cluster> <node> [-f]` and `mesoscope logs <cluster> --task <id> [--stderr] [-f]`:
 * the same stream the viewer shows, written to stdout as it comes (acknowledged only once stdout took
 * it, so a slow pipe slows the reading instead of filling memory). Files are printed from their start;
 * a node's container log whole, or its last `-n N` lines. Ends when the task ends, the container
 * stops, or (without -f) at the end; Ctrl-C stops following.
 */
export async function logs(api: MesoscopeClient, positionals: string[], values: LogsValues, usage: (message: string) => Error): Promise<number> {
  const [cluster, node] = positionals;
  if (!cluster || (!node && !values.task) || (node && values.task)) {
    throw usage('usage: mesoscope logs <cluster> <node> [-f] [-n N] [--mesos-log]  |  mesoscope logs <cluster> --task <id> [--stderr] [-f]');
  }
  let source: LogSourceInput;
  if (values.task) {
    source = { kind: 'task', cluster, taskId: values.task, file: values.stderr ? 'stderr' : 'stdout', ...(values.framework ? { frameworkId: values.framework } : {}) };
  } else {
    source = { kind: values['mesos-log'] ? 'node-file' : 'node', cluster, node: node as string };
  }
  const params: EventParamsInput<'logs.follow'> = { source, follow: values.follow };
  if (source.kind === 'node') {
    if (values.tail !== undefined) {
      const n = Number(values.tail);
      if (!Number.isInteger(n) || n < 0) throw usage(`-n/--tail takes a number of lines, not "${values.tail}"`);
      params.tailLines = n;
    }
  } else {
    params.fromOffset = 0;
  }
  const strip = source.kind === 'node' && !values.timestamps;

  // Ctrl-C stops following; otherwise the stream ends with the task, the container or the file.
  const interrupted = new AbortController();
  const interrupt = () => interrupted.abort();
  process.once('SIGINT', interrupt);
  try {
    await streamLog(
      api,
      params,
      (text, done) => process.stdout.write(strip ? text.replace(DOCKER_TIME, '') : text, done),
      interrupted.signal,
      (message) => console.error(`mesoscope: ${message}`),
    );
  } finally {
    process.off('SIGINT', interrupt);
  }
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return 0;
}
