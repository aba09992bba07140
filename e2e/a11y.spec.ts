import { mkdir, stat } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { startCluster, type RunningCluster } from '../electron/index';
import { axeViolations } from './support/axe';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * axe-core on every main view, in the light and the dark theme: no violation of WCAG 2 A / AA (colour
 * contrast among them). A cluster with tasks that ran (one failed, so the drawer has its doctor) gives
 * the views something to show. Each checked screen is saved under test-results/a11y/ to look at.
 */

const CLUSTER = 'a11y-e2e';
const SHOTS = 'test-results/a11y';
let host: WebHostProcess;
let cluster: RunningCluster;


test.beforeAll(async () => {
  test.setTimeout(180_000);
  await mkdir(SHOTS, { recursive: true });
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    { name: CLUSTER, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES, masters: { flags: { allocation_interval: '250ms' } } },
    { workRoot: host.workRoot },
  );
});

test.afterAll(async () => {
  await cluster?.destroy();
  await host?.stop();
});

const THEMES = ['light', 'dark'] as const;

/**
 * axe on the page as it is now, in each theme (the app follows the system's; switched here while the
 * screen stays); the violations named with their elements when there are any.
 */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('.radix-themes').first()).toHaveClass(new RegExp(`\\b${theme}\\b`));
    const found = await axeViolations(page);
    await page.screenshot({ path: `${SHOTS}/${screen}-${theme}.png` });
    // Soft: every screen is checked and reported, the test fails at its end.
    expect.soft(found, `${screen} (${theme}): axe found\n${found.join('\n')}`).toEqual([]);
  }
}

async function openCluster(page: Page): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${CLUSTER}`).click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
}

test('the first screen, New cluster, Settings, Logs and Recordings', async ({ page }) => {
  // Generous: axe takes seconds a screen on 2 busy cores.
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await expect(page.getByTestId(`cluster-card-${CLUSTER}`)).toBeVisible();
  await expectAccessible(page, 'first-screen');

  await page.getByRole('button', { name: 'New cluster' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('1 master, 3 agents').click();
  await expect(dialog.getByLabel('Cluster spec')).toHaveValue(/count: 3/);
  await expectAccessible(page, 'new-cluster');
  await dialog.getByLabel('Cluster spec').fill('name: x\nmasters:\n  count: 2\n');
  await expect(dialog.getByTestId('spec-issues')).toBeVisible();
  await expectAccessible(page, 'new-cluster-invalid');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId(`image-check-${TEST_IMAGES.zookeeper}`)).toContainText('Present');
  await expectAccessible(page, 'settings');

  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: CLUSTER }).click();
  await page.getByTestId('logs-node').click();
  await page.getByRole('option', { name: /master-1 · container log/ }).click();
  await expect(page.getByTestId('log-line').first()).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, 'logs');

  await page.getByRole('button', { name: 'Recordings' }).click();
  await expect(page.getByText('No recordings yet').or(page.getByTestId('recordings-list'))).toBeVisible();
  await expectAccessible(page, 'recordings');
  expect(errors).toEqual([]);
});

test('the cluster page, each tab, the Run dialog, the task drawer; its recording, downloaded and replayed', async ({ page }) => {
  test.setTimeout(420_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  await expect(page.getByTestId('leader-mark')).toHaveCount(1);
  await page.getByTestId('record-start').click();
  await expect(page.getByTestId('record-stop')).toBeVisible();
  await expectAccessible(page, 'cluster-nodes');

  // A failed command task: rows in the table, and a drawer with the doctor's word.
  const name = 'a11y-task';
  await page.getByTestId('run-task').click();
  const run = page.getByTestId('run-dialog');
  await run.getByRole('textbox', { name: 'Task name' }).fill(name);
  await run.getByRole('textbox', { name: 'Command' }).fill('echo hello; exit 3');
  await expectAccessible(page, 'run-dialog');
  await run.getByTestId('run-submit').click();
  await expect(run.getByTestId('run-result')).toContainText('Framework mesoscope', { timeout: 30_000 });
  await expect(run.getByTestId('offer-decision-accepted')).toHaveCount(1, { timeout: 30_000 });
  await expectAccessible(page, 'run-result');
  await run.getByRole('button', { name: 'Close' }).click();

  for (const tab of ['Overview', 'Tasks', 'Frameworks', 'Offers', 'Services', 'Endpoints', 'Faults']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    if (tab === 'Tasks') await expect(page.locator(`[data-testid^="task-row-${name}"]`).first()).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 30_000 });
    await expectAccessible(page, `cluster-${tab.toLowerCase()}`);
  }

  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await page.locator(`[data-testid^="task-row-${name}"]`).first().click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByTestId('task-timeline')).toContainText('FAILED');
  await expectAccessible(page, 'task-drawer');
  await page.keyboard.press('Escape');
  await page.getByTestId('record-stop').click();
  await expect(page.getByTestId('record-saved')).toBeVisible();

  // The recording: listed, downloaded as a file, replayed in the same Mesos tabs.
  await page.getByRole('button', { name: 'Recordings' }).click();
  const row = page.locator('[data-testid^="recording-"]', { hasText: CLUSTER }).first();
  await expect(row).toBeVisible();
  await expectAccessible(page, 'recordings-list');
  const download = page.waitForEvent('download');
  await row.getByTestId('recording-download').click();
  const saved = await (await download).path();
  expect((await stat(saved)).size).toBeGreaterThan(0);
  await row.getByRole('button', { name: 'Open' }).click();
  const replay = page.getByTestId('replay');
  await expect(replay.getByTestId('replay-badge')).toBeVisible({ timeout: 30_000 });
  await replay.getByRole('button', { name: 'End of the recording' }).click();
  for (const tab of ['Overview', 'Frameworks', 'Offers', 'Tasks']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    if (tab === 'Tasks') await expect(page.locator(`[data-testid^="task-row-${name}"]`).first()).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 15_000 });
    await expectAccessible(page, `replay-${tab.toLowerCase()}`);
  }
  await page.locator(`[data-testid^="task-row-${name}"]`).first().click();
  await expect(page.getByTestId('task-drawer').getByTestId('task-timeline')).toContainText('FAILED');
  await expectAccessible(page, 'replay-drawer');
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});
