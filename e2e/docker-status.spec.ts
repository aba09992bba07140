import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Dockerode from 'dockerode';
import { collectConsoleErrors } from './support/console-errors';
import { DockerSocketProxy } from './support/docker-socket-proxy';
import { startWebHostProcess, type WebHostProcess } from './support/web-host-process';

let dir: string;
let proxy: DockerSocketProxy;
let host: WebHostProcess;

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesoscope-proxy-'));
  proxy = new DockerSocketProxy(join(dir, 'docker.sock'));
  await proxy.start();
  host = await startWebHostProcess({ DOCKER_HOST: proxy.dockerHost });
});

test.afterEach(async () => {
  await host.stop();
  await proxy.cut();
  await rm(dir, { recursive: true, force: true });
});

test('the first screen shows the real engine, notices Docker going away and comes back by itself', async ({ page }) => {
  const engineVersion = (await new Dockerode().version()).Version;
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);

  const panel = page.getByTestId('docker-status');
  await expect(panel).toHaveAttribute('data-state', 'reachable');
  await expect(page.getByTestId('docker-engine-version')).toContainText(`Docker Engine ${engineVersion}`);
  await expect(page.getByTestId('docker-badge')).toContainText(`Docker ${engineVersion}`);
  // The token leaves the address bar once the page has it.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.getByRole('heading', { name: 'Clusters', exact: true })).toBeVisible();
    await expect(page.getByText('No clusters yet')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/first-screen-${scheme}.png` });
  }

  await proxy.cut();
  const cutAt = Date.now();
  await expect(panel).toHaveAttribute('data-state', 'unreachable', { timeout: 5_000 });
  console.log(`unreachable shown ${Date.now() - cutAt} ms after the cut`);
  await expect(panel).toContainText('Not reachable');
  await expect(page.getByTestId('docker-unreachable-reason')).toHaveText('Socket missing');
  await expect(page.getByTestId('docker-unreachable-message')).toContainText(`${proxy.path} does not exist`);
  await expect(page.getByTestId('docker-badge')).toContainText('Docker not reachable');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'test-results/screenshots/docker-unreachable.png' });

  await proxy.restore();
  await expect(panel).toHaveAttribute('data-state', 'reachable', { timeout: 10_000 });
  await expect(page.getByTestId('docker-engine-version')).toContainText(engineVersion);

  expect(errors).toEqual([]);
});

test('settings show the endpoint in use and refuse a malformed one, naming the field', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('endpoint-in-use')).toContainText(proxy.dockerHost);
  await expect(page.getByTestId('endpoint-in-use')).toContainText('from DOCKER_HOST');

  await page.getByLabel('Docker endpoint').fill('ftp://nowhere');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('dockerEndpoint: must look like unix:///var/run/docker.sock');
  await page.screenshot({ path: 'test-results/screenshots/settings-invalid-endpoint.png' });

  // A socket that does not exist is a valid setting: the Docker panel then says why it cannot connect.
  await page.getByLabel('Docker endpoint').fill(`unix://${dir}/nothing.sock`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('endpoint-in-use')).toContainText('set in Settings');
  await page.getByRole('button', { name: 'Clusters' }).click();
  await expect(page.getByTestId('docker-unreachable-reason')).toHaveText('Socket missing');

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Use default' }).click();
  await expect(page.getByTestId('endpoint-in-use')).toContainText('from DOCKER_HOST');
  await page.getByRole('button', { name: 'Clusters' }).click();
  await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'reachable');
});

test('a page opened without the token is told where the access link comes from, and gets no API', async ({ page }) => {
  const bare = new URL(host.url);
  bare.search = '';
  await page.goto(bare.toString());
  await expect(page.getByText('Open Mesoscope with its access link')).toBeVisible();

  const status = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    bare.toString().replace('http:', 'ws:') + 'api?token=wrong',
  );
  expect(status).toBe('refused');
});

test('a tab whose host was restarted (new token) says so instead of reconnecting forever', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('docker-status')).toBeVisible();
  // The token stays in the tab's session storage; a reload against another host's token is refused.
  await page.evaluate("sessionStorage.setItem('mesoscope.token', 'a-token-of-an-earlier-host')");
  await page.reload();
  await expect(page.getByText('The Mesoscope host was restarted since this page was opened')).toBeVisible();
});
