// The emulator as real processes (the bundle build.mjs makes), for faults that need a
// process to stop or freeze: SIGSTOP stands in for `docker pause`, SIGKILL for the
// agent container dying.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './transcripts';
import { waitFor } from '../../scenario/launcher';

export async function buildBundle(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'mesos-emulator.cjs');
  await build({
    entryPoints: [path.join(repoRoot, 'testbed/mesos-emulator/src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'silent',
  });
  return outfile;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

export function spawnRole(bundle: string, role: 'master' | 'agent', flags: Record<string, string | number | boolean>): Proc {
  const args = Object.entries(flags).map(([k, v]) => (v === true ? `--${k}` : v === false ? `--no-${k}` : `--${k}=${v}`));
  const child = spawn(process.execPath, [bundle, role, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
}

/** Polls `fn` until it returns a value; the scenario launcher's waitFor with the contract tests' defaults. */
export function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000, stepMs = 100): Promise<T> {
  return waitFor(what, fn, timeoutMs, stepMs);
}
