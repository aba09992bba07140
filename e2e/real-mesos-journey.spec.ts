import { mkdir, readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import Dockerode from 'dockerode';
import { startCluster } from '../electron/index';
import { AgentClient, runsOfTask } from '../electron/mesos/agent-client';
import { MESOS_KIND, ON_REAL_MESOS } from '../testbed/real-mesos/images';
import { collectConsoleErrors } from './support/console-errors';
import { closeDrawer, drawerOf, TASK_IMAGE } from './support/fault-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * The user's journey in the real UI on real Apache Mesos (playwright.real-mesos.config.ts
 * runs it with MESOSCOPE_TEST_MESOS_IMAGE=mesoscope/mesos:1.12.0): a 1 master + 3 agents preset comes
 * up ready; a Docker task and a command task run through the Run dialog; stdout is followed while it
 * grows; a sandbox file downloads byte for byte; a task is killed from its drawer, the other with Kill
 * all; the dashboard shows each state and the whole status history; in an HA cluster the leader mark
 * moves when the leader is stopped. Screenshots go to test-results/real-mesos/ (never docs/).
 */

const NAME = 'rm-journey';
const SHOTS = 'test-results/real-mesos';
const docker = new Dockerode();
const LINES = Array.from({ length: 12 }, (_, i) => `journey-line-${i + 1}`);

let host: WebHostProcess;

test.describe.configure({ mode: 'serial' });

async function removeCluster(name: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${name}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  await removeCluster(NAME);
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
});

test.afterAll(async () => {
  // A fallback only (the destroy test removes the cluster through the app, task containers included):
  // the cluster's containers, then the task containers whose sandboxes are under this host's work root.
  await removeCluster(NAME);
  if (host) {
    for (const c of await docker.listContainers({ all: true, filters: { name: ['^/mesos-'] } })) {
      const mounts = (await docker.getContainer(c.Id).inspect().catch(() => undefined))?.Mounts ?? [];
      if (mounts.some((m) => m.Source.startsWith(`${host.workRoot}/`))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
  }
  await host?.stop();
});

async function openCluster(page: Page): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${NAME}`).click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
}

/** Fills and submits the Run dialog; resolves with the task id from its result. */
async function run(page: Page, name: string, command: string, image?: string): Promise<string> {
  await page.getByTestId('run-task').click();
  const dialog = page.getByTestId('run-dialog');
  await dialog.getByRole('textbox', { name: 'Task name' }).fill(name);
  // The dialog keeps the last run's fields: an empty image is what makes a command task.
  await dialog.getByRole('textbox', { name: 'Docker image' }).fill(image ?? '');
  await dialog.getByRole('textbox', { name: 'Command' }).fill(command);
  await dialog.getByTestId('run-submit').click();
  const result = dialog.getByTestId('run-result');
  await expect(result.getByTestId('offer-decision-accepted')).toHaveCount(1, { timeout: 30_000 });
  const id = new RegExp(`${name}-[0-9a-f]{6}`).exec((await result.textContent()) ?? '')?.[0];
  expect(id, 'the task id in the run result').toBeTruthy();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return id!;
}

/** The task's sandbox on this host (agents' work dirs are bound at the same path), from the agent that ran it. */
async function sandboxOf(taskId: string): Promise<string> {
  const [master] = await docker.listContainers({ filters: { label: [`io.mesoscope.cluster=${NAME}`, 'io.mesoscope.role=master'] } });
  const layout = JSON.parse(master!.Labels['io.mesoscope.layout']!) as { agents: Array<{ port: number }> };
  for (const a of layout.agents) {
    const state = await new AgentClient(`http://127.0.0.1:${a.port}`).state();
    const r = runsOfTask(state, taskId)[0];
    if (r) return r.executor.directory;
  }
  throw new Error(`no agent has a sandbox of ${taskId}`);
}

test(`a 1 master + 3 agents preset comes up ready (${MESOS_KIND})`, async ({ page }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New cluster' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Cluster name').fill(NAME);
  await dialog.getByText('1 master, 3 agents').click();
  await dialog.getByRole('button', { name: 'Launch' }).click();
  for (const node of ['zookeeper-1', 'master-1', 'agent-1', 'agent-2', 'agent-3']) {
    await expect(dialog.getByTestId(`launch-row-mesoscope-${NAME}-${node}`)).toHaveAttribute('data-step', 'ready', { timeout: 120_000 });
  }
  await page.screenshot({ path: `${SHOTS}/launch-ready.png` });
  await dialog.getByRole('button', { name: `Open ${NAME}` }).click();
  await expect(page.getByTestId('mesos-badge')).toHaveText(ON_REAL_MESOS ? 'Mesos 1.12.0' : 'Mesos 1.12.0 · emulator');
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
  await expect(page.getByTestId('leader-mark')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a Docker task and a command task run; stdout is followed while it grows; a sandbox file downloads byte for byte', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  const docker = await run(page, 'dock', `for l in ${LINES.join(' ')}; do echo $l; sleep 0.4; done; sleep 600`, TASK_IMAGE);
  const cmd = await run(page, 'cmd', 'head -c 200000 /dev/urandom > blob.bin; echo written; sleep 600');

  await page.getByRole('tab', { name: /^Tasks/ }).click();
  for (const id of [docker, cmd]) await expect(page.getByTestId(`task-row-${id}`)).toHaveAttribute('data-state', 'TASK_RUNNING', { timeout: 60_000 });

  // The Docker task's stdout, followed: lines arrive in order while it runs.
  await page.getByTestId(`task-row-${docker}`).click();
  await page.getByTestId('task-log-links').getByRole('button', { name: 'stdout' }).click();
  const viewer = page.getByTestId('log-viewer');
  await expect(viewer.getByTestId('log-title')).toHaveText(`stdout of task ${docker}`);
  await expect(viewer).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('log-line').filter({ hasText: 'journey-line-2' })).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await page.getByTestId('log-line').allInnerTexts()).filter((l) => l.startsWith('journey-line-')), { timeout: 30_000 }).toEqual(LINES);
  await page.screenshot({ path: `${SHOTS}/stdout-followed.png` });

  // The command task's sandbox: the file it wrote, downloaded, equals the file on the agent.
  await openCluster(page);
  const drawer = await drawerOf(page, cmd);
  await drawer.getByTestId('task-log-links').getByRole('button', { name: 'stdout' }).click();
  await page.getByRole('radio', { name: 'sandbox' }).click();
  const browser = page.getByTestId('sandbox-browser');
  await expect(browser.getByTestId('sandbox-entry-blob.bin')).toBeVisible({ timeout: 20_000 });
  await page.screenshot({ path: `${SHOTS}/sandbox.png` });
  const [download] = await Promise.all([page.waitForEvent('download'), browser.getByTestId('sandbox-download-blob.bin').click()]);
  const bytes = await readFile(await download.path());
  expect(bytes.length).toBe(200_000);
  expect(bytes.equals(await readFile(`${await sandboxOf(cmd)}/blob.bin`))).toBe(true);
  expect(errors).toEqual([]);
});

