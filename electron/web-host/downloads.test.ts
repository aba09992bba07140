import http from 'node:http';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { DownloadTickets } from './downloads';
import { startWebHost, type WebHost } from './server';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function get(port: number, path: string, hostHeader = `127.0.0.1:${port}`): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { Host: hostHeader } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      })
      .on('error', reject);
  });
}

describe('downloads in the web host', () => {
  const bytes = Buffer.from([0, 1, 0xff, 0xfe, ...Buffer.from('é\n')]);
  const file = { name: 'blob é.bin', size: bytes.length, open: async () => ({ stream: Readable.from([bytes]), size: bytes.length }) };

  it('serves a file once, under a one-time link, as an attachment with its name', async () => {
    const downloads = new DownloadTickets();
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, downloads });
    const outcome = await downloads.offer(file);
    expect(outcome).toMatchObject({ kind: 'url', name: 'blob é.bin', url: expect.stringMatching(/^\/api\/download\/[\w-]{32}$/) });
    const url = (outcome as { url: string }).url;
    const first = await get(host.port, url);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(bytes);
    expect(first.headers['content-disposition']).toBe("attachment; filename*=UTF-8''blob%20%C3%A9.bin");
    expect(first.headers['content-length']).toBe(String(bytes.length));
    expect((await get(host.port, url)).status).toBe(404);
    expect((await get(host.port, '/api/download/made-up')).status).toBe(404);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    const downloads = new DownloadTickets();
    host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, downloads });
    const { url } = (await downloads.offer(file)) as { url: string };
    expect((await get(host.port, url, 'evil.example')).status).toBe(403);
    // The refused attempt did not use the link up.
    expect((await get(host.port, url)).status).toBe(200);
  });
});
