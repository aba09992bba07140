import { expect, type Page, test } from '@playwright/test';
import { startCluster, type RunningCluster } from '../electron/index';
import { get } from '../electron/mesos/http';
import { collectConsoleErrors } from './support/console-errors';
import { closeDrawer, drawerOf } from './support/fault-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * The seed demo of issue 17 through the UI: a Redis service of 2 instances with a port each (the Redis
 * demo of the New service dialog, on the test image built from Debian's redis-server); Endpoints lists
 * 2 host:port; a one-off task runs redis-cli against one (SET x 7, GET x) and its stdout shows 7; an
 * instance killed from its drawer is relaunched on a new port and Endpoints follows within 2 s of the
 * new instance running.
 */

const CLUSTER = 'svc-e2e';
const REDIS_IMAGE = 'mesoscope/redis:test';

let host: WebHostProcess;
let cluster: RunningCluster;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    { name: CLUSTER, masters: { count: 1, flags: { allocation_interval: '250ms' } }, agents: { count: 2 }, pullPolicy: 'never', images: TEST_IMAGES },
    { workRoot: host.workRoot },
  );
});

test.afterAll(async () => {
  await cluster?.destroy();
  await host?.stop();
});

async function openCluster(page: Page): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${CLUSTER}`).click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
}

/** The endpoints shown, as `host:port` → task id. */
async function shownEndpoints(page: Page): Promise<Map<string, string>> {
  const rows = page.getByTestId('endpoint');
  const out = new Map<string, string>();
  for (const row of await rows.all()) out.set((await row.getAttribute('data-address')) ?? '', (await row.getAttribute('data-task-id')) ?? '');
  return out;
}

/** When the master saw the task RUNNING (its status timestamp), in ms. */
async function runningAt(taskId: string): Promise<number> {
  const tasks = JSON.parse((await get(`http://${cluster.master}/master/tasks`)).body) as { tasks: Array<{ id: string; statuses: Array<{ state: string; timestamp: number }> }> };
  const status = tasks.tasks.find((t) => t.id === taskId)?.statuses.find((s) => s.state === 'TASK_RUNNING');
  if (!status) throw new Error(`${taskId} has no RUNNING status at the master`);
  return status.timestamp * 1000;
}

test('Redis as a service: 2 instances, their endpoints, redis-cli from a one-off task, a killed instance relaunched and followed', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  await openTab(page, 'Services');

  // The Redis demo, on the test image; a bad id is refused with the field named before anything is sent.
  await page.getByTestId('new-service').click();
  await page.getByTestId('redis-demo').click();
  await page.getByRole('textbox', { name: 'Service image' }).fill(REDIS_IMAGE);
  await page.getByRole('textbox', { name: 'Service id' }).fill('Redis!');
  await expect(page.getByRole('alert')).toContainText('id: must be 1-32 lower-case letters');
  await page.getByRole('textbox', { name: 'Service id' }).fill('redis');
  await page.getByTestId('create-service').click();

  const card = page.getByTestId('service-redis');
  await expect(card.getByTestId('service-running')).toHaveText('2 of 2 running', { timeout: 60_000 });
  for (const slot of [1, 2]) await expect(card.getByTestId(`instance-redis-${slot}`).locator('[data-health]')).toHaveAttribute('data-health', 'healthy', { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screenshots/services.png' });

  await openTab(page, 'Endpoints');
  await expect(page.getByTestId('endpoint')).toHaveCount(2);
  const before = await shownEndpoints(page);
  const [address, victim] = [...before.entries()][0] as [string, string];
  expect(address).toMatch(/^\S+:\d+$/);
  await page.screenshot({ path: 'test-results/screenshots/endpoints.png' });

  // A one-off task from the Run dialog: redis-cli against the first endpoint.
  const [redisHost, redisPort] = address.split(':') as [string, string];
  await page.getByTestId('run-task').click();
  const dialog = page.getByTestId('run-dialog');
  await dialog.getByRole('textbox', { name: 'Task name' }).fill('redis-cli');
  await dialog.getByRole('textbox', { name: 'Docker image' }).fill(REDIS_IMAGE);
  await dialog.getByRole('textbox', { name: 'Command' }).fill(`redis-cli -h ${redisHost} -p ${redisPort} SET x 7 && redis-cli -h ${redisHost} -p ${redisPort} GET x`);
  await dialog.getByTestId('run-submit').click();
  const accepted = dialog.getByTestId('run-result').getByTestId('offer-decision-accepted');
  await expect(accepted).toHaveCount(1, { timeout: 30_000 });
  const cliTask = ((await accepted.textContent()) ?? '').match(/redis-cli-[0-9a-f]{6}/)?.[0] as string;
  await dialog.getByRole('button', { name: 'Close' }).click();
  await openTab(page, 'Tasks');
  await expect(page.getByTestId(`task-row-${cliTask}`)).toHaveAttribute('data-state', 'TASK_FINISHED', { timeout: 30_000 });
  await drawerOf(page, cliTask);
  await page.getByTestId('task-log-links').getByRole('button', { name: 'stdout' }).click();
  // The stdout link opens the Logs page on the task's stdout.
  await expect(page.getByTestId('log-line')).toHaveText(['OK', '7'], { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/screenshots/services-redis-cli.png' });
  await openCluster(page);

  // Kill one instance from its drawer: the service relaunches it (1 s backoff) on another port.
  const drawer = await drawerOf(page, victim);
  await drawer.getByTestId('kill-task').click();
  await closeDrawer(page);
  await openTab(page, 'Endpoints');
  let seenAt = 0;
  await expect
    .poll(
      async () => {
        const now = await shownEndpoints(page);
        seenAt = Date.now();
        return now.size === 2 && ![...now.values()].includes(victim);
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe(true);
  const after = await shownEndpoints(page);
  const [newAddress, newTask] = [...after.entries()].find(([, id]) => ![...before.values()].includes(id)) as [string, string];
  expect(newAddress).not.toBe(address);
  // The list followed within 2 s of the new instance running (the master's timestamp of its RUNNING).
  expect(seenAt - (await runningAt(newTask))).toBeLessThan(2000);
  await openTab(page, 'Services');
  await expect(card.getByTestId('service-history')).toContainText(/Instance \d relaunched in 1 s/);
  await expect(card.getByTestId('history-verdict').first()).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: 'test-results/screenshots/services-relaunched.png' });
  expect(errors).toEqual([]);
});
