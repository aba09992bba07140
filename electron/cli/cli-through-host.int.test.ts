import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core';
import { hostApiUrl, publishHostEndpoint } from '../web-host/host-endpoint';
import { startWebHost } from '../web-host/server';
import { mesoscopeCli } from '../../testbed/support/mesoscope-cli';

// The CLI and a published host (the journey through a running web host is e2e/cli-beside-app.spec.ts):
// it answers through the host's socket, and runs the engine itself, saying so, when that socket is gone.

let dir: string;
let env: NodeJS.ProcessEnv;
let core: Core;

const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 60_000 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-via-host-'));
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: join(dir, 'config'), MESOSCOPE_WORK_ROOT: join(dir, 'work') };
  core = await createCore({ env });
});

afterAll(async () => {
  await core?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('the CLI and a published host', () => {
  it("answers through the host's socket", async () => {
    const sockets: number[] = [];
    const host = await startWebHost({ dispatcher: core.dispatcher, rendererDir: __dirname, onConnections: (n) => sockets.push(n) });
    const unpublish = await publishHostEndpoint(join(dir, 'config'), { pid: process.pid, url: hostApiUrl('127.0.0.1', host.port, host.token) });
    try {
      const ls = await mesoscope('ls', '--json');
      expect([ls.code, ls.stderr]).toEqual([0, '']);
      expect(Array.isArray(JSON.parse(ls.stdout))).toBe(true);
      // The CLI's socket opened, and closed when the command ended.
      await expect.poll(() => sockets).toEqual([1, 0]);
    } finally {
      await unpublish();
      await host.close();
    }
  }, 60_000);

  it('runs the engine itself when the published host does not answer, and says so', async () => {
    // The endpoint of a host that is alive (this process) but whose socket is gone.
    const gone = await startWebHost({ dispatcher: core.dispatcher, rendererDir: __dirname });
    const unpublish = await publishHostEndpoint(join(dir, 'config'), { pid: process.pid, url: hostApiUrl('127.0.0.1', gone.port, gone.token) });
    await gone.close();
    try {
      const ls = await mesoscope('ls', '--json');
      expect(ls.code, ls.stderr).toBe(0);
      expect(ls.stderr).toMatch(/Mesoscope \(pid \d+\) did not answer on its API socket: running the engine in this process/);
      expect(Array.isArray(JSON.parse(ls.stdout))).toBe(true);
    } finally {
      await unpublish();
    }
  }, 60_000);
});
