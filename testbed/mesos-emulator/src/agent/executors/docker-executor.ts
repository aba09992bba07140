// A DOCKER task: the docker containerizer pulls the image (the registration timer already runs,
// docs/mesos/api.md §0.16), then the docker executor registers and runs the container on the host daemon:
// STARTING, RUNNING with `docker inspect` as data, one terminal update "Container exited with
// status N" (docs/mesos/faults.md rows 1–4, 7, 13; docs/mesos/api.md §7.4).
import type { Duplex } from 'node:stream';
import { DockerError, splitRef } from '../docker/api';
import { runSpec } from '../docker/run-spec';
import { containerStatus, hasKillingState, type ExecutorHost, type ExecutorRuntime } from '../tasks/executor';
import { HealthChecker } from './health-checker';

/** The emulator pulls only from the loopback registry; anything else must be present locally. */
export const PULL_REGISTRIES = ['127.0.0.1:5000', 'localhost:5000'];

type Phase = 'pulling' | 'registering' | 'starting' | 'running' | 'done';

export class DockerExecutor implements ExecutorRuntime {
  private phase: Phase = 'pulling';
  private readonly abort = new AbortController();
  private killRequested = false;
  private stopGraceMs: number | undefined;
  private attached: Duplex | undefined;
  private readonly name: string;
  private checker: HealthChecker | undefined;
  private killedByHealthCheck = false;

  constructor(private readonly host: ExecutorHost) {
    this.name = `mesos-${host.executor.containerId}`;
  }

  launching(): boolean {
    return this.phase === 'pulling';
  }

  start(): void {
    void this.run().catch((err: unknown) => {
      if (this.phase === 'done') return;
      this.finish('TASK_FAILED', { source: 'SOURCE_EXECUTOR', message: `Failed to run docker container: ${(err as Error).message}` });
    });
  }

  private get image(): string {
    return String(((this.host.executor.task.info.container as { docker?: { image?: unknown } } | undefined)?.docker?.image) ?? '');
  }

  private async run(): Promise<void> {
    const { host } = this;
    const task = host.executor.task.info;
    const docker = ((task.container as { docker?: Record<string, unknown> } | undefined)?.docker ?? {}) as Record<string, unknown>;
    const pullError = await this.pull(docker.force_pull_image === true);
    if (this.phase === 'done' || this.abort.signal.aborted) return;
    if (pullError !== undefined) {
      const cli = `${host.flags.str('docker')} -H unix://${host.flags.str('docker_socket')}`;
      this.finish('TASK_FAILED', {
        source: 'SOURCE_AGENT',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: `Failed to launch container: Failed to run '${cli} pull ${this.image}': exited with status 1; stderr='Error response from daemon: ${pullError}\n'`,
      });
      return;
    }

    this.phase = 'registering';
    host.log('exec.cpp:164', 'Version: 1.12.0');
    if (!(await host.register()) || (this.phase as Phase) === 'done') return;
    host.log('exec.cpp:237', `Executor registered on agent ${host.agentId}`);
    host.log('executor.cpp:130', `Registered docker executor on ${host.agentIp}`);
    host.log('executor.cpp:186', `Starting task ${host.executor.task.id}`);
    this.phase = 'starting';
    host.update('TASK_STARTING', { source: 'SOURCE_EXECUTOR', containerStatus: containerStatus(host.executor.containerId, host.agentIp) });

    const { name, spec, ignored } = runSpec({
      task,
      containerId: host.executor.containerId,
      sandbox: host.executor.directory,
      sandboxMount: host.flags.str('sandbox_directory')!,
    });
    if (ignored.length > 0) host.logger.warning('docker.cpp:0', `Ignoring docker parameters the emulator does not support: ${ignored.join(' ')}`);
    const created = await host.docker.create(name, spec);
    this.attached = await host.docker.attach(created.Id, (stream, data) => host.output(stream, data));
    await host.docker.start(created.Id);
    if ((this.phase as Phase) === 'done') {
      await this.stop(0);
      return;
    }
    this.phase = 'running';
    if (this.stopGraceMs !== undefined) void this.stop(this.stopGraceMs);

    const inspect = await host.docker.inspect(created.Id);
    const ip = containerIp(inspect) ?? host.agentIp;
    host.update('TASK_RUNNING', {
      source: 'SOURCE_EXECUTOR',
      // The docker CLI's `docker inspect` output, as mesos-docker-executor sends it.
      data: Buffer.from(JSON.stringify([inspect], null, 4), 'utf8').toString('base64'),
      containerStatus: containerStatus(host.executor.containerId, ip),
    });
    this.startHealthCheck(created.Id, inspect.HostConfig?.NetworkMode === 'host' ? host.agentIp : ip, ip);
    const code = await host.docker.wait(created.Id);
    this.checker?.stop();
    this.attached?.destroy();
    host.log('executor.cpp:754', `Container exited with status ${code}`);
    const state = this.killRequested ? 'TASK_KILLED' : code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED';
    this.finish(state, {
      source: 'SOURCE_EXECUTOR',
      message: `Container exited with status ${code}`,
      containerStatus: containerStatus(host.executor.containerId, ip),
      ...(this.killRequested && this.killedByHealthCheck ? { healthy: false } : {}),
    });
  }

