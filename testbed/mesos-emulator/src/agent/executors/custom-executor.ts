// A TaskInfo with its own ExecutorInfo: the executor's command starts in the sandbox, but the
// emulator has no executor API, so it never registers — and when --executor_registration_timeout
// passes the agent destroys it: FAILED / REASON_EXECUTOR_REGISTRATION_TIMEOUT (docs/mesos/faults.md row 15).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandArgv, commandEnv, type ExecutorHost, type ExecutorRuntime } from '../tasks/executor';

export class CustomExecutor implements ExecutorRuntime {
  private child: ChildProcess | undefined;

  constructor(private readonly host: ExecutorHost) {}

  launching(): boolean {
    return false;
  }

  start(): void {
    const executor = this.host.executor.task.info.executor as Record<string, unknown> | undefined;
    const command = executor?.command as Record<string, unknown> | undefined;
    const [file, ...args] = commandArgv(command);
    const dir = this.host.executor.directory;
    const out = fs.openSync(path.join(dir, 'stdout'), 'a');
    const err = fs.openSync(path.join(dir, 'stderr'), 'a');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', MESOS_SANDBOX: dir, MESOS_EXECUTOR_ID: this.host.executor.id };
    for (const kv of commandEnv(command)) env[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    this.child = spawn(file ?? '/bin/sh', args, { cwd: dir, env, stdio: ['ignore', out, err], detached: true });
    this.child.on('error', () => undefined);
    fs.closeSync(out);
    fs.closeSync(err);
  }

  kill(): void {
    // Tasks reach an executor only once it registers; until then a kill is the agent's business.
  }

  async destroy(): Promise<void> {
    const pid = this.child?.pid;
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    this.host.terminated();
  }
}