test('kill from the drawer and Kill all: the dashboard shows each state and the whole status history', async ({ page }) => {
  test.setTimeout(120_000);
  await openCluster(page);
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  const docker = (await page.locator('[data-testid^="task-row-dock-"]').first().getAttribute('data-testid'))!.replace(/^task-row-/, '');
  const cmd = (await page.locator('[data-testid^="task-row-cmd-"]').first().getAttribute('data-testid'))!.replace(/^task-row-/, '');
  const drawer = await drawerOf(page, docker);
  await drawer.getByTestId('kill-task').click();
  await expect(drawer.getByTestId('task-timeline')).toContainText('KILLED', { timeout: 30_000 });
  // The whole history, in order, each with its source: STARTING and RUNNING from the executor, then the kill.
  const steps = drawer.getByTestId('task-timeline').locator('li');
  await expect(steps.filter({ hasText: 'STARTING' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'RUNNING' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'KILLING' })).toHaveCount(1);
  await expect(steps.last()).toContainText('KILLED');
  await page.screenshot({ path: `${SHOTS}/killed-history.png` });
  await closeDrawer(page);
  await expect(page.getByTestId(`task-row-${docker}`)).toHaveAttribute('data-state', 'TASK_KILLED');

  await page.getByRole('button', { name: /^Kill all \(1\)$/ }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Kill all' }).click();
  await expect(page.getByTestId(`task-row-${cmd}`)).toHaveAttribute('data-state', 'TASK_KILLED', { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('overview-leader')).toContainText('leader');
  await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
});

test('destroyed from the app: nothing of it is left', async ({ page }) => {
  await openCluster(page);
  await page.getByRole('button', { name: 'Destroy' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Destroy' }).click();
  await expect(page.getByTestId(`cluster-card-${NAME}`)).toHaveCount(0, { timeout: 60_000 });
  // The card goes with the node containers; the record container (the cluster's description) goes last,
  // after the work dirs, which are removed through a helper container.
  await expect
    .poll(async () => (await docker.listContainers({ all: true, filters: { label: [`io.mesoscope.cluster=${NAME}`] } })).map((c) => `${c.Names[0]} ${c.State}`), { timeout: 30_000 })
    .toEqual([]);
  // The task containers the agents started went too (found by their sandboxes under the work root).
  const tasks = await docker.listContainers({ all: true, filters: { name: ['^/mesos-'] } });
  const ours = await Promise.all(tasks.map(async (c) => ((await docker.getContainer(c.Id).inspect().catch(() => undefined))?.Mounts ?? []).some((m) => m.Source.startsWith(`${host.workRoot}/`))));
  expect(ours.filter(Boolean)).toEqual([]);
});

test('in an HA cluster, the leader mark moves when the leading master is stopped', async ({ page }) => {
  test.setTimeout(150_000);
  const ha = await startCluster(
    // A short ZooKeeper session: the stopped leader's ends in 4 s instead of 10, and the election follows.
    { name: 'rm-journey-ha', masters: { count: 3, flags: { zk_session_timeout: '4secs' } }, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES },
    { workRoot: host.workRoot },
  );
  try {
    await page.goto(host.url);
    await page.getByTestId('cluster-card-rm-journey-ha').click();
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    const leaderCard = page.locator('[data-testid^="node-mesoscope-rm-journey-ha-master-"]', { has: page.getByTestId('leader-mark') });
    await expect(leaderCard).toHaveCount(1);
    const first = (await leaderCard.getAttribute('data-testid'))?.replace(/^node-/, '') ?? '';
    await page.getByRole('button', { name: `Actions for ${first}` }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    await expect(page.getByTestId(`node-${first}`)).toHaveAttribute('data-state', 'exited');
    await expect(leaderCard).toHaveCount(1, { timeout: 60_000 });
    await expect(leaderCard).not.toHaveAttribute('data-testid', `node-${first}`, { timeout: 60_000 });
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/ha-leader-moved.png`, fullPage: true });
  } finally {
    await ha.destroy();
  }
});
