import type { DockerEndpoint, DockerEndpointSource, DockerUnreachableReason } from '@shared/docker';

export const REASON_LABEL: Record<DockerUnreachableReason, string> = {
  'socket-missing': 'Socket missing',
  'permission-denied': 'Permission denied',
  'not-answering': 'Daemon not answering',
  timeout: 'Timed out',
  error: 'Daemon error',
};

export const REASON_HINT: Record<DockerUnreachableReason, string> = {
  'socket-missing': 'Start Docker (Docker Desktop, or the docker service), or point Mesoscope at another endpoint in Settings.',
  'permission-denied': 'Your user may not open the Docker socket. Add it to the docker group and log in again, or choose another endpoint.',
  'not-answering': 'The daemon may be stopped or restarting.',
  timeout: 'The daemon accepted the connection but did not answer. It may be overloaded or stuck.',
  error: 'The daemon answered with an error; its log usually says why.',
};

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const ENDPOINT_SOURCE_LABEL: Record<DockerEndpointSource, string> = {
  settings: 'set in Settings',
  DOCKER_HOST: 'from DOCKER_HOST',
  context: 'docker context',
  rootless: 'rootless socket',
  default: 'default socket',
  known: 'found at a known place',
};

/** Where the endpoint came from, in words: "docker context “colima”", "found at a known place: Podman". */
export function describeEndpointSource(endpoint: DockerEndpoint): string {
  const label = ENDPOINT_SOURCE_LABEL[endpoint.source];
  if (!endpoint.detail) return label;
  return endpoint.source === 'context' ? `${label} “${endpoint.detail}”` : `${label}: ${endpoint.detail}`;
}
