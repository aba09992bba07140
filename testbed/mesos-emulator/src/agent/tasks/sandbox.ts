// Sandboxes and the checkpoint of tasks under --work_dir (src/slave/paths.hpp, docs/mesos/api.md §5.3):
//   slaves/<agent>/frameworks/<fw>/executors/<executor>/runs/<container id>  (+ runs/latest)
//   meta/slaves/<agent>/frameworks/<fw>/framework.info
//   meta/…/executors/<executor>/runs/<container id>/run.info, tasks/<task>/task.info, task.updates
// Real Mesos checkpoints protobufs; the emulator writes JSON (see README). Only frameworks with
// checkpoint:true are checkpointed, which is what lets their tasks be recovered (docs/mesos/faults.md row 12).
import fs from 'node:fs';
import path from 'node:path';
import type { Files } from '../../files/files';
import type { StatusJson } from '../../internal/messages';
import type { ExecutorKind } from './model';

const runsDir = (root: string, agentId: string, fwId: string, execId: string) =>
  path.join(root, 'slaves', agentId, 'frameworks', fwId, 'executors', execId, 'runs');

/** Creates the run directory with empty stdout/stderr and points `runs/latest` at it. */
export function createSandbox(workDir: string, agentId: string, fwId: string, execId: string, containerId: string): string {
  const runs = runsDir(workDir, agentId, fwId, execId);
  const dir = path.join(runs, containerId);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['stdout', 'stderr']) fs.writeFileSync(path.join(dir, f), '', { flag: 'a' });
  const latest = path.join(runs, 'latest');
  fs.rmSync(latest, { force: true });
  fs.symlinkSync(containerId, latest);
  return dir;
}

/** The three virtual paths of a run (Framework::addExecutor, docs/mesos/api.md §5.2). */
export function attachSandbox(files: Files, workDir: string, agentId: string, fwId: string, execId: string, directory: string): void {
  const runs = runsDir(workDir, agentId, fwId, execId);
  files.attach(directory, directory);
  files.attach(directory, path.join(runs, 'latest'));
  files.attach(directory, `/frameworks/${fwId}/executors/${execId}/runs/latest`);
}

export interface RunInfo {
  frameworkId: string;
  executorId: string;
  containerId: string;
  kind: ExecutorKind;
  directory: string;
}

export interface RecoveredRun extends RunInfo {
  framework: Record<string, unknown>;
  tasks: Array<{ info: Record<string, unknown>; executorId: string; updates: StatusJson[]; acked: Set<string> }>;
}

const metaRuns = (workDir: string, agentId: string, fwId: string, execId: string) => runsDir(path.join(workDir, 'meta'), agentId, fwId, execId);
const taskDir = (workDir: string, agentId: string, run: RunInfo, taskId: string) =>
  path.join(metaRuns(workDir, agentId, run.frameworkId, run.executorId), run.containerId, 'tasks', taskId);

export class TaskCheckpoint {
  constructor(
    private readonly workDir: string,
    private readonly agentId: () => string,
  ) {}

  framework(fwId: string, info: Record<string, unknown>): void {
    const dir = path.join(this.workDir, 'meta', 'slaves', this.agentId(), 'frameworks', fwId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'framework.info'), JSON.stringify(info));
  }

  run(run: RunInfo, task: Record<string, unknown>, executorId: string): void {
    const dir = path.join(metaRuns(this.workDir, this.agentId(), run.frameworkId, run.executorId), run.containerId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'run.info'), JSON.stringify(run));
    const tdir = taskDir(this.workDir, this.agentId(), run, String((task.task_id as { value: string }).value));
    fs.mkdirSync(tdir, { recursive: true });
    fs.writeFileSync(path.join(tdir, 'task.info'), JSON.stringify({ info: task, executorId }));
  }

  update(run: RunInfo, taskId: string, status: StatusJson): void {
    fs.appendFileSync(path.join(taskDir(this.workDir, this.agentId(), run, taskId), 'task.updates'), `${JSON.stringify({ update: status })}\n`);
  }

  ack(run: RunInfo, taskId: string, uuid: string): void {
    fs.appendFileSync(path.join(taskDir(this.workDir, this.agentId(), run, taskId), 'task.updates'), `${JSON.stringify({ ack: uuid })}\n`);
  }

  /** Every checkpointed run of this agent. */
  recover(): RecoveredRun[] {
    const root = path.join(this.workDir, 'meta', 'slaves', this.agentId(), 'frameworks');
    const out: RecoveredRun[] = [];
    for (const fwId of list(root)) {
      const framework = readJson<Record<string, unknown>>(path.join(root, fwId, 'framework.info'));
      if (!framework) continue;
      for (const execId of list(path.join(root, fwId, 'executors'))) {
        const runs = path.join(root, fwId, 'executors', execId, 'runs');
        for (const cid of list(runs)) {
          const info = readJson<RunInfo>(path.join(runs, cid, 'run.info'));
          if (!info) continue;
          const tasks = list(path.join(runs, cid, 'tasks')).flatMap((taskId) => {
            const dir = path.join(runs, cid, 'tasks', taskId);
            const t = readJson<{ info: Record<string, unknown>; executorId: string }>(path.join(dir, 'task.info'));
            if (!t) return [];
            const updates: StatusJson[] = [];
            const acked = new Set<string>();
            for (const line of readLines(path.join(dir, 'task.updates'))) {
              const entry = JSON.parse(line) as { update?: StatusJson; ack?: string };
              if (entry.update) updates.push(entry.update);
              if (entry.ack) acked.add(entry.ack);
            }
            return [{ ...t, updates, acked }];
          });
          out.push({ ...info, framework, tasks });
        }
      }
    }
    return out;
  }
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n !== 'latest');
  } catch {
    return [];
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}
