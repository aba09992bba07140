import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { DockerEndpoint } from '@shared/docker';
// Every Dockerode client is built from dockerOptions(): none of them may follow a redirect.
import './no-redirects';

const DEFAULT_UNIX_SOCKET = 'unix:///var/run/docker.sock';
const DEFAULT_WINDOWS_PIPE = 'npipe:////./pipe/docker_engine';

/** The endpoint in effect: the one set in Settings, else DOCKER_HOST, else the platform default. */
export function resolveDockerEndpoint(
  fromSettings: string | null,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): DockerEndpoint {
  if (fromSettings) return { url: fromSettings, source: 'settings' };
  if (env.DOCKER_HOST) return { url: env.DOCKER_HOST, source: 'DOCKER_HOST' };
  return { url: platform === 'win32' ? DEFAULT_WINDOWS_PIPE : DEFAULT_UNIX_SOCKET, source: 'default' };
}

/** dockerode options for an endpoint URL; TLS follows DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the docker CLI does. */
export function dockerOptions(url: string, env: NodeJS.ProcessEnv = process.env): Dockerode.DockerOptions {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  if (url.startsWith('npipe://')) return { socketPath: url.slice('npipe://'.length) };
  const parsed = new URL(url.replace(/^tcp:/, 'http:'));
  const tls = parsed.protocol === 'https:' || (env.DOCKER_TLS_VERIFY ?? '') !== '';
  const options: Dockerode.DockerOptions = {
    host: parsed.hostname,
    port: parsed.port || (tls ? 2376 : 2375),
    protocol: tls ? 'https' : 'http',
  };
  if (tls && env.DOCKER_CERT_PATH) {
    options.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
    options.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
    options.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
  }
  return options;
}

/** The socket path of a unix or npipe endpoint, for messages; null for TCP. */
export function socketPathOf(url: string): string | null {
  if (url.startsWith('unix://')) return url.slice('unix://'.length);
  if (url.startsWith('npipe://')) return url.slice('npipe://'.length);
  return null;
}
