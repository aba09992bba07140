import { chmod, chown, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../api/dispatcher';
import { fakeHandlers } from '../api/fake-handlers.test-support';
import { connectToHost } from '../cli/host-client';
import { findHostEndpoint, HOST_ENDPOINT_FILE, hostApiUrl, publishHostEndpoint } from './host-endpoint';
import { startWebHost } from './server';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-endpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alive = () => true;
const file = () => join(dir, HOST_ENDPOINT_FILE);

describe('the running host, as the CLI finds it', () => {
  it('publishes its API socket readable by its owner only, and takes it back on the way out', async () => {
    const endpoint = { pid: process.pid, url: hostApiUrl('127.0.0.1', 4242, 'tok/en') };
    const unpublish = await publishHostEndpoint(join(dir, 'not-yet-made'), endpoint);
    expect(await findHostEndpoint(join(dir, 'not-yet-made'))).toEqual({ kind: 'found', endpoint });
    expect(endpoint.url).toBe('ws://127.0.0.1:4242/api?token=tok%2Fen');
    expect((await stat(join(dir, 'not-yet-made', HOST_ENDPOINT_FILE))).mode & 0o777).toBe(0o600);
    await unpublish();
    expect(await findHostEndpoint(join(dir, 'not-yet-made'))).toEqual({ kind: 'none' });
    expect(await readdir(join(dir, 'not-yet-made'))).toEqual([]);
  });

  it('leaves a newer host\'s file alone when an older one goes', async () => {
    const older = await publishHostEndpoint(dir, { pid: 1, url: hostApiUrl('127.0.0.1', 1, 'a') });
    const newer = { pid: process.pid, url: hostApiUrl('::1', 2, 'b') };
    await publishHostEndpoint(dir, newer);
    await older();
    expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'found', endpoint: newer });
    expect(newer.url).toBe('ws://[::1]:2/api?token=b');
  });

  it('drops the file of a host that ended without taking it back', async () => {
    await publishHostEndpoint(dir, { pid: 999_999, url: hostApiUrl('127.0.0.1', 1, 'a') });
    expect(await findHostEndpoint(dir, () => false)).toEqual({ kind: 'none' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not trust a file others may read or write, someone else\'s, a link, or one that is not an endpoint', async () => {
    await writeFile(file(), JSON.stringify({ pid: process.pid, url: 'ws://127.0.0.1:1/api?token=x' }), { mode: 0o644 });
    await chmod(file(), 0o644);
    expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'ignored', why: expect.stringMatching(/may be read or written by others \(mode 644\)/) });

    await chmod(file(), 0o600);
    if (process.getuid?.() === 0) {
      await chown(file(), 1234, 1234);
      expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'ignored', why: expect.stringMatching(/belongs to another user \(uid 1234\)/) });
      await chown(file(), 0, 0);
    }

    await writeFile(file(), '{"pid": "one", "url": "http://elsewhere"}');
    expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'ignored', why: expect.stringMatching(/not a host endpoint \(pid: .*url: /) });
    await writeFile(file(), 'not json');
    expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'ignored', why: expect.stringMatching(/not a host endpoint \(not JSON\)/) });

    await rm(file());
    await writeFile(join(dir, 'elsewhere.json'), JSON.stringify({ pid: process.pid, url: 'ws://127.0.0.1:1/api?token=x' }), { mode: 0o600 });
    await symlink(join(dir, 'elsewhere.json'), file());
    expect(await findHostEndpoint(dir, alive)).toEqual({ kind: 'ignored', why: expect.stringMatching(/is not a plain file/) });
  });
});

describe('the CLI\'s connection to a running host', () => {
  it('answers through the host once open; tells when the host goes, once', async () => {
    const host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, token: 'secret' });
    let lost = 0;
    const connected = await connectToHost(hostApiUrl('127.0.0.1', host.port, 'secret'), () => (lost += 1));
    expect(connected).not.toBeNull();
    await expect(connected!.client.call('settings.get', {})).resolves.toBeTruthy();
    await host.close();
    await expect.poll(() => lost).toBe(1);
    connected!.close();
  });

  it('gives up at once on a wrong token or a closed port, so that the CLI runs the engine itself', async () => {
    const host = await startWebHost({ dispatcher: createDispatcher(fakeHandlers()), rendererDir: __dirname, token: 'secret' });
    try {
      // A minute to connect: only giving up at the refusal ends these within the test's time.
      expect(await connectToHost(hostApiUrl('127.0.0.1', host.port, 'not-the-token'), () => undefined, 60_000)).toBeNull();
    } finally {
      await host.close();
    }
    expect(await connectToHost(hostApiUrl('127.0.0.1', host.port, 'secret'), () => undefined, 60_000)).toBeNull();
  });
});
