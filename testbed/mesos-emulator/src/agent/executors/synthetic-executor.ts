// --synthetic_tasks: no container, no process; for the dashboard's load benchmark only. A task
// goes STARTING, RUNNING, and then: `sleep N` finishes after N seconds, `true`/`exit 0` at once,
// `false`/`exit N` fails; anything else runs until killed. Messages are those of real tasks.
import { containerStatus, hasKillingState, type ExecutorHost, type ExecutorRuntime } from '../tasks/executor';

export class SyntheticExecutor implements ExecutorRuntime {
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private readonly docker: boolean;

  constructor(private readonly host: ExecutorHost) {
    this.docker = (host.executor.task.info.container as { type?: unknown } | undefined)?.type === 'DOCKER';
  }

  launching(): boolean {
    return false;
  }

  private message(code: number): string {
    return this.docker ? `Container exited with status ${code}` : `Command exited with status ${code}`;
  }

  start(): void {
    const { host } = this;
    const status = containerStatus(host.executor.containerId, host.agentIp);
    void host.register().then((ok) => {
      if (!ok || this.done) return;
      host.update('TASK_STARTING', { source: 'SOURCE_EXECUTOR', containerStatus: status });
      host.update('TASK_RUNNING', { source: 'SOURCE_EXECUTOR', containerStatus: status });
      const value = String((host.executor.task.info.command as { value?: unknown } | undefined)?.value ?? '').trim();
      const sleep = /^sleep\s+(\d+(?:\.\d+)?)$/.exec(value);
      const exit = /^exit\s+(\d+)$/.exec(value);
      if (sleep) this.timer = setTimeout(() => this.finish(0), Number(sleep[1]) * 1000);
      else if (value === 'true') this.finish(0);
      else if (value === 'false') this.finish(1);
      else if (exit) this.finish(Number(exit[1]));
    });
  }

  private finish(code: number, killed = false): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    const state = killed ? 'TASK_KILLED' : code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED';
    this.host.update(state, { source: 'SOURCE_EXECUTOR', message: this.message(code), containerStatus: containerStatus(this.host.executor.containerId, this.host.agentIp) });
    this.host.terminated();
  }

  kill(): void {
    if (this.done) return;
    if (hasKillingState(this.host.framework)) {
      this.host.update('TASK_KILLING', { source: 'SOURCE_EXECUTOR', containerStatus: containerStatus(this.host.executor.containerId, this.host.agentIp) });
    }
    this.finish(137, true);
  }

  async destroy(): Promise<void> {
    this.done = true;
    clearTimeout(this.timer);
    this.host.terminated();
  }
}
