import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { MESOS_KIND, MESOS_TEST_IMAGE } from '../../testbed/real-mesos/images';
import { PLAIN_PRINCIPAL, PLAIN_SECRET, startPlainCluster, type PlainCluster } from '../../testbed/attach/plain-cluster';
import { axeViolations } from './axe';
import { collectConsoleErrors } from './console-errors';
import { closeDrawer, drawerOf } from './fault-ui';
import { startWebHostProcess, type WebHostProcess } from './web-host-process';

/**
 * The attach journey in the UI, on the emulator (e2e/attach.spec.ts) and on real Mesos
 * (e2e/real-mesos-attach.spec.ts): a cluster started by a plain script with HTTP authentication on
 * (testbed/attach/plain-cluster.sh), connected from the Connect dialog.
 */
export function attachJourney(shots: string): void {
  let host: WebHostProcess;
  let plain: PlainCluster;
  let ha: PlainCluster;
  const name = `plain-e2e-${process.pid}`;
  const haName = `plain-e2e-ha-${process.pid}`;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    [plain, ha] = await Promise.all([startPlainCluster(name, MESOS_TEST_IMAGE, { docker: true }), startPlainCluster(haName, MESOS_TEST_IMAGE, { ha: true })]);
    host = await startWebHostProcess();
  });
  test.afterAll(async () => {
    await host?.stop();
    await Promise.all([plain?.down(), ha?.down()]);
  });

  async function connect(page: Page, cluster: string, masters: string[], password: string, dockerEndpoints?: string): Promise<void> {
    await page.getByRole('button', { name: 'Connect' }).first().click();
    const dialog = page.getByTestId('connect-dialog');
    await dialog.getByRole('textbox', { name: 'Name' }).fill(cluster);
    await dialog.getByRole('textbox', { name: 'Masters' }).fill(masters.join('\n'));
    await dialog.getByRole('radio', { name: 'User and password' }).click();
    await dialog.getByRole('textbox', { name: 'User' }).fill(PLAIN_PRINCIPAL);
    await dialog.getByLabel('Password').fill(password);
    if (dockerEndpoints) {
      await dialog.getByText(/^Docker endpoints/).click();
      await dialog.getByRole('textbox', { name: 'Docker endpoints' }).fill(dockerEndpoints);
    }
  }

  test(`attach with HTTP authentication on ${MESOS_KIND}: the 401 in words, agents and tasks live, read-only until writes, stdout, the doctor`, async ({ page }) => {
    test.setTimeout(240_000);
    const errors = collectConsoleErrors(page);
    await page.goto(host.url);
    // The plain cluster's agents run DOCKER tasks on this host's daemon: its socket is their honest Docker endpoint.
    await connect(page, name, plain.masters, 'wrong-password', '*=unix:///var/run/docker.sock');
    await page.screenshot({ path: `${shots}/connect-dialog.png` });
    const dialog = page.getByTestId('connect-dialog');
    await dialog.getByRole('button', { name: 'Connect' }).click();
    // A just-started cluster may not have elected its leader yet: that is its own refusal; try again.
    const error = dialog.getByTestId('connect-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    const form = dialog.locator('form');
    for (let i = 0; i < 30 && (await error.getAttribute('data-reason')) === 'no-leader'; i++) {
      await page.waitForTimeout(1000);
      const answers = Number(await form.getAttribute('data-answers'));
      await dialog.getByRole('button', { name: 'Connect' }).click();
      await expect(form).toHaveAttribute('data-answers', String(answers + 1), { timeout: 30_000 });
    }
    await expect(error).toHaveAttribute('data-reason', 'unauthorized');
    await expect(error).toContainText(/Credentials refused\. 401 Unauthorized: .* refused the credentials .* user name or password is wrong/);
    await page.screenshot({ path: `${shots}/connect-401.png` });
    expect.soft(await axeViolations(page), 'the Connect dialog with its error').toEqual([]);

    await dialog.getByLabel('Password').fill(PLAIN_SECRET);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('attached-badge')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    // Its two agents, with their attributes, on the overview.
    await expect(page.getByText('rack=r1')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('rack=r2')).toBeVisible();

    // Read-only: Run is not offered, and the host refuses it (the API test checks the refusal).
    await expect(page.getByRole('button', { name: 'Run task' })).toBeDisabled();
    await page.getByTestId('writes-switch').click();
    await expect(page.getByText('Writes on')).toBeVisible();
    await expect(page.getByTestId('run-task')).toBeEnabled();

    for (const [task, command] of [
      ['hello', 'echo hello from a plain cluster'],
      ['broken', 'exit 3'],
    ] as const) {
      await page.getByTestId('run-task').click();
      const run = page.getByTestId('run-dialog');
      await run.getByRole('textbox', { name: 'Task name' }).fill(task);
      await run.getByRole('textbox', { name: 'Command' }).fill(command);
      await run.getByTestId('run-submit').click();
      await expect(run.getByTestId('run-result').getByTestId('offer-decision-accepted').first()).toBeVisible({ timeout: 60_000 });
      await run.getByRole('button', { name: 'Close' }).click();
    }
    await page.getByRole('tab', { name: /^Tasks/ }).click();
    await expect(page.locator('[data-testid^="task-row-hello-"]')).toHaveAttribute('data-state', 'TASK_FINISHED', { timeout: 60_000 });
    await expect(page.locator('[data-testid^="task-row-broken-"]')).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 60_000 });
    await page.screenshot({ path: `${shots}/attached-cluster.png` });
    expect.soft(await axeViolations(page), 'an attached cluster, writes on').toEqual([]);

    const broken = ((await page.locator('[data-testid^="task-row-broken-"]').getAttribute('data-testid')) ?? '').replace('task-row-', '');
    const drawer = await drawerOf(page, broken);
    await expect(drawer.getByTestId('doctor')).toContainText('The command failed (exit 3)', { timeout: 15_000 });
    await page.screenshot({ path: `${shots}/attached-doctor.png` });
    await closeDrawer(page);

    // A DOCKER task that exits 7: the verdict carries its container's die event, from the named Docker endpoint.
    await page.getByTestId('run-task').click();
    const runDocker = page.getByTestId('run-dialog');
    await runDocker.getByRole('textbox', { name: 'Task name' }).fill('dockerfail');
    await runDocker.getByRole('textbox', { name: 'Docker image' }).fill('mesoscope/task-base:test');
    await runDocker.getByRole('textbox', { name: 'Command' }).fill('exit 7');
    await runDocker.getByTestId('run-submit').click();
    await expect(runDocker.getByTestId('run-result').getByTestId('offer-decision-accepted').first()).toBeVisible({ timeout: 60_000 });
    await runDocker.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('[data-testid^="task-row-dockerfail-"]')).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 90_000 });
    const dockerFail = ((await page.locator('[data-testid^="task-row-dockerfail-"]').getAttribute('data-testid')) ?? '').replace('task-row-', '');
    const dockerDrawer = await drawerOf(page, dockerFail);
    await expect(dockerDrawer.getByTestId('doctor-evidence').locator('[data-kind="docker"]').filter({ hasText: /exit 7/ }).first()).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: `${shots}/attached-docker-evidence.png` });
    await closeDrawer(page);
    await page.getByRole('tab', { name: 'Connection' }).click();
    await expect(page.getByTestId('docker-endpoints')).toContainText(/every agent: unix:\/\/\/var\/run\/docker\.sock\s*following \(agents 1, 2\)/, { timeout: 30_000 });
    await page.screenshot({ path: `${shots}/attached-docker-endpoints.png` });
    await page.getByRole('tab', { name: /^Tasks/ }).click();

    const hello = ((await page.locator('[data-testid^="task-row-hello-"]').getAttribute('data-testid')) ?? '').replace('task-row-', '');
    await (await drawerOf(page, hello)).getByTestId('task-log-links').getByRole('button', { name: 'stdout' }).click();
    await expect(page.getByTestId('log-line').filter({ hasText: 'hello from a plain cluster' })).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: `${shots}/attached-stdout.png` });

    // Node logs through /files: the master's Mesos log (--log_dir), and an agent without one, said in words.
    await page.getByRole('button', { name: 'Logs', exact: true }).click();
    await page.getByTestId('logs-cluster').click();
    await page.getByRole('option', { name, exact: true }).click();
    await page.getByTestId('logs-node').click();
    await page.getByRole('option', { name: 'master-1 · /master/log' }).click();
    const viewer = page.getByTestId('log-viewer');
    await expect(viewer.getByTestId('log-title')).toHaveText('master-1 · /master/log');
    await viewer.getByTestId('log-search').fill('Elected as the leading master');
    await expect(viewer.getByTestId('log-search-count')).toHaveText(/^1 of \d+$/, { timeout: 20_000 });
    await page.screenshot({ path: `${shots}/attached-master-log.png` });
    await page.getByTestId('logs-node').click();
    await page.getByRole('option', { name: /^agent-\d · no Mesos log \(no --log_dir\)$/ }).click();
    await expect(page.getByTestId('no-log-file')).toHaveText(/^agent-\d writes no Mesos log file: it runs without --log_dir, so \/slave\/log is not served\.$/, { timeout: 20_000 });
    await page.screenshot({ path: `${shots}/attached-no-log-dir.png` });

    // A support bundle of the attached cluster: the Docker parts listed as missing, with why.
    // Clusters goes back to the cluster last opened, or to the list when none is.
    await page.getByRole('button', { name: 'Clusters' }).click();
    const card = page.getByTestId(`cluster-card-${name}`);
    await expect(card.or(page.getByTestId('attached-badge'))).toBeVisible();
    if (await card.isVisible()) await card.click();
    await expect(page.getByTestId('attached-badge')).toBeVisible();
    await page.getByTestId('bundle-export').click();
    const bundle = page.getByTestId('bundle-dialog');
    await expect(bundle.getByTestId('bundle-done')).toBeVisible({ timeout: 90_000 });
    await expect(bundle.getByTestId('bundle-done')).toContainText('nodes/master-1/container.log (not reachable from here:');
    await expect(bundle.getByTestId('bundle-done')).toContainText('tasks/*/inspect.json (not reachable from here:');
    await expect(bundle.getByTestId('bundle-done')).not.toContainText('master-state');
    await page.screenshot({ path: `${shots}/attached-bundle.png` });
    await bundle.getByRole('button', { name: 'Close' }).click();

    // Attached again (a new connection, as another Mesoscope would): what the master knew is marked
    // "before attach"; a task running meanwhile finishes live, its last status not marked.
    await page.getByTestId('run-task').click();
    const run = page.getByTestId('run-dialog');
    await run.getByRole('textbox', { name: 'Task name' }).fill('sleeper');
    await run.getByRole('textbox', { name: 'Command' }).fill('sleep 25');
    await run.getByTestId('run-submit').click();
    await expect(run.getByTestId('run-result').getByTestId('offer-decision-accepted').first()).toBeVisible({ timeout: 60_000 });
    await run.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('tab', { name: /^Tasks/ }).click();
    await expect(page.locator('[data-testid^="task-row-sleeper-"]')).toHaveAttribute('data-state', 'TASK_RUNNING', { timeout: 60_000 });
    const sleeper = ((await page.locator('[data-testid^="task-row-sleeper-"]').getAttribute('data-testid')) ?? '').replace('task-row-', '');
    await page.getByRole('button', { name: 'Detach' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Detach' }).click();
    await expect(page.getByTestId(`cluster-card-${name}`)).toHaveCount(0, { timeout: 30_000 });
    await connect(page, name, plain.masters, PLAIN_SECRET);
    await page.getByTestId('connect-dialog').getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('attached-badge')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('tab', { name: /^Tasks/ }).click();
    const earlier = await drawerOf(page, hello);
    const timeline = earlier.getByTestId('task-timeline');
    // Every status in the history comes from the master's record; only the first row ("accepted…") is not a status.
    await expect(timeline).toContainText('accepted by the master before Mesoscope attached');
    await expect(timeline.locator('li[data-before-attach="true"]').first()).toBeVisible();
    await expect(timeline.locator('li:not([data-before-attach])')).toHaveCount(1);
    await expect(timeline.locator('li[data-before-attach="true"]').last()).toContainText('before attach');
    await page.screenshot({ path: `${shots}/attached-before-attach.png` });
    await closeDrawer(page);
    await expect(page.locator(`[data-testid="task-row-${sleeper}"]`)).toHaveAttribute('data-state', 'TASK_FINISHED', { timeout: 90_000 });
    const later = await drawerOf(page, sleeper);
    await expect(later.getByTestId('task-timeline').locator('li').last()).toContainText('FINISHED');
    await expect(later.getByTestId('task-timeline').locator('li').last()).not.toHaveAttribute('data-before-attach', 'true');
    await expect(later.getByTestId('task-timeline').locator('li[data-before-attach="true"]').filter({ hasText: 'RUNNING' })).toHaveCount(1);
    await page.screenshot({ path: `${shots}/attached-live-after-attach.png` });
    await closeDrawer(page);
    expect(errors).toEqual([]);
  });

  test(`an attached HA cluster on ${MESOS_KIND}: the view follows the new leader`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(host.url);
    await connect(page, haName, ha.masters, PLAIN_SECRET);
    const dialog = page.getByTestId('connect-dialog');
    const form = dialog.locator('form');
    // A just-started HA cluster elects its leader after a while: each attempt's answer is awaited, then tried again.
    for (let i = 0; i < 60; i++) {
      const answers = Number(await form.getAttribute('data-answers'));
      await dialog.getByRole('button', { name: 'Connect' }).click();
      await expect(page.getByTestId('attached-badge').or(form.and(page.locator(`[data-answers="${answers + 1}"]`)))).toBeVisible({ timeout: 30_000 });
      if (await page.getByTestId('attached-badge').isVisible()) break;
      await expect(dialog.getByTestId('connect-error')).toHaveAttribute('data-reason', 'no-leader');
      await page.waitForTimeout(1000);
    }
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    const leaderText = page.getByTestId('attached-leader');
    await expect(leaderText).toHaveText(/127\.0\.0\.1:\d+/);
    const oldLeader = (await leaderText.textContent())!.trim();
    await promisify(execFile)('docker', ['stop', '-t', '2', ha.masterContainer(oldLeader)]);
    await expect(leaderText).not.toHaveText(oldLeader, { timeout: 120_000 });
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 60_000 });
    expect(ha.masters).toContain((await leaderText.textContent())!.trim());
    await page.screenshot({ path: `${shots}/attached-ha-leader-moved.png` });
  });
}
