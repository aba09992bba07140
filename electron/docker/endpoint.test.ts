import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerOptions, dockerOptionsFor, resolveDockerEndpoint } from './endpoint';

const root = mkdtempSync(join(tmpdir(), 'mesoscope-endpoint-'));
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  rmSync(root, { recursive: true, force: true });
});

/** A real unix socket at path (discovery only counts sockets, not plain files). */
async function socketAt(path: string): Promise<string> {
  mkdirSync(join(path, '..'), { recursive: true });
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

function contextStore(dir: string, name: string, host: string, options: { current?: boolean; tls?: boolean; hashed?: boolean } = {}): string {
  const folder = options.hashed === false ? 'not-a-hash' : createHash('sha256').update(name).digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', folder), { recursive: true });
  writeFileSync(join(dir, 'contexts', 'meta', folder, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (options.current) writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
  if (options.tls) {
    mkdirSync(join(dir, 'contexts', 'tls', folder, 'docker'), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'tls', folder, 'docker', 'ca.pem'), 'CA');
  }
  return join(dir, 'contexts', 'tls', folder, 'docker');
}

describe('finding the Docker endpoint', () => {
  const home = join(root, 'home');
  const noDefault = { platform: 'linux' as const, home, defaultSocket: join(root, 'no-default.sock') };

  it('takes Settings first, then DOCKER_HOST', () => {
    const env = { DOCKER_HOST: 'tcp://127.0.0.1:2375', HOME: home };
    expect(resolveDockerEndpoint('unix:///custom.sock', env, noDefault)).toEqual({ url: 'unix:///custom.sock', source: 'settings' });
    expect(resolveDockerEndpoint(null, env, noDefault)).toEqual({ url: 'tcp://127.0.0.1:2375', source: 'DOCKER_HOST' });
  });

  it('then the current docker context: config.json in ~/.docker, or DOCKER_CONFIG, or DOCKER_CONTEXT', () => {
    contextStore(join(home, '.docker'), 'colima', 'unix:///home/u/.colima/default/docker.sock', { current: true });
    expect(resolveDockerEndpoint(null, { HOME: home }, noDefault)).toEqual({
      url: 'unix:///home/u/.colima/default/docker.sock',
      source: 'context',
      detail: 'colima',
    });
    // DOCKER_CONTEXT wins over config.json's currentContext, as with the docker CLI.
    contextStore(join(home, '.docker'), 'remote', 'tcp://10.0.0.5:2376', { tls: true });
    const tlsDir = join(home, '.docker', 'contexts', 'tls', createHash('sha256').update('remote').digest('hex'), 'docker');
    expect(resolveDockerEndpoint(null, { HOME: home, DOCKER_CONTEXT: 'remote' }, noDefault)).toEqual({
      url: 'tcp://10.0.0.5:2376',
      source: 'context',
      detail: 'remote',
      tlsDir,
    });
    // DOCKER_CONFIG moves the whole store; a folder not named by hash is still found by the name inside.
    const other = join(root, 'docker-config');
    contextStore(other, 'elsewhere', 'unix:///elsewhere.sock', { current: true, hashed: false });
    expect(resolveDockerEndpoint(null, { HOME: home, DOCKER_CONFIG: other }, noDefault)).toMatchObject({ url: 'unix:///elsewhere.sock', detail: 'elsewhere' });
    // "default" is the docker CLI's name for no context at all; an unknown one is passed over.
    expect(resolveDockerEndpoint(null, { HOME: home, DOCKER_CONTEXT: 'default' }, noDefault).source).not.toBe('context');
    expect(resolveDockerEndpoint(null, { HOME: home, DOCKER_CONTEXT: 'nope' }, noDefault).source).not.toBe('context');
  });

  it('then the rootless socket, the default socket, and the known places of other engines, each only if it exists', async () => {
    const bare = join(root, 'bare-home');
    const runtime = join(root, 'run-user');
    const env = { HOME: bare, XDG_RUNTIME_DIR: runtime };
    const defaultSocket = join(root, 'default', 'docker.sock');
    const options = { platform: 'linux' as const, home: bare, defaultSocket };
    // Nothing anywhere: the default, whose status will say it is missing.
    expect(resolveDockerEndpoint(null, env, options)).toEqual({ url: `unix://${defaultSocket}`, source: 'default' });
    const colima = await socketAt(join(bare, '.colima', 'default', 'docker.sock'));
    expect(resolveDockerEndpoint(null, env, options)).toEqual({ url: `unix://${colima}`, source: 'known', detail: 'Colima' });
    const podman = await socketAt(join(runtime, 'podman', 'podman.sock'));
    rmSync(colima);
    expect(resolveDockerEndpoint(null, env, options)).toEqual({ url: `unix://${podman}`, source: 'known', detail: 'Podman (rootless)' });
    await socketAt(defaultSocket);
    expect(resolveDockerEndpoint(null, env, options)).toEqual({ url: `unix://${defaultSocket}`, source: 'default' });
    const rootless = await socketAt(join(runtime, 'docker.sock'));
    expect(resolveDockerEndpoint(null, env, options)).toEqual({ url: `unix://${rootless}`, source: 'rootless', detail: 'rootless Docker' });
    // A plain file where a socket should be is not an engine.
    writeFileSync(join(root, 'file.sock'), '');
    expect(resolveDockerEndpoint(null, { HOME: bare }, { ...options, defaultSocket: join(root, 'file.sock') }).source).toBe('default');
  });

  it('is the named pipe on Windows when nothing is set', () => {
    expect(resolveDockerEndpoint(null, { HOME: join(root, 'nobody') }, { platform: 'win32' })).toEqual({ url: 'npipe:////./pipe/docker_engine', source: 'default' });
  });
});

describe('dockerode options', () => {
  it('for sockets, pipes, TCP and ssh', () => {
    expect(dockerOptions('unix:///var/run/docker.sock', {})).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerOptions('npipe:////./pipe/docker_engine', {})).toEqual({ socketPath: '//./pipe/docker_engine' });
    expect(dockerOptions('tcp://127.0.0.1:2375', {})).toEqual({ host: '127.0.0.1', port: '2375', protocol: 'http' });
    expect(dockerOptions('tcp://127.0.0.1', { DOCKER_TLS_VERIFY: '1' })).toEqual({ host: '127.0.0.1', port: 2376, protocol: 'https' });
    expect(dockerOptions('ssh://me@build-host', {})).toEqual({ protocol: 'ssh', host: 'build-host', port: 22, username: 'me' });
  });

  it("with a context's TLS material", () => {
    const tlsDir = contextStore(join(root, 'tls-store'), 'secure', 'tcp://10.0.0.9:2376', { tls: true });
    const options = dockerOptionsFor({ url: 'tcp://10.0.0.9:2376', source: 'context', tlsDir }, {});
    expect(options).toMatchObject({ host: '10.0.0.9', port: '2376', protocol: 'https' });
    expect(String(options.ca)).toBe('CA');
  });
});
