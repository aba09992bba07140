// A command task under the Mesos containerizer with the posix launcher: the command runs as a
// process of the agent, in the sandbox, its output in the sandbox files. Updates as the command
// executor sends them: "Command exited with status N" (docs/mesos/faults.md row 8), "Command terminated with
// signal <name>" (docs/mesos/api.md §9 rows 7, 11).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { commandArgv, commandEnv, containerStatus, hasKillingState, type ExecutorHost, type ExecutorRuntime } from '../tasks/executor';

/** strsignal(3) names, as the command executor prints them. */
const SIGNAL_NAMES: Record<string, string> = { SIGTERM: 'Terminated', SIGKILL: 'Killed', SIGINT: 'Interrupt', SIGSEGV: 'Segmentation fault', SIGABRT: 'Aborted', SIGHUP: 'Hangup' };

export class CommandExecutor implements ExecutorRuntime {
  private child: ChildProcess | undefined;
  private done = false;
  private killRequested = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: ExecutorHost) {}

  launching(): boolean {
    return false;
  }

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    const { host } = this;
    host.log('exec.cpp:164', 'Version: 1.12.0');
    if (!(await host.register()) || this.done) return;
    host.log('exec.cpp:237', `Executor registered on agent ${host.agentId}`);
    const task = host.executor.task.info;
    const [file, ...args] = commandArgv(task.command as Record<string, unknown> | undefined);
    const dir = host.executor.directory;
    const out = fs.openSync(path.join(dir, 'stdout'), 'a');
    const err = fs.openSync(path.join(dir, 'stderr'), 'a');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: process.env.HOME ?? '/root',
      MESOS_SANDBOX: dir,
      MESOS_DIRECTORY: dir,
      MESOS_TASK_ID: host.executor.task.id,
      MESOS_FRAMEWORK_ID: host.framework.id,
      MESOS_EXECUTOR_ID: host.executor.id,
      MESOS_AGENT_ENDPOINT: `${host.agentIp}:${host.flags.str('port') ?? ''}`,
      MESOS_CONTAINER_IP: host.agentIp,
    };
    for (const kv of commandEnv(task.command as Record<string, unknown> | undefined)) {
      const eq = kv.indexOf('=');
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    host.log('executor.cpp:0', `Starting task ${host.executor.task.id}`);
    const child = spawn(file ?? '/bin/sh', args, { cwd: dir, env, stdio: ['ignore', out, err], detached: true });
    fs.closeSync(out);
    fs.closeSync(err);
    this.child = child;
    const status = containerStatus(host.executor.containerId, host.agentIp, child.pid);
    child.once('error', (e) => this.finish('TASK_FAILED', `Failed to launch command: ${e.message}`, status));
    host.update('TASK_STARTING', { source: 'SOURCE_EXECUTOR', containerStatus: status });
    host.update('TASK_RUNNING', { source: 'SOURCE_EXECUTOR', containerStatus: status });
    child.once('exit', (code, signal) => {
      clearTimeout(this.killTimer);
      const message = signal ? `Command terminated with signal ${SIGNAL_NAMES[signal] ?? signal}` : `Command exited with status ${code ?? 0}`;
      const state = this.killRequested ? 'TASK_KILLED' : code === 0 && !signal ? 'TASK_FINISHED' : 'TASK_FAILED';
      this.finish(state, message, status);
    });
  }

  kill(graceMs: number): void {
    if (this.done) return;
    this.killRequested = true;
    const child = this.child;
    if (!child?.pid) return;
    if (hasKillingState(this.host.framework)) {
      this.host.update('TASK_KILLING', { source: 'SOURCE_EXECUTOR', containerStatus: containerStatus(this.host.executor.containerId, this.host.agentIp, child.pid) });
    }
    signalGroup(child.pid, 'SIGTERM');
    this.killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
  }

  async destroy(): Promise<void> {
    const pid = this.child?.pid;
    this.done = true;
    clearTimeout(this.killTimer);
    if (pid) signalGroup(pid, 'SIGKILL');
    this.host.terminated();
  }

  private finish(state: 'TASK_FINISHED' | 'TASK_FAILED' | 'TASK_KILLED', message: string, status: Record<string, unknown>): void {
    if (this.done) return;
    this.done = true;
    this.host.log('executor.cpp:0', message);
    this.host.update(state, { source: 'SOURCE_EXECUTOR', message, containerStatus: status });
    this.host.terminated();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
