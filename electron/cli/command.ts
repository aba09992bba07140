import type { ParseArgsConfig } from 'node:util';
import type { MesoscopeClient } from '@shared/api/client';

/**
 * One `mesoscope` command: its options (node:util parseArgs), usage line, help with an example, and
 * what it does. The help, the option parsing and the shell completion are all made from this table.
 */
export interface Command {
  /** `ps`, or `agent add` for a command with a sub-command. */
  name: string;
  /** `<cluster> [TASK]`: what follows the name. */
  args: string;
  summary: string;
  /** More lines of help (what it prints, how it ends). */
  help?: string;
  /** One or more example lines. */
  example: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** What an option's value is, for the help (`--agent N`). */
  optionHelp?: Record<string, string>;
  /** The first positional is a cluster name (shell completion offers the clusters). */
  clusterArg?: boolean;
  /** Does not need the engine (help, completion). */
  offline?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandContext {
  /** The API, in-process (made on first use). */
  api(): Promise<MesoscopeClient>;
  positionals: string[];
  /** The words after `--`. */
  afterDashes: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  /** Called when the process is asked to stop (Ctrl-C): the command ends cleanly. */
  interrupted: AbortSignal;
}

/** Exit codes, for scripts (documented in --help and the README). */
export const EXIT = {
  ok: 0,
  /** Started but did not complete: a node did not come up, Docker or Mesos failed midway. */
  failed: 1,
  /** Bad usage, a bad spec or option value. */
  usage: 2,
  /** Refused before anything changed: port in use, name taken, image missing, Docker unreachable. */
  refused: 3,
  /** No such cluster, node, task, agent or file. */
  notFound: 4,
  /** A task did not finish (ended FAILED, KILLED, LOST…), or a fault's outcome was not what faults.md says. */
  notAsHoped: 5,
  /** Gave up waiting (--timeout). */
  timeout: 6,
} as const;

export const EXIT_CODES_HELP = `Exit codes: 0 done; 1 failed midway; 2 bad usage or spec; 3 refused before anything changed (port in use,
name taken, image missing, Docker unreachable); 4 no such cluster, node, task or file; 5 a task did not
finish (FAILED, KILLED, LOST…) or a fault's outcome differed from faults.md; 6 timed out waiting.`;

export class UsageError extends Error {}

/** The options every command has. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`${what} is needed`);
  return value;
}

/** A whole number option (`--agent 2`), or undefined when not given. */
export function intOption(values: CommandContext['values'], name: string, min = 0): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number${min > 0 ? ` >= ${min}` : ''}, not "${String(raw)}"`);
  return n;
}

/** A number option (`--cpus 0.5`). */
export function numberOption(values: CommandContext['values'], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} takes a number, not "${String(raw)}"`);
  return n;
}

/** `60s`, `2m`, `90` (seconds), `1500ms` → ms. */
export function durationOption(values: CommandContext['values'], name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const ms = parseSeconds(String(raw));
  if (ms === undefined) throw new UsageError(`--${name} takes a duration such as 60s, 2m or 500ms, not "${String(raw)}"`);
  return ms;
}

export function parseSeconds(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] as number;
  return Number(m[1]) * unit;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
