import { expect, test } from '@playwright/test';
import { startCluster, type RunningCluster } from '../electron/index';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * The fault cards and the doctor cite the project's Mesos notes (docs/mesos): each citation opens the
 * Reference page at the cited row or section, with the cited text in view and marked, and Back returns.
 */

const CLUSTER = 'ref-e2e';
let host: WebHostProcess;
let cluster: RunningCluster;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster({ name: CLUSTER, pullPolicy: 'never', images: TEST_IMAGES }, { workRoot: host.workRoot });
});

test.afterAll(async () => {
  await cluster?.destroy();
  await host?.stop();
});

test("a fault card's row opens faults.md at that row, in view and marked; Back returns to the cluster", async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${CLUSTER}`).click();
  await page.getByRole('tab', { name: 'Faults' }).click();
  const card = page.getByTestId('fault-stop-agent');
  await expect(card.getByTestId('fault-rows')).toContainText('faults.md 12');
  await card.getByTestId('citation').filter({ hasText: /^12$/ }).click();

  const doc = page.getByTestId('reference-doc');
  await expect(doc).toHaveAttribute('data-doc', 'faults');
  const row = doc.locator('#row-12');
  await expect(row).toHaveAttribute('data-cited', 'true');
  await expect(row).toContainText("the agent's container is stopped, then started again on the same work dir");
  await expect(row).toContainText('FAILED / REASON_EXECUTOR_TERMINATED / AGENT / Container terminated');
  await expect(row).toBeInViewport();
  await page.screenshot({ path: 'test-results/screenshots/reference-fault-row.png' });

  await page.getByTestId('reference-back').click();
  await expect(page.getByTestId('fault-stop-agent').or(page.getByRole('tab', { name: 'Faults' }))).toBeVisible();
  expect(errors).toEqual([]);
});

test('the wiped-agent card cites api.md §9 #17: the catalogue row with its message, in view', async ({ page }) => {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${CLUSTER}`).click();
  await page.getByRole('tab', { name: 'Faults' }).click();
  await page.getByTestId('fault-wipe-agent').getByTestId('citation').filter({ hasText: 'api.md §9 #17' }).click();
  const row = page.getByTestId('reference-doc').locator('#row-17');
  await expect(page.getByTestId('reference-doc')).toHaveAttribute('data-doc', 'api');
  await expect(row).toHaveAttribute('data-cited', 'true');
  await expect(row).toContainText('a new agent registered at the same address');
  await expect(row).toBeInViewport();
});

test('the Reference page from the navigation: each document, its numbered sections as targets', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Reference' }).click();
  const doc = page.getByTestId('reference-doc');
  await expect(doc.locator('#sec-0\\.13')).toContainText('Some changes produce no event');
  await page.getByRole('radio', { name: 'images.md' }).click();
  await expect(doc).toHaveAttribute('data-doc', 'images');
  await expect(doc).toContainText('avhost/mesos-mini:v1.11.0-0.8.0');
  await expect(page.getByTestId('reference-back')).toHaveCount(0);
});
