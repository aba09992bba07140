// Cleanup of the task containers emulated agents started on the host daemon: found by the
// ContainerIDs of their sandboxes (work_dir/slaves/*/frameworks/*/executors/*/runs/<id>), never by
// the `mesos-` prefix alone, which other clusters' tasks share.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export function containerIdsIn(workDir: string): string[] {
  const ids: string[] = [];
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir).filter((n) => n !== 'latest');
    } catch {
      return [];
    }
  };
  const slaves = path.join(workDir, 'slaves');
  for (const agent of list(slaves)) {
    for (const fw of list(path.join(slaves, agent, 'frameworks'))) {
      for (const e of list(path.join(slaves, agent, 'frameworks', fw, 'executors'))) {
        ids.push(...list(path.join(slaves, agent, 'frameworks', fw, 'executors', e, 'runs')));
      }
    }
  }
  return ids;
}

/** `docker rm -f` of mesos-<id> for every run under the work dirs; missing ones are fine. */
export async function removeTaskContainers(workDirs: string[], extraIds: string[] = []): Promise<void> {
  const names = [...new Set([...workDirs.flatMap(containerIdsIn), ...extraIds])].map((id) => `mesos-${id}`);
  for (let i = 0; i < names.length; i += 20) {
    await exec('docker', ['rm', '-f', '-v', ...names.slice(i, i + 20)], { timeout: 60_000 }).catch(() => undefined);
  }
}

export async function dockerAvailable(): Promise<boolean> {
  try {
    await exec('docker', ['version', '--format', '{{.Server.Version}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function imagePresent(image: string): Promise<boolean> {
  try {
    await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export async function containerState(name: string): Promise<string | undefined> {
  try {
    const { stdout } = await exec('docker', ['inspect', '--format', '{{.State.Status}}', name], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}
