import { z } from 'zod';
import { ImageReferenceSchema } from '../image-reference';
import { TaskStateSchema } from '../mesos/v1';
import { ClusterNameSchema } from '../runs/schemas';

/**
 * Services of the built-in framework (issue 17): long-running tasks kept at N instances, with ports
 * taken from the offers' `ports` ranges and Mesos-native health checks (docs/mesos/api.md §3.6).
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ServiceIdSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or dashes, starting with a letter or digit');

export const ServicePortSchema = z
  .object({
    /** A name for the port (shown in Endpoints); defaults to the container port or PORT<i>. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/, 'must be lower-case letters, digits or dashes').optional(),
    /** BRIDGE: the port inside the container that the host port maps to. HOST: unused. */
    containerPort: z.number().int().min(1).max(65_535).optional(),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
  })
  .strict();

/** A Mesos HealthCheck (mesos.proto), run by the executor beside the task. */
export const HealthCheckSpecSchema = z
  .object({
    type: z.enum(['HTTP', 'TCP', 'COMMAND']),
    /** HTTP and TCP: which of the service's ports to check. */
    portIndex: z.number().int().min(0).max(9).default(0),
    /** HTTP: the path asked for; 200-399 is healthy. */
    path: z.string().regex(/^\/\S*$/, 'must start with /').default('/'),
    /** COMMAND: run in the task's container with /bin/sh -c; exit 0 is healthy. */
    command: z.string().max(4096).optional(),
    /** Failures this long after the task started do not count (until the first success). */
    gracePeriodSecs: z.number().min(0).max(3600).default(10),
    intervalSecs: z.number().min(0.5).max(3600).default(5),
    timeoutSecs: z.number().min(0.5).max(600).default(5),
    /** After this many failures in a row the executor kills the task. */
    consecutiveFailures: z.number().int().min(1).max(100).default(3),
    /** Seconds before the first check. */
    delaySecs: z.number().min(0).max(3600).default(0),
  })
  .strict();
export type HealthCheckSpec = z.output<typeof HealthCheckSpecSchema>;

const ServiceSpecObject = z
  .object({
    id: ServiceIdSchema,
    /** A Docker image (the docker containerizer); left out, a command on the agent (Mesos containerizer, HOST ports). */
    image: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .pipe(ImageReferenceSchema.optional()),
    /** With /bin/sh -c; empty with an image: the image's own entrypoint and command. */
    command: z.string().max(10_000).default(''),
    instances: z.number().int('must be a whole number').min(0).max(20, 'must be <= 20').default(1),
    cpus: z.number().gt(0, 'must be > 0').max(64).default(0.1),
    mem: z.number().min(4, 'must be >= 4 MB').max(1_048_576).default(64),
    env: z
      .record(z.string(), z.string().max(4096))
      .default({})
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) if (!ENV_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'environment names are letters, digits and _' });
      }),
    /** BRIDGE: Docker port mappings host→container; HOST: the task binds the ports it is given ($PORT0…). */
    network: z.enum(['BRIDGE', 'HOST']).optional(),
    ports: z.array(ServicePortSchema).max(10).default([]),
    healthCheck: HealthCheckSpecSchema.optional(),
  })
  .strict();

export const ServiceSpecSchema = ServiceSpecObject.transform((s) => ({ ...s, network: s.network ?? (s.image ? ('BRIDGE' as const) : ('HOST' as const)) }))
  .superRefine((s, ctx) => {
    if (!s.image && s.command.trim() === '') ctx.addIssue({ code: 'custom', path: ['command'], message: 'a command is needed without an image' });
    if (s.network === 'BRIDGE' && !s.image) ctx.addIssue({ code: 'custom', path: ['network'], message: 'BRIDGE needs a Docker image' });
    s.ports.forEach((p, i) => {
      if (s.network === 'BRIDGE' && p.containerPort === undefined) ctx.addIssue({ code: 'custom', path: ['ports', i, 'containerPort'], message: 'BRIDGE ports need a container port' });
    });
    const hc = s.healthCheck;
    if (hc && hc.type !== 'COMMAND' && hc.portIndex >= s.ports.length) {
      ctx.addIssue({ code: 'custom', path: ['healthCheck', 'portIndex'], message: `port ${hc.portIndex} does not exist (the service has ${s.ports.length})` });
    }
    if (hc?.type === 'COMMAND' && !hc.command?.trim()) ctx.addIssue({ code: 'custom', path: ['healthCheck', 'command'], message: 'a COMMAND check needs a command' });
  });
