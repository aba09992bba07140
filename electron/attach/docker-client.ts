import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { parseDockerEndpoint } from '@shared/attach/docker-endpoint';

/**
 * A Docker client for an endpoint the user named (shared/attach/docker-endpoint.ts). ssh goes through
 * docker-modem's ssh2 transport (`docker system dial-stdio` on the remote host) with the user's own
 * ssh agent (SSH_AUTH_SOCK) or, without one, their default private key: nothing is stored by us.
 */
export function dockerForEndpoint(url: string): Dockerode {
  const endpoint = parseDockerEndpoint(url);
  if ('error' in endpoint) throw new Error(`${url}: ${endpoint.error}`);
  if (endpoint.protocol === 'unix') return new Dockerode({ socketPath: endpoint.socketPath });
  if (endpoint.protocol === 'tcp') return new Dockerode({ protocol: 'http', host: endpoint.host, port: endpoint.port });
  const agent = process.env.SSH_AUTH_SOCK;
  const key = agent ? undefined : defaultKey();
  return new Dockerode({
    protocol: 'ssh',
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    sshOptions: { ...(agent ? { agent } : {}), ...(key ? { privateKey: key } : {}), readyTimeout: 10_000 },
  } as Dockerode.DockerOptions);
}

function defaultKey(): Buffer | undefined {
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const path = join(homedir(), '.ssh', name);
    if (existsSync(path)) return readFileSync(path);
  }
  return undefined;
}
