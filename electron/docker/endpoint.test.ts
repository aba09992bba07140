import { describe, expect, it } from 'vitest';
import { dockerOptions, resolveDockerEndpoint } from './endpoint';

describe('the Docker endpoint', () => {
  it('is the one from Settings, else DOCKER_HOST, else the platform default', () => {
    const env = { DOCKER_HOST: 'tcp://127.0.0.1:2375' };
    expect(resolveDockerEndpoint('unix:///custom.sock', env)).toEqual({ url: 'unix:///custom.sock', source: 'settings' });
    expect(resolveDockerEndpoint(null, env)).toEqual({ url: 'tcp://127.0.0.1:2375', source: 'DOCKER_HOST' });
    expect(resolveDockerEndpoint(null, {}, 'linux')).toEqual({ url: 'unix:///var/run/docker.sock', source: 'default' });
    expect(resolveDockerEndpoint(null, {}, 'win32')).toEqual({ url: 'npipe:////./pipe/docker_engine', source: 'default' });
  });

  it('becomes dockerode options for sockets, pipes and TCP', () => {
    expect(dockerOptions('unix:///var/run/docker.sock', {})).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerOptions('npipe:////./pipe/docker_engine', {})).toEqual({ socketPath: '//./pipe/docker_engine' });
    expect(dockerOptions('tcp://127.0.0.1:2375', {})).toEqual({ host: '127.0.0.1', port: '2375', protocol: 'http' });
    expect(dockerOptions('tcp://127.0.0.1', { DOCKER_TLS_VERIFY: '1' })).toEqual({ host: '127.0.0.1', port: 2376, protocol: 'https' });
  });
});
