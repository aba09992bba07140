import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Dockerode from 'dockerode';
import { parse } from 'yaml';
import { ON_REAL_MESOS } from '../testbed/real-mesos/images';
import { collectConsoleErrors } from './support/console-errors';
import { attachNodeLogsOnFailure } from './support/node-logs-on-failure';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

const docker = new Dockerode();
const NAME = 'e2e-demo';
let host: WebHostProcess;

async function removeCluster(name: string) {
  const containers = await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${name}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  const { Volumes } = await docker.listVolumes({ filters: { label: [`io.mesoscope.cluster=${name}`] } });
  await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).remove()));
}

test.beforeEach(async () => {
  await removeCluster(NAME);
  // The testbed images as Settings' defaults, as a user would set them on the Settings page.
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
});

test.afterEach(async ({ page: _page }, testInfo) => {
  await attachNodeLogsOnFailure(testInfo, NAME, host.output());
  await host.stop();
  await removeCluster(NAME);
});

test('create a cluster from a preset, watch it come up, add an agent, stop a node, destroy it', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await expect(page.getByText('No clusters yet')).toBeVisible();

  await page.getByRole('button', { name: 'New cluster' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Cluster name').fill(NAME);
  await dialog.getByText('1 master, 3 agents').click();
  await expect(dialog.getByLabel('Cluster spec')).toHaveValue(/count: 3/);
  await page.screenshot({ path: 'test-results/screenshots/new-cluster.png' });

  // The editor validates as you type, naming the field and the rule.
  const spec = dialog.getByLabel('Cluster spec');
  await spec.fill(`name: ${NAME}\nmasters:\n  count: 2\n`);
  await expect(dialog.getByTestId('spec-issues')).toHaveText('masters.count: must be 1 or 3');
  await expect(dialog.getByRole('button', { name: 'Launch' })).toBeDisabled();
  await page.screenshot({ path: 'test-results/screenshots/new-cluster-invalid.png' });
  await dialog.getByText('1 master, 3 agents').click();
  await expect(dialog.getByTestId('spec-issues')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Launch' }).click();
  await expect(dialog.getByTestId('launch-progress')).toBeVisible({ timeout: 30_000 });
  const nodes = ['zookeeper-1', 'master-1', 'agent-1', 'agent-2', 'agent-3'].map((n) => `mesoscope-${NAME}-${n}`);
  for (const node of nodes) {
    await expect(dialog.getByTestId(`launch-row-${node}`)).toHaveAttribute('data-step', 'ready', { timeout: 90_000 });
  }
  await expect(dialog.getByTestId('launch-progress')).toContainText('Ready');
  await page.screenshot({ path: 'test-results/screenshots/launch-progress.png' });

  await dialog.getByRole('button', { name: `Open ${NAME}` }).click();
  await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
  for (const node of nodes) await expect(page.getByTestId(`node-${node}`)).toHaveAttribute('data-state', 'running');
  // The badge says what the masters report: the emulator marks itself, real Mesos does not.
  await expect(page.getByTestId('mesos-badge')).toHaveText(ON_REAL_MESOS ? 'Mesos 1.12.0' : 'Mesos 1.12.0 · emulator');
  await expect(page.getByTestId('connection-info')).toContainText('export MESOS_MASTER=zk://127.0.0.1:');
  await expect(page.getByTestId('cluster-state')).toHaveText('Running');
  await page.screenshot({ path: 'test-results/screenshots/cluster-page.png', fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/cluster-page-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'Add agent' }).click();
  await expect(page.getByTestId(`node-mesoscope-${NAME}-agent-4`)).toHaveAttribute('data-state', 'running', { timeout: 60_000 });

  await page.getByRole('button', { name: `Actions for mesoscope-${NAME}-agent-2` }).click();
  await page.getByRole('menuitem', { name: 'Stop' }).click();
  const stopped = page.getByTestId(`node-mesoscope-${NAME}-agent-2`);
  await expect(stopped).toHaveAttribute('data-state', 'exited', { timeout: 30_000 });
  await expect(stopped.getByTestId('node-state')).toHaveText(/^exited/);
  await expect(page.getByTestId('cluster-state')).toHaveText('5 of 6 running');
  await page.screenshot({ path: 'test-results/screenshots/cluster-node-stopped.png', fullPage: true });

  // Export the spec, as a file a colleague can import.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export spec' }).click();
  await page.getByRole('menuitem', { name: 'YAML' }).click();
  const file = await (await download).path();
  const exported = parse(await readFile(file, 'utf8')) as { name: string; agents: { list: unknown[] } };
  expect(exported.name).toBe(NAME);
  expect(exported.agents.list).toHaveLength(4);

  // The whole cluster stopped and started again.
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('cluster-state')).toHaveText('Stopped', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByTestId('cluster-state')).toHaveText('Running', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Destroy' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Destroy' }).click();
  await expect(page.getByText('No clusters yet')).toBeVisible({ timeout: 60_000 });
  const left = await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${NAME}`] } });
  expect(left).toHaveLength(0);
  expect(errors).toEqual([]);
});

test('a spec imported from a file lands in the editor, validated', async ({ page }, testInfo) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New cluster' }).first().click();
  await mkdir(testInfo.outputDir, { recursive: true });
  const path = join(testInfo.outputDir, 'imported.yaml');
  await writeFile(path, 'name: imported\nmasters:\n  count: 3\nagents:\n  list:\n    - resources: { cpus: 2, mem: 2048 }\n');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import…' }).click();
  await (await chooser).setFiles(path);
  await expect(page.getByLabel('Cluster spec')).toHaveValue(/name: imported/);
  await expect(page.getByRole('dialog').getByTestId('spec-issues')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Launch' })).toBeEnabled();
});

test('Settings shows the default images and checks them against this Docker host', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Default Agent image')).toHaveValue(TEST_IMAGES.agent);
  const check = page.getByTestId(`image-check-${TEST_IMAGES.zookeeper}`);
  await expect(check).toContainText(/^Present · (amd64|arm64) \(this engine: (amd64|arm64)\)$/);
  await page.screenshot({ path: 'test-results/screenshots/settings.png', fullPage: true });
});
