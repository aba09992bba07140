import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerService } from './docker-service';
import { dockerOptionsFor, resolveDockerEndpoint } from './endpoint';

// Integration: a docker context that reaches the real daemon through another socket path is found
// (DOCKER_CONFIG's current context, no DOCKER_HOST) and is the path every request then takes.
const root = mkdtempSync(join(tmpdir(), 'mesoscope-context-'));
const daemonSocket = '/var/run/docker.sock';
const daemonId = execFileSync('docker', ['info', '--format', '{{.ID}}']).toString().trim();
let connections = 0;
const proxy: Server = createServer((client) => {
  connections += 1;
  const upstream = connect(daemonSocket);
  for (const s of [client, upstream]) s.on('error', () => s.destroy());
  client.pipe(upstream).pipe(client);
});
const proxyPath = join(root, 'proxied.sock');
await new Promise<void>((resolve) => proxy.listen(proxyPath, resolve));

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function dockerConfigWithContext(name: string, host: string): string {
  const dir = join(root, `config-${name}`);
  const folder = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', folder), { recursive: true });
  writeFileSync(join(dir, 'contexts', 'meta', folder, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host } } }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: name }));
  return dir;
}

describe('a docker context pointing at the daemon through another socket', () => {
  it('is found and used: every request goes through its socket', async () => {
    const env = { HOME: root, DOCKER_CONFIG: dockerConfigWithContext('through-proxy', `unix://${proxyPath}`) };
    const endpoint = resolveDockerEndpoint(null, env);
    expect(endpoint).toEqual({ url: `unix://${proxyPath}`, source: 'context', detail: 'through-proxy' });
    const before = connections;
    const service = new DockerService(endpoint);
    try {
      const status = await service.status();
      expect(status).toMatchObject({ reachable: true, endpoint: { source: 'context', detail: 'through-proxy' } });
      expect(((await service.docker.info()) as { ID: string }).ID).toBe(daemonId);
      expect(connections).toBeGreaterThan(before);
    } finally {
      service.dispose();
    }
  });

  it('through a symlink to the daemon socket, too', async () => {
    const link = join(root, 'link.sock');
    symlinkSync(daemonSocket, link);
    const endpoint = resolveDockerEndpoint(null, { HOME: root, DOCKER_CONFIG: dockerConfigWithContext('through-link', `unix://${link}`) });
    expect(endpoint).toMatchObject({ url: `unix://${link}`, source: 'context' });
    const docker = new Dockerode(dockerOptionsFor(endpoint));
    expect(((await docker.info()) as { ID: string }).ID).toBe(daemonId);
  });
});
