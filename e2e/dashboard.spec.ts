import { expect, test } from '@playwright/test';
import type { Offer } from '@shared/mesos/v1';
import { startCluster, type RunningCluster } from '../electron/index';
import { SchedulerClient } from '../electron/mesos/scheduler-client';
import { TestFramework } from '../electron/mesos/test-framework.test-support';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';
import { commandTask, dockerTask } from '../electron/mesos/test-tasks.test-support';

let host: WebHostProcess;
let cluster: RunningCluster;
let framework: TestFramework | undefined;

test.beforeAll(async () => {
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    { name: 'e2e-dash', agents: { count: 2 }, pullPolicy: 'never', images: TEST_IMAGES, masters: { flags: { allocation_interval: '250ms' } } },
    { workRoot: host.workRoot },
  );
});

test.afterAll(async () => {
  framework?.close();
  await cluster?.destroy();
  await host?.stop();
});

const task = (id: string, command: string, resources?: { cpus?: number; mem?: number }) => commandTask(id, command, resources);

test('tasks appear live and move through their states; a failed one shows its message in the drawer', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByTestId('cluster-card-e2e-dash').click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live');
  await expect(page.getByTestId('leader-mark')).toHaveCount(1);

  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await expect(page.getByText('No tasks yet')).toBeVisible();

  framework = new TestFramework([`http://${cluster.master}`], { name: 'e2e-framework', failover_timeout: 60 });
  await framework.start();
  const slaves = (await (await fetch(`http://${cluster.master}/master/slaves`)).json()) as { slaves: { id: string }[] };
  const agentId = slaves.slaves[0]?.id;
  await framework.launch(agentId, [task('e2e-ok', 'echo hello; sleep 2'), task('e2e-fails', 'echo oops >&2; exit 3'), dockerTask('e2e-docker', 'exit 4')]);

  const ok = page.getByTestId('task-row-e2e-ok');
  // Seen live before its end (it sleeps 2 s); which of its states a row shows depends on the batches the
  // host coalesced (at most one per 100 ms), so the whole history is checked in the drawer below.
  await expect(ok).toHaveAttribute('data-state', /^TASK_(STAGING|STARTING|RUNNING)$/, { timeout: 15_000 });
  await expect(ok).toHaveAttribute('data-state', 'TASK_FINISHED', { timeout: 15_000 });
  const failed = page.getByTestId('task-row-e2e-fails');
  await expect(failed).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 15_000 });
  await expect(failed).toContainText('Command exited with status 3');
  await page.screenshot({ path: 'test-results/screenshots/tasks.png' });

  await failed.click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByTestId('task-timeline')).toContainText('STARTING');
  await expect(drawer.getByTestId('task-timeline')).toContainText('RUNNING');
  await expect(drawer.getByTestId('task-timeline')).toContainText('FAILED');
  await expect(drawer.getByTestId('task-timeline')).toContainText('Command exited with status 3');
  await expect(drawer).toContainText('e2e-framework');
  await page.screenshot({ path: 'test-results/screenshots/task-drawer.png' });
  await page.keyboard.press('Escape');

  // A Docker task: the drawer shows what Docker says of its container.
  const docker = page.getByTestId('task-row-e2e-docker');
  await expect(docker).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 15_000 });
  await expect(docker).toContainText('Container exited with status 4');
  await docker.click();
  await expect(drawer.getByTestId('task-docker-state')).toContainText('exited');
  await expect(drawer.getByTestId('task-docker-state')).toContainText('exit code 4');
  await drawer.getByTestId('task-docker-state').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/task-drawer-docker.png' });
  await page.keyboard.press('Escape');

  // Filters: by state.
  await page.getByRole('combobox', { name: 'State filter' }).click();
  await page.getByRole('option', { name: 'FAILED' }).click();
  await expect(page.getByTestId('task-count')).toHaveText(/^2 of 3 tasks$/);

  await page.getByRole('tab', { name: 'Overview' }).click();
  const overview = page.getByTestId('overview');
  await expect(overview.getByTestId('overview-leader')).toContainText('leader');
  await expect(overview.getByTestId('overview-zookeeper')).toContainText('ZooKeeper 127.0.0.1:');
  await expect(overview.getByTestId('topology')).toContainText('2 of 2 agents active');
  await expect(overview.getByText(/allocated · .* offered · .*total/)).toHaveCount(4);
  await expect(overview.getByTestId('task-counts')).toContainText('2 failed');
  await expect(overview.getByTestId('task-counts')).toContainText('1 finished');
  await expect(overview.getByTestId('metric-master/tasks_running')).toHaveText(/^\d+$/);
  await page.screenshot({ path: 'test-results/screenshots/overview.png', fullPage: true });

  await page.getByRole('tab', { name: /^Frameworks/ }).click();
  await expect(page.getByTestId('frameworks-table')).toContainText('e2e-framework');
  await page.screenshot({ path: 'test-results/screenshots/frameworks.png' });

  // Back on Tasks: the filter set before is still set, and the table follows it.
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await expect(page.getByRole('combobox', { name: 'State filter' })).toHaveText('FAILED');
  await expect(page.getByTestId('task-count')).toHaveText(/^2 of 3 tasks$/);
  expect(errors).toEqual([]);
});

