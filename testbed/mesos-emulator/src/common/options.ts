// How a role is started in-process or from the command line.
import { flagsToArgv } from './flags';

export interface StartOptions {
  /** Command-line arguments (`--port=5050`, `--no-foo`). */
  args?: string[];
  /** Convenience form of args: {port: 0, ip: '127.0.0.1', switch_user: false}. Applied after `args`. */
  flags?: Record<string, string | number | boolean>;
  /** Environment for MESOS_* variables; in-process starts default to none (not process.env). */
  env?: Record<string, string | undefined>;
  /** Where log lines go when not --quiet (default: process.stderr). */
  stderr?: NodeJS.WritableStream;
  /** Called when the process would exit on its own (fatal error, shutdown by the master). */
  onExit?: (code: number, reason: string) => void;
}

export function argvOf(opts: StartOptions): string[] {
  return [...(opts.args ?? []), ...flagsToArgv(opts.flags ?? {})];
}

export class FlagsError extends Error {
  constructor(
    message: string,
    readonly program: string,
  ) {
    super(message);
  }
}
