import { execFile } from 'node:child_process';

export interface CliResult {
  /** The exit code; -1 when the process was killed (the timeout). */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `mesoscope` command (bin/mesoscope.cjs) as a script would, from the repository's root,
 * and answers its exit code and output: a non-zero exit is a result here, not an error.
 */
export function mesoscopeCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/mesoscope.cjs', ...args],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}
