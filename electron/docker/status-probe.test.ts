import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { explainDockerError, probeDockerStatus } from './status-probe';

const dir = await mkdtemp(join(tmpdir(), 'mesoscope-probe-'));
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  await rm(dir, { recursive: true, force: true });
});

function probeSocket(path: string, timeoutMs = 500) {
  const endpoint = { url: `unix://${path}`, source: 'settings' as const };
  return probeDockerStatus(new Dockerode({ socketPath: path }), endpoint, timeoutMs);
}

describe('probing an engine that cannot be used', () => {
  it('names a socket that does not exist', async () => {
    const status = await probeSocket(join(dir, 'missing.sock'));
    expect(status).toMatchObject({ reachable: false, reason: 'socket-missing' });
    expect(status.reachable || status.message).toBe(`${join(dir, 'missing.sock')} does not exist: Docker is not installed or not running.`);
  });

  it('says a daemon that accepts but never answers timed out', async () => {
    const path = join(dir, 'hang.sock');
    const server = createServer(() => {});
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const status = await probeSocket(path, 300);
    expect(status).toMatchObject({ reachable: false, reason: 'timeout' });
  });

  it('says a socket nobody listens on is not answering', async () => {
    // Refused on TCP: a port that was just free and has no listener.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const endpoint = { url: `tcp://127.0.0.1:${port}`, source: 'settings' as const };
    const status = await probeDockerStatus(new Dockerode({ host: '127.0.0.1', port }), endpoint, 1000);
    expect(status).toMatchObject({ reachable: false, reason: 'not-answering' });
    expect(status.reachable || status.message).toContain('refused the connection');
  });

  it('explains permission denied on the socket', async () => {
    const path = join(dir, 'locked.sock');
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    await chmod(path, 0o000);
    // root opens any socket, so the real EACCES cannot be produced here; the error dockerode gives is.
    const error = Object.assign(new Error(`connect EACCES ${path}`), { code: 'EACCES' });
    const explained = explainDockerError(error, { url: `unix://${path}`, source: 'default' }, 1000);
    expect(explained.reason).toBe('permission-denied');
    expect(explained.message).toContain(`Permission denied on ${path}`);
  });

  it('reports an HTTP error from the daemon with its status', () => {
    const error = Object.assign(new Error('(HTTP code 500) server error - boom'), { statusCode: 500 });
    expect(explainDockerError(error, { url: 'unix:///d.sock', source: 'default' }, 1000)).toEqual({
      reason: 'error',
      message: 'The Docker daemon at /d.sock answered HTTP 500: (HTTP code 500) server error - boom',
    });
  });
});
