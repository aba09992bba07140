import { z } from 'zod';

/**
 * Where the Docker endpoint in use came from, in the order they are tried: Settings, DOCKER_HOST, the
 * docker CLI's current context, the rootless socket, the default socket, then known places of other
 * engines (Podman, Colima, Docker Desktop's per-user socket, …).
 */
export const DockerEndpointSourceSchema = z.enum(['settings', 'DOCKER_HOST', 'context', 'rootless', 'default', 'known']);
export type DockerEndpointSource = z.infer<typeof DockerEndpointSourceSchema>;

export const DockerEndpointSchema = z.object({
  /** unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://host:port */
  url: z.string(),
  source: DockerEndpointSourceSchema,
  /** The context's name, the known place's engine, or the file it was read from. */
  detail: z.string().optional(),
  /** A context's TLS material (ca.pem, cert.pem, key.pem) lives here. */
  tlsDir: z.string().optional(),
});
export type DockerEndpoint = z.infer<typeof DockerEndpointSchema>;

const ENDPOINT_PATTERN = /^(unix:\/\/\/.+|npipe:\/\/\/?\/.+|(tcp|http|https):\/\/[^/\s:]+(:\d{1,5})?\/?)$/;

/** An endpoint a user may type in Settings. */
export const DockerEndpointUrlSchema = z
  .string()
  .trim()
  .regex(ENDPOINT_PATTERN, {
    message: 'must look like unix:///var/run/docker.sock, npipe:////./pipe/docker_engine or tcp://host:2375',
  });

export const DockerEngineSchema = z.object({
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string(),
  /** e.g. "Debian GNU/Linux 12 (bookworm)" or "Docker Desktop" */
  operatingSystem: z.string(),
  cpus: z.number().int().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  containersRunning: z.number().int().nonnegative(),
  containersTotal: z.number().int().nonnegative(),
  images: z.number().int().nonnegative(),
  storageDriver: z.string(),
  cgroupVersion: z.string(),
});
export type DockerEngine = z.infer<typeof DockerEngineSchema>;

/** Why the engine cannot be used, in the words a user acts on. */
export const DockerUnreachableReasonSchema = z.enum([
  'socket-missing', // nothing at the socket path: Docker not installed or not started
  'permission-denied', // the socket exists but this user may not open it
  'not-answering', // connection refused or reset: the daemon is not listening
  'timeout', // connected, but no answer in time: the daemon hangs
  'error', // the daemon answered with an error
]);
export type DockerUnreachableReason = z.infer<typeof DockerUnreachableReasonSchema>;

const statusBase = {
  endpoint: DockerEndpointSchema,
  /** ISO time of the probe that produced this status */
  checkedAt: z.iso.datetime(),
};

export const DockerStatusSchema = z.discriminatedUnion('reachable', [
  z.object({ ...statusBase, reachable: z.literal(true), engine: DockerEngineSchema }),
  z.object({
    ...statusBase,
    reachable: z.literal(false),
    reason: DockerUnreachableReasonSchema,
    /** one sentence naming the cause, e.g. "/var/run/docker.sock does not exist" */
    message: z.string(),
  }),
]);
export type DockerStatus = z.infer<typeof DockerStatusSchema>;
