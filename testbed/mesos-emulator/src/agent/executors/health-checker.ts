// A task's Mesos-native health check (TaskInfo.health_check), as the built-in executors run it
// (src/checks/health_checker.cpp, docs/mesos/api.md §3.6): the first check after delay_seconds, then
// one every interval_seconds, each given timeout_seconds. HTTP (200-399 is healthy) and TCP run in the
// task's network namespace (the emulator reaches it at the container's address), COMMAND with
// `docker exec`. A failure within grace_period_seconds of the start counts only after a first
// success; every counted failure is reported unhealthy, and the consecutive_failures-th asks for the
// task to be killed; the first success, and a success after failures, are reported healthy.
import http from 'node:http';
import net from 'node:net';

type Obj = Record<string, unknown>;

/** HealthCheck's defaults (mesos.proto). */
const DEFAULTS = { delay: 15, interval: 10, timeout: 20, failures: 3, grace: 10 };

export interface HealthTarget {
  /** Where HTTP and TCP checks connect (the task's network namespace as seen from the agent). */
  address: string;
  /** COMMAND: runs `/bin/sh -c value` in the task's container; resolves with the exit code. */
  exec(argv: string[], timeoutMs: number): Promise<number>;
}

export interface HealthResult {
  healthy: boolean;
  /** Consecutive failures reached the limit: the executor kills the task. */
  kill: boolean;
  /** What the check saw (the executor's stderr). */
  detail: string;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private initializing = true;
  private failures = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly check: Obj,
    private readonly target: HealthTarget,
    private readonly report: (r: HealthResult) => void,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.schedule(num(this.check.delay_seconds, DEFAULTS.delay) * 1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.once(), ms);
  }

  private async once(): Promise<void> {
    const timeoutMs = num(this.check.timeout_seconds, DEFAULTS.timeout) * 1000;
    let failure: string | undefined;
    try {
      failure = await this.probe(timeoutMs);
    } catch (err) {
      failure = (err as Error).message;
    }
    if (this.stopped) return;
    if (failure === undefined) this.success();
    else this.failure(failure);
    this.schedule(num(this.check.interval_seconds, DEFAULTS.interval) * 1000);
  }

  private success(): void {
    if (this.initializing || this.failures > 0) this.report({ healthy: true, kill: false, detail: `${String(this.check.type)} health check passed` });
    this.initializing = false;
    this.failures = 0;
  }

  private failure(message: string): void {
    const graceMs = num(this.check.grace_period_seconds, DEFAULTS.grace) * 1000;
    if (this.initializing && Date.now() - this.startedAt <= graceMs) {
      this.log(`Ignoring failure of health check: ${message}; still in grace period`);
      return;
    }
    this.failures += 1;
    this.log(`Health check failed ${this.failures} times consecutively: ${message}`);
    const kill = this.failures >= num(this.check.consecutive_failures, DEFAULTS.failures);
    this.report({ healthy: false, kill, detail: message });
    if (kill) this.stop();
  }

  /** Resolves undefined when healthy, else why not. */
  private probe(timeoutMs: number): Promise<string | undefined> {
    const type = this.check.type;
    if (type === 'HTTP') {
      const h = (this.check.http ?? {}) as Obj;
      const path = typeof h.path === 'string' ? h.path : '/';
      const port = num(h.port, 80);
      const statuses = Array.isArray(h.statuses) ? (h.statuses as number[]) : undefined;
      return new Promise((resolve) => {
        const req = http.get({ host: this.target.address, port, path, timeout: timeoutMs }, (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          const ok = statuses ? statuses.includes(code) : code >= 200 && code < 400;
          resolve(ok ? undefined : `Unexpected HTTP response code: ${code}`);
        });
        req.on('timeout', () => req.destroy(new Error(`Command timed out after ${timeoutMs / 1000}s`)));
        req.on('error', (err) => resolve(`curl http://${this.target.address}:${port}${path}: ${err.message}`));
      });
    }
    if (type === 'TCP') {
      const port = num(((this.check.tcp ?? {}) as Obj).port, 0);
      return new Promise((resolve) => {
        const socket = net.connect({ host: this.target.address, port, timeout: timeoutMs });
        socket.once('connect', () => (socket.destroy(), resolve(undefined)));
        socket.once('timeout', () => (socket.destroy(), resolve(`Command timed out after ${timeoutMs / 1000}s`)));
        socket.once('error', (err) => resolve(`Failed to connect to ${this.target.address}:${port}: ${err.message}`));
      });
    }
    if (type === 'COMMAND') {
      const c = (this.check.command ?? {}) as Obj;
      const argv = c.shell === false ? [String(c.value ?? ''), ...((c.arguments as string[] | undefined) ?? []).slice(1)] : ['/bin/sh', '-c', String(c.value ?? '')];
      return this.target.exec(argv, timeoutMs).then((code) => (code === 0 ? undefined : `Command returned: exited with status ${code}`));
    }
    return Promise.resolve(undefined);
  }
}