export type ServiceSpecInput = z.input<typeof ServiceSpecSchema>;
export type ServiceSpec = z.output<typeof ServiceSpecSchema>;

/** The name a port is shown under. */
export const portLabel = (spec: Pick<ServiceSpec, 'ports' | 'network'>, index: number): string => {
  const p = spec.ports[index];
  return p?.name ?? (spec.network === 'BRIDGE' && p?.containerPort !== undefined ? String(p.containerPort) : `PORT${index}`);
};

export const InstanceStateSchema = z.union([TaskStateSchema, z.enum(['WAITING_FOR_OFFER', 'BACKOFF'])]);

export const ServiceInstanceSchema = z.object({
  /** 1…instances: the place it fills; a relaunch keeps the slot and gets a new task id. */
  slot: z.number().int(),
  taskId: z.string().optional(),
  frameworkId: z.string().optional(),
  agentId: z.string().optional(),
  /** The agent's hostname: the host part of the endpoints. */
  host: z.string().optional(),
  /** The host ports, in the order of the service's ports. */
  ports: z.array(z.number().int()),
  state: InstanceStateSchema,
  /** The last `healthy` of a status; absent until the first check result. */
  healthy: z.boolean().optional(),
  /** BACKOFF: when it is launched again. */
  relaunchAt: z.number().optional(),
  launchedAt: z.number().optional(),
  runningSince: z.number().optional(),
});
export type ServiceInstance = z.infer<typeof ServiceInstanceSchema>;

export const ServiceEventSchema = z.object({
  at: z.number(),
  kind: z.enum(['created', 'launched', 'running', 'health', 'ended', 'relaunch', 'scaled', 'restart', 'removed']),
  slot: z.number().int().optional(),
  taskId: z.string().optional(),
  state: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  healthy: z.boolean().optional(),
  /** relaunch: after how long. */
  delayMs: z.number().optional(),
  /** ended: the doctor's verdict on the instance that died. */
  verdict: z.object({ title: z.string(), summary: z.string().optional() }).optional(),
  text: z.string(),
});
export type ServiceEvent = z.infer<typeof ServiceEventSchema>;

export const ServiceViewSchema = z.object({
  spec: ServiceSpecObject.extend({ network: z.enum(['BRIDGE', 'HOST']) }),
  instances: z.array(ServiceInstanceSchema),
  /** The delay the next relaunch waits (1 s doubling to 60 s; back to 1 s after a healthy minute). */
  backoffMs: z.number(),
  removing: z.boolean(),
  /** Newest last, bounded. */
  history: z.array(ServiceEventSchema),
});
export type ServiceView = z.infer<typeof ServiceViewSchema>;

export const ServicesViewSchema = z.object({ cluster: z.string(), services: z.array(ServiceViewSchema) });
export type ServicesView = z.infer<typeof ServicesViewSchema>;

export const EndpointSchema = z.object({ host: z.string(), port: z.number().int(), taskId: z.string(), slot: z.number().int(), state: InstanceStateSchema, healthy: z.boolean().optional() });
export const EndpointsSchema = z.array(
  z.object({ service: z.string(), portIndex: z.number().int(), port: z.string(), protocol: z.string(), endpoints: z.array(EndpointSchema) }),
);
export type Endpoints = z.infer<typeof EndpointsSchema>;

/**
 * Each service's running instances as host:port per port, as Marathon's /v1/endpoints listed them.
 * Only instances that are RUNNING have an endpoint.
 */
export function endpointsOf(view: ServicesView): Endpoints {
  return view.services.flatMap((s) =>
    s.spec.ports.map((p, i) => ({
      service: s.spec.id,
      portIndex: i,
      port: portLabel(s.spec, i),
      protocol: p.protocol,
      endpoints: s.instances
        .filter((inst) => inst.state === 'TASK_RUNNING' && inst.host && inst.ports[i] !== undefined && inst.taskId)
        .map((inst) => ({ host: inst.host as string, port: inst.ports[i] as number, taskId: inst.taskId as string, slot: inst.slot, state: inst.state, healthy: inst.healthy })),
    })),
  );
}

/** The text of `mesoscope endpoints`: one line per service port, `service port host:port…`, tab-separated. */
export function endpointsText(endpoints: Endpoints): string {
  return endpoints.map((e) => [e.service, e.port, ...e.endpoints.map((x) => `${x.host}:${x.port}`)].join('\t')).join('\n');
}

export const ServiceRefSchema = z.object({ cluster: ClusterNameSchema, id: ServiceIdSchema }).strict();
