import type { TaskInfo } from '@shared/mesos/scheduler';
import type { HealthCheckSpec, ServiceSpec } from '@shared/services/schemas';

/**
 * A service instance as a TaskInfo (docs/mesos/api.md §3.6). Pure. Its host ports are `ports`
 * resources (single-port ranges) taken from the offer, so Mesos keeps them from other tasks until this
 * one ends. BRIDGE: Docker port mappings host → container port; HOST: the task binds the host ports
 * itself and finds them as PORT0…, PORTS (Marathon's variables). The health check is Mesos-native: the
 * executor runs it and reports `healthy` in RUNNING updates.
 */

export const SERVICE_LABEL = 'io.mesoscope.service';
export const SLOT_LABEL = 'io.mesoscope.slot';

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

/** `<service>.<slot>.<random>`: unique per launch, the service readable in every list. */
export function serviceTaskId(service: string, slot: number, random: string): string {
  return `${service}.${slot}.${random}`;
}

/** The service and slot of a task id made by serviceTaskId. */
export function parseServiceTaskId(taskId: string): { service: string; slot: number } | undefined {
  const m = /^([a-z0-9][a-z0-9-]{0,31})\.(\d{1,3})\.[a-z0-9]+$/.exec(taskId);
  return m ? { service: m[1] as string, slot: Number(m[2]) } : undefined;
}

export function portEnv(ports: readonly number[]): Record<string, string> {
  const env: Record<string, string> = {};
  ports.forEach((p, i) => (env[`PORT${i}`] = String(p)));
  if (ports.length > 0) env.PORTS = ports.join(',');
  if (ports[0] !== undefined) env.PORT = String(ports[0]);
  return env;
}

/**
 * HealthCheck (mesos.proto). HTTP and TCP checks run in the task's network namespace (the docker
 * executor enters it), so with BRIDGE they name the container port, with HOST the host port.
 */
export function healthCheck(spec: ServiceSpec, check: HealthCheckSpec, ports: readonly number[]): Record<string, unknown> {
  const timing = {
    delay_seconds: check.delaySecs,
    interval_seconds: check.intervalSecs,
    timeout_seconds: check.timeoutSecs,
    consecutive_failures: check.consecutiveFailures,
    grace_period_seconds: check.gracePeriodSecs,
  };
  if (check.type === 'COMMAND') return { type: 'COMMAND', command: { shell: true, value: check.command ?? 'true' }, ...timing };
  const port = spec.network === 'BRIDGE' ? (spec.ports[check.portIndex]?.containerPort ?? 0) : (ports[check.portIndex] ?? 0);
  if (check.type === 'TCP') return { type: 'TCP', tcp: { port }, ...timing };
  return { type: 'HTTP', http: { scheme: 'http', port, path: check.path }, ...timing };
}

export function serviceTaskInfo(spec: ServiceSpec, taskId: string, slot: number, agentId: string, ports: readonly number[]): TaskInfo {
  const env = { ...spec.env, ...(spec.network === 'HOST' ? portEnv(ports) : {}) };
  const variables = Object.entries(env).map(([name, value]) => ({ name, value }));
  const command: Record<string, unknown> = {
    ...(variables.length ? { environment: { variables } } : {}),
    ...(spec.command.trim() ? { shell: true, value: spec.command } : { shell: false }),
  };
  const resources: Array<Record<string, unknown>> = [scalar('cpus', spec.cpus), scalar('mem', spec.mem)];
  if (ports.length > 0) resources.push({ name: 'ports', type: 'RANGES', ranges: { range: ports.map((p) => ({ begin: p, end: p })) } });
  const docker = spec.image
    ? {
        image: spec.image,
        network: spec.network,
        force_pull_image: false,
        ...(spec.network === 'BRIDGE' && ports.length > 0
          ? { port_mappings: spec.ports.map((p, i) => ({ host_port: ports[i] ?? 0, container_port: p.containerPort ?? 0, protocol: p.protocol })) }
          : {}),
      }
    : undefined;
  return {
    name: spec.id,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources,
    command,
    ...(docker ? { container: { type: 'DOCKER', docker } } : {}),
    ...(spec.healthCheck ? { health_check: healthCheck(spec, spec.healthCheck, ports) } : {}),
    labels: { labels: [{ key: SERVICE_LABEL, value: spec.id }, { key: SLOT_LABEL, value: String(slot) }] },
  };
}
