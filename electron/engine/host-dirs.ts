import { posix } from 'node:path';
import type Dockerode from 'dockerode';
import { runHelper } from '../docker/helper-container';

/**
 * Agents' work dirs are folders on the Docker host, which need not be this machine (Docker Desktop
 * keeps them in its VM) and are written by root inside the agents. Docker makes each one on its host
 * when it binds it into its agent (a missing bind source is created, as a folder owned by root); they
 * are read and removed from short-lived helper containers of the agent image. Never through this
 * process's file system.
 */

const SAFE = /^\/[A-Za-z0-9._\-/]+$/;

function checked(path: string): string {
  if (!SAFE.test(path) || path.split('/').includes('..')) throw new Error(`not a work dir path the engine makes: ${path}`);
  return path;
}

export interface RemovedDir {
  /** The folder existed before. */
  existed: boolean;
  /** It still exists after the removal. */
  left: boolean;
  /** ContainerIDs of the sandbox runs found in it before it went (slaves/*\/frameworks/*\/executors/*\/runs/<id>). */
  runs: string[];
}

/**
 * Lists the sandbox runs under `dir` (an agent's work dir, or a cluster's folder of them), then removes
 * it. The parent is bound, not created: a parent that does not exist means there is nothing to remove.
 */
export async function removeHostDir(docker: Dockerode, image: string, dir: string, options: { keep?: boolean } = {}): Promise<RemovedDir> {
  const parent = posix.dirname(checked(dir));
  const target = `/parent/${posix.basename(dir)}`;
  const script = [
    `t='${target}'`,
    '[ -e "$t" ] || { echo absent; exit 0; }',
    'echo existed',
    // Sandbox runs of an agent's work dir, or of each agent's in a cluster's folder.
    'for r in "$t"/slaves/*/frameworks/*/executors/*/runs/* "$t"/agent-*/slaves/*/frameworks/*/executors/*/runs/*; do',
    '  n=$(basename "$r"); [ -e "$r" ] && [ "$n" != latest ] && echo "run $n"',
    'done',
    ...(options.keep ? [] : ['rm -rf "$t"', '[ -e "$t" ] && echo left']),
    'exit 0',
  ].join('\n');
  let result;
  try {
    result = await runHelper(docker, { image, cmd: ['sh', '-c', script], mounts: [{ source: parent, target: '/parent' }] });
  } catch (err) {
    // Docker refuses to bind a parent that does not exist on its host: then neither does the folder.
    if (/bind source path does not exist|no such file or directory/i.test((err as Error).message)) return { existed: false, left: false, runs: [] };
    throw err;
  }
  const lines = result.stdout.split('\n');
  return {
    existed: lines.includes('existed'),
    left: lines.includes('left') || result.exitCode !== 0,
    runs: [...new Set(lines.filter((l) => l.startsWith('run ')).map((l) => l.slice(4)))],
  };
}

/** The sandbox runs' ContainerIDs under a work dir, nothing removed. */
export async function sandboxRuns(docker: Dockerode, image: string, workDir: string): Promise<string[]> {
  return (await removeHostDir(docker, image, workDir, { keep: true })).runs;
}
