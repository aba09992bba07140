import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { DockerEndpoint } from '@shared/docker';
// Every Dockerode client is built from dockerOptions(): none of them may follow a redirect.
import './no-redirects';

export { resolveDockerEndpoint } from './endpoint-discovery';

/** dockerode options for an endpoint: its URL, and a context's TLS material when it has some. */
export function dockerOptionsFor(endpoint: DockerEndpoint, env: NodeJS.ProcessEnv = process.env): Dockerode.DockerOptions {
  const options = dockerOptions(endpoint.url, endpoint.tlsDir ? { ...env, DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' } : env);
  if (endpoint.tlsDir && !('socketPath' in options && options.socketPath)) {
    // A context keeps whichever of ca.pem, cert.pem and key.pem it was given.
    const tlsDir = endpoint.tlsDir;
    const read = (file: string) => (existsSync(join(tlsDir, file)) ? readFileSync(join(tlsDir, file)) : undefined);
    Object.assign(options, { protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
  }
  return options;
}

/** dockerode options for an endpoint URL; TLS follows DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the docker CLI does. */
export function dockerOptions(url: string, env: NodeJS.ProcessEnv = process.env): Dockerode.DockerOptions {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  if (url.startsWith('npipe://')) return { socketPath: url.slice('npipe://'.length) };
  if (url.startsWith('ssh://')) {
    // docker context create --docker host=ssh://user@host: dockerode speaks to `docker system dial-stdio` over ssh.
    const parsed = new URL(url);
    return { protocol: 'ssh', host: parsed.hostname, port: parsed.port || 22, username: decodeURIComponent(parsed.username) || undefined };
  }
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
