import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOptions } from './endpoint';

/**
 * Issue 15 #1: dockerd answers 301 to a path holding `..`, and docker-modem followed the redirect to
 * a host built from the image name, on a request without an error handler: the process died. Now no
 * Dockerode client follows a redirect; the call fails with an error and nothing is fetched elsewhere.
 */
describe('Dockerode clients follow no redirect', () => {
  let elsewhere: http.Server;
  let elsewhereHits = 0;
  let redirecting: http.Server;
  let redirectingUrl = '';

  const listen = async (server: http.Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  beforeAll(async () => {
    elsewhere = http.createServer((_req, res) => {
      elsewhereHits += 1;
      res.end('{}');
    });
    const target = await listen(elsewhere);
    // A daemon that redirects everything, as dockerd does for a path it cleans.
    redirecting = http.createServer((_req, res) => res.writeHead(301, { Location: `http://127.0.0.1:${target}/version` }).end());
    redirectingUrl = `tcp://127.0.0.1:${await listen(redirecting)}`;
  });

  afterAll(async () => {
    await new Promise((r) => elsewhere.close(r));
    await new Promise((r) => redirecting.close(r));
  });

  it('a 301 from the Docker endpoint is an error, and its Location is never asked', async () => {
    const docker = new Dockerode(dockerOptions(redirectingUrl, {}));
    await expect(docker.getImage('busybox').inspect()).rejects.toThrow(/redirect/i);
    await expect(docker.version()).rejects.toThrow();
    expect(elsewhereHits).toBe(0);
  });

  it("the real daemon's redirect for ../../version is an error, not a request to a host named version", async () => {
    const docker = new Dockerode(dockerOptions('unix:///var/run/docker.sock', {}));
    const err = await docker
      .getImage('../../version')
      .inspect()
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(err?.message).toMatch(/redirect|301|not found|invalid/i);
    expect(err?.message).not.toMatch(/ENOTFOUND/);
  });
});