test('the task table holds still while it scrolls, and catches up after; its rows take no pointer events meanwhile', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const busy = new TestFramework([`http://${cluster.master}`], { name: 'e2e-scroller', failover_timeout: 0 });
  try {
    await busy.start();
    await page.goto(host.url);
    await page.getByTestId('cluster-card-e2e-dash').click();
    await page.getByRole('tab', { name: /^Tasks/ }).click();
    await page.getByRole('combobox', { name: 'Framework filter' }).click();
    await page.getByRole('option', { name: 'e2e-scroller' }).click();
    // More rows than the table shows at once, so that it scrolls.
    const rows = Array.from({ length: 40 }, (_, i) => `e2e-row-${i}`);
    await busy.launch(undefined, rows.map((id) => task(id, 'sleep 120', { cpus: 0.01, mem: 4 })));
    for (const id of rows) await busy.update(id, 'TASK_RUNNING');
    await expect(page.getByTestId('task-count')).toHaveText(/^40 of \d+ tasks$/, { timeout: 30_000 });
    const table = page.getByTestId('task-table');
    await expect(table.locator('[data-testid^="task-row-"]').first()).toBeVisible();

    // Scrolled a pixel down and back every 40 ms, as a slow wheel would (the table stays at its top,
    // where the newest task would show).
    await page.evaluate(`{
      const el = document.querySelector('[data-testid="task-table"]');
      window.wheel = setInterval(() => (el.scrollTop = el.scrollTop > 0 ? 0 : 1), 40);
    }`);
    await expect(table).toHaveClass(/\bscrolling\b/);
    await expect(table.locator('.task-row').first()).toHaveCSS('pointer-events', 'none');
    await busy.launch(undefined, [task('e2e-late', 'sleep 120', { cpus: 0.01, mem: 4 })]);
    await busy.update('e2e-late', 'TASK_RUNNING');
    // The tab counts it (the view has it, its latest status the newest of all)...
    await expect(page.getByTestId('task-count')).toHaveText(/^41 of \d+ tasks$/, { timeout: 30_000 });
    // ...and the table, still scrolling, does not show it a second later (not scrolling, it shows it at
    // its top within a batch or two).
    await page.waitForTimeout(1_000);
    expect(await page.getByTestId('task-row-e2e-late').count()).toBe(0);
    await expect(table).toHaveClass(/\bscrolling\b/);

    await page.evaluate('clearInterval(window.wheel)');
    // Once the scroll has settled: the newest task on top, and the rows hoverable again.
    await expect(table.locator('[data-testid^="task-row-"]').first()).toHaveAttribute('data-testid', 'task-row-e2e-late', { timeout: 5_000 });
    await expect(table).not.toHaveClass(/\bscrolling\b/);
    await expect(table.locator('.task-row').first()).toHaveCSS('pointer-events', 'auto');
    expect(errors).toEqual([]);
  } finally {
    // Its failover timeout is 0: the master removes it, and kills its tasks, when it goes.
    busy.close();
  }
});

test('the offers view shows outstanding offers, and the one accepted for a task goes', async ({ page }) => {
  // A framework that holds its offers instead of declining them, as a busy scheduler would.
  const held: Offer[] = [];
  const holder = new SchedulerClient({ masters: [`http://${cluster.master}`], framework: { user: 'root', name: 'offer-holder', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } });
  holder.on('offers', (offers) => held.push(...offers));
  try {
    await holder.start();
    await page.goto(host.url);
    await page.getByTestId('cluster-card-e2e-dash').click();
    await page.getByRole('tab', { name: 'Offers' }).click();
    const table = page.getByTestId('offers-table');
    await expect(table).toContainText('offer-holder', { timeout: 15_000 });
    await expect(table.getByRole('row')).toHaveCount(3); // a header and one offer per agent
    await page.screenshot({ path: 'test-results/screenshots/offers.png' });

    const offer = held[0] as Offer;
    await holder.launch(offer, [task('e2e-offer', 'sleep 1')]);
    await expect(table).not.toContainText(offer.id.value, { timeout: 15_000 });
    await expect(page.getByTestId('offer-history')).toContainText('accepted');
  } finally {
    await holder.teardown().catch(() => undefined);
    holder.close();
  }
});

test('in an HA cluster, the leader mark moves when the leading master is stopped', async ({ page }) => {
  test.setTimeout(120_000);
  const ha = await startCluster(
    { name: 'e2e-ha', masters: { count: 3 }, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES },
    { workRoot: host.workRoot },
  );
  try {
    await page.goto(host.url);
    await page.getByTestId('cluster-card-e2e-ha').click();
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live');
    const leaderCard = page.locator('[data-testid^="node-mesoscope-e2e-ha-master-"]', { has: page.getByTestId('leader-mark') });
    await expect(leaderCard).toHaveCount(1);
    const first = (await leaderCard.getAttribute('data-testid'))?.replace(/^node-/, '') ?? '';

    await page.getByRole('button', { name: `Actions for ${first}` }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    await expect(page.getByTestId(`node-${first}`)).toHaveAttribute('data-state', 'exited');
    // Until a new leader is elected the Mesos tabs show the last state seen, marked so.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect(page.getByTestId('mesos-connection')).not.toHaveText('Live');
    await expect(page.getByTestId('stale-notice')).toContainText('The masters are not answering');
    await page.screenshot({ path: 'test-results/screenshots/stale-view.png' });
    // A new leader once the old one's ZooKeeper session expires (about 10 s), and the view follows it.
    await expect(page.getByTestId('stale-notice')).toHaveCount(0, { timeout: 60_000 });
    await page.getByRole('tab', { name: 'Nodes' }).click();
    await expect(leaderCard).toHaveCount(1, { timeout: 60_000 });
    await expect(leaderCard).not.toHaveAttribute('data-testid', `node-${first}`, { timeout: 60_000 });
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/screenshots/ha-leader-moved.png', fullPage: true });
  } finally {
    await ha.destroy();
  }
});
