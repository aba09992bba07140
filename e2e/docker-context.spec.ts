import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { collectConsoleErrors } from './support/console-errors';
import { DockerSocketProxy } from './support/docker-socket-proxy';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

// No DOCKER_HOST and no setting: the host finds the daemon through the docker CLI's current context,
// which reaches it through another socket (a proxy in a temp folder), and says so.
const CONTEXT = 'mesoscope-e2e';
let dir: string;
let proxy: DockerSocketProxy;
let host: WebHostProcess;

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-context-'));
  proxy = new DockerSocketProxy(join(dir, 'proxied.sock'));
  await proxy.start();
  const meta = join(dir, 'docker-config', 'contexts', 'meta', createHash('sha256').update(CONTEXT).digest('hex'));
  await mkdir(meta, { recursive: true });
  await writeFile(join(meta, 'meta.json'), JSON.stringify({ Name: CONTEXT, Metadata: {}, Endpoints: { docker: { Host: proxy.dockerHost, SkipTLSVerify: false } } }));
  await writeFile(join(dir, 'docker-config', 'config.json'), JSON.stringify({ currentContext: CONTEXT }));
  host = await startWebHostProcess({ DOCKER_HOST: '', DOCKER_CONTEXT: '', DOCKER_CONFIG: join(dir, 'docker-config') });
});

test.afterEach(async () => {
  await host.stop();
  await proxy.cut();
  await rm(dir, { recursive: true, force: true });
});

test("the current docker context is found, used, and named in the status and in Settings", async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'reachable');
  await expect(page.getByTestId('docker-status')).toContainText(`docker context “${CONTEXT}”`);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('endpoint-in-use')).toContainText(proxy.dockerHost);
  await expect(page.getByTestId('endpoint-in-use')).toContainText(`docker context “${CONTEXT}”`);
  await page.screenshot({ path: 'test-results/screenshots/settings-docker-context.png' });

  // Used, not only shown: with the context's socket cut, the engine is gone.
  await proxy.cut();
  await page.getByRole('button', { name: 'Clusters' }).click();
  await expect(page.getByTestId('docker-unreachable-reason')).toHaveText('Socket missing', { timeout: 10_000 });
  await expect(page.getByTestId('docker-unreachable-message')).toContainText(`${proxy.path} does not exist`);
  expect(errors).toEqual([]);
});
