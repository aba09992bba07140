import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSummary } from '@shared/cluster/status';
import { ArtifactServers } from './artifact-server';

/**
 * Issue 15 #4: `GET /<id>/%` threw URIError outside any handler and ended the process; ids were
 * 32 bits; the server answered every container on the host. Now: a bad escape is a 404, ids are
 * 128 bits, and on a bridge network only the cluster's subnet is served.
 */

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-artifacts-'));
  file = join(dir, 'hello.sh');
  await writeFile(file, 'echo hello\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function summary(network: 'host' | 'bridge'): ClusterSummary {
  return { name: 'art', layout: { network, hostAddress: '127.0.0.1' } } as unknown as ClusterSummary;
}

/** Docker as the artifact server asks it: not Docker Desktop, and a bridge network with this gateway and subnet. */
function docker(subnet: string) {
  return {
    info: async () => ({ OperatingSystem: 'Debian GNU/Linux 12 (bookworm)' }),
    getNetwork: () => ({ inspect: async () => ({ IPAM: { Config: [{ Gateway: '127.0.0.1', Subnet: subnet }] } }) }),
  } as never;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the artifact server', () => {
  it('answers malformed escapes with 404 and stays up; ids are 128 bits', async () => {
    const servers = new ArtifactServers({ docker: () => docker('127.0.0.0/8'), cluster: async () => summary('host') });
    try {
      const view = await servers.add('art', file);
      const served = view.files[0]!;
      expect(served.id).toMatch(/^[0-9a-f]{32}$/);
      const base = `http://127.0.0.1:${view.port}`;
      for (const path of [`/${served.id}/%`, `/${served.id}/%zz`, `/${served.id}/%E0%A4%A`, `/${served.id}/%ED%A0%80`, '/%', '/x/y/z']) {
        expect((await get(`${base}${path}`)).status, path).toBe(404);
      }
      expect(await get(served.url)).toEqual({ status: 200, body: 'echo hello\n' });
      // The id's first 8 characters (a 32-bit id of old) are no key.
      expect((await get(`${base}/${served.id.slice(0, 8)}/hello.sh`)).status).toBe(404);
    } finally {
      await servers.dispose();
    }
  });

  it("on a bridge network only the cluster's subnet is served", async () => {
    const outside = new ArtifactServers({ docker: () => docker('10.99.0.0/16'), cluster: async () => summary('bridge') });
    const inside = new ArtifactServers({ docker: () => docker('127.0.0.0/8'), cluster: async () => summary('bridge') });
    try {
      const refused = (await outside.add('art', file)).files[0]!;
      expect(await get(refused.url)).toEqual({ status: 403, body: "Only the cluster's own containers may fetch these files.\n" });
      const served = (await inside.add('art', file)).files[0]!;
      expect((await get(served.url)).status).toBe(200);
    } finally {
      await outside.dispose();
      await inside.dispose();
    }
  });
});