  /**
   * The task's health check, once it runs (the docker executor starts it after `docker inspect`):
   * each result changes `healthy` in a RUNNING update; the last allowed failure kills the task.
   */
  private startHealthCheck(containerId: string, address: string, ip: string): void {
    const check = this.host.executor.task.info.health_check as Record<string, unknown> | undefined;
    if (!check || this.killRequested) return;
    const { host } = this;
    this.checker = new HealthChecker(
      check,
      { address, exec: (argv, timeoutMs) => host.docker.exec(containerId, argv, timeoutMs) },
      (r) => {
        if (this.killRequested || this.phase !== 'running') return;
        host.log('executor.cpp:0', `Received task health update, healthy: ${String(r.healthy)}`);
        host.update('TASK_RUNNING', {
          source: 'SOURCE_EXECUTOR',
          reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
          healthy: r.healthy,
          containerStatus: containerStatus(host.executor.containerId, ip),
        });
        if (r.kill) {
          this.killedByHealthCheck = true;
          this.kill(this.host.flags.duration('executor_shutdown_grace_period')?.ms ?? 5000);
        }
      },
      (line) => host.log('health_checker.cpp:0', line),
    );
    this.checker.start();
  }

  /** Resolves with the daemon's error message, or undefined when the image is there. */
  private async pull(force: boolean): Promise<string | undefined> {
    const { docker, logger } = this.host;
    if (!force && (await docker.imageExists(this.image))) return undefined;
    const registry = splitRef(this.image).registry;
    if (!registry || !PULL_REGISTRIES.includes(registry)) {
      return `the Mesoscope emulator pulls only from ${PULL_REGISTRIES[0]}, and ${this.image} is not present locally`;
    }
    logger.info('docker.cpp:1250', `Pulling image '${this.image}' for container ${this.host.executor.containerId}`);
    try {
      await docker.pull(this.image, this.abort.signal);
      return undefined;
    } catch (err) {
      if (this.abort.signal.aborted) return undefined;
      return err instanceof DockerError ? err.message : (err as Error).message;
    }
  }

  kill(graceMs: number): void {
    if (this.phase === 'done') return;
    this.killRequested = true;
    if (hasKillingState(this.host.framework) && this.phase === 'running') {
      this.host.update('TASK_KILLING', { source: 'SOURCE_EXECUTOR', containerStatus: containerStatus(this.host.executor.containerId, this.host.agentIp) });
    }
    if (this.phase === 'running') void this.stop(graceMs);
    else this.stopGraceMs = graceMs;
  }

  private async stop(graceMs: number): Promise<void> {
    this.host.logger.info('docker.cpp:2553', `Running docker stop on container ${this.host.executor.containerId}`);
    await this.host.docker.stop(this.name, graceMs / 1000).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    this.checker?.stop();
    const wasRunning = this.phase === 'running' || this.phase === 'starting';
    this.phase = 'done';
    this.abort.abort();
    if (wasRunning) await this.stop(0);
    this.attached?.destroy();
    this.host.terminated();
  }

  private finish(state: 'TASK_FINISHED' | 'TASK_FAILED' | 'TASK_KILLED', fields: Parameters<ExecutorHost['update']>[1]): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.host.update(state, fields);
    this.host.terminated();
  }
}

function containerIp(inspect: { NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> } }): string | undefined {
  const ns = inspect.NetworkSettings;
  if (ns?.IPAddress) return ns.IPAddress;
  for (const n of Object.values(ns?.Networks ?? {})) if (n.IPAddress) return n.IPAddress;
  return undefined;
}
