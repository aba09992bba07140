import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import type { Offer } from '@shared/mesos/v1';
import { extract as tarExtract } from 'tar-stream';
import { startCluster, type RunningCluster } from '../electron/index';
import { get } from '../electron/mesos/http';
import { SchedulerClient } from '../electron/mesos/scheduler-client';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * The three questions users ask, through the UI, on one emulator cluster of two small agents: why
 * isn't my task launching (the Run dialog's funnel), where in all these logs (search every task's
 * output, a match opened in the viewer), and "send me everything" (a support bundle, listed, then
 * opened read-only with the doctor's verdicts).
 */

const CLUSTER = 'e2e-q';
const TASK_IMAGE = 'mesoscope/task-base:test';
let host: WebHostProcess;
let cluster: RunningCluster;
let agents: Array<{ id: string; port: number }> = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    {
      name: CLUSTER,
      agents: { count: 2, resources: { cpus: 2, mem: 512, disk: 1024 } },
      pullPolicy: 'never',
      images: TEST_IMAGES,
      masters: { flags: { allocation_interval: '250ms' } },
    },
    { workRoot: host.workRoot },
  );
  const slaves = JSON.parse((await get(`http://${cluster.master}/master/slaves`)).body) as { slaves: Array<{ id: string; port: number }> };
  agents = slaves.slaves.sort((a, b) => a.port - b.port);
});

test.afterAll(async () => {
  await cluster?.destroy();
  await host?.stop();
});

const agentLabel = (i: number) => `127.0.0.1:${agents[i]!.port}`;

async function openCluster(page: Page): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${CLUSTER}`).click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
}

async function openRunDialog(page: Page, name: string, fields: { command: string; mem?: string; cpus?: string; instances?: string; agent?: number; image?: string; env?: string }) {
  await page.getByTestId('run-task').click();
  const dialog = page.getByTestId('run-dialog');
  await dialog.getByRole('textbox', { name: 'Task name' }).fill(name);
  // The dialog keeps the last run's fields: every one is set.
  await dialog.getByRole('textbox', { name: 'Docker image' }).fill(fields.image ?? '');
  await dialog.getByRole('textbox', { name: 'Command' }).fill(fields.command);
  await dialog.getByRole('textbox', { name: 'mem' }).fill(fields.mem ?? '32');
  await dialog.getByRole('textbox', { name: 'cpus' }).fill(fields.cpus ?? '0.1');
  await dialog.getByRole('textbox', { name: 'Instances' }).fill(fields.instances ?? '1');
  await dialog.getByRole('textbox', { name: 'Environment' }).fill(fields.env ?? '');
  await dialog.getByRole('combobox', { name: 'Agent' }).click();
  await page.getByRole('option', { name: fields.agent === undefined ? /^Any/ : agentLabel(fields.agent), exact: fields.agent !== undefined }).click();
  await dialog.getByTestId('run-submit').click();
  return dialog;
}

test('a run bigger than any agent: the funnel names mem on every agent; one pinned to a busy agent names the framework holding it', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  const dialog = await openRunDialog(page, 'huge', { command: 'true', mem: '4096' });
  const funnel = dialog.getByTestId('run-funnel');
  const rows = funnel.getByTestId('funnel-agent');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  for (const i of [0, 1]) {
    const row = funnel.locator(`[data-agent="${agentLabel(i)}"]`);
    await expect(row).toHaveAttribute('data-dimension', 'mem');
    await expect(row).toContainText('mem: the agent has 512 MB in all, needs 4096');
  }
  await expect(funnel.getByTestId('funnel-reasons')).toContainText('every agent the task may go to is smaller than the task');
  // The offers that came were checked too, each naming mem.
  await expect(funnel.getByTestId('funnel-offer').first()).toContainText(/mem: \d+ MB offered, needs 4096/, { timeout: 15_000 });
  await funnel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/run-funnel-mem.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Another framework holds the offers (as a busy scheduler would): the second agent is all offered to it.
  const held: Offer[] = [];
  const holder = new SchedulerClient({ masters: [`http://${cluster.master}`], framework: { user: 'root', name: 'offer-holder', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } });
  holder.on('offers', (offers) => held.push(...offers));
  try {
    await holder.start();
    await expect.poll(() => held.some((o) => o.agent_id.value === agents[1]!.id), { timeout: 30_000 }).toBe(true);
    const pinned = await openRunDialog(page, 'pinned', { command: 'true', agent: 1 });
    const pinnedFunnel = pinned.getByTestId('run-funnel');
    const busy = pinnedFunnel.locator(`[data-agent="${agentLabel(1)}"]`);
    await expect(busy).toContainText(/free, needs 0\.1; held by offer-holder \([^)]+\): an offer outstanding/, { timeout: 15_000 });
    await expect(pinnedFunnel.locator(`[data-agent="${agentLabel(0)}"]`)).toHaveAttribute('data-dimension', 'pin');
    await expect(pinnedFunnel.locator(`[data-agent="${agentLabel(0)}"]`)).toContainText(`pin: the task is pinned to ${agentLabel(1)}`);
    await expect(pinnedFunnel.getByTestId('funnel-reasons')).toContainText('allocated or offered to other frameworks: offer-holder');
    await pinnedFunnel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/run-funnel-held.png' });
    await pinned.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await holder.teardown().catch(() => undefined);
    holder.close();
  }
  expect(errors).toEqual([]);
});

test('a search across 20 tasks finds the one line one of them printed; opening it lands on that line', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  const marker = `needle-${Date.now() % 100_000}`;
  await openCluster(page);
  const dialog = await openRunDialog(page, 'many', {
    command: `echo "hello from $MESOS_TASK_ID"; case "$MESOS_TASK_ID" in *-7) echo "${marker} is here";; esac; echo bye`,
    cpus: '0.05',
    mem: '8',
    instances: '20',
  });
  await expect(dialog).toContainText('Launched 20 tasks', { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect
    .poll(async () => (await cluster.tasks()).filter((t) => t.id.startsWith('many-') && t.state === 'TASK_FINISHED').length, { timeout: 60_000 })
    .toBe(20);

  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: CLUSTER, exact: true }).click();
  await page.getByTestId('logs-search-all').click();
  const search = page.getByTestId('output-search');
  await search.getByTestId('output-search-pattern').fill(marker);
  await search.getByTestId('output-search-submit').click();
  await expect(search.getByTestId('output-search-progress')).toContainText(/Searched (\d+) of \1 files/, { timeout: 60_000 });
  await expect(search.getByTestId('output-search-progress')).toContainText('1 match in 1 file');
  const group = search.getByTestId('output-search-group');
  await expect(group).toHaveCount(1);
  await expect(group).toContainText(/many-[0-9a-f]{6}-0?7/);
  const match = group.getByTestId('output-search-match');
  await expect(match).toContainText(`${marker} is here`);
  await expect(match).toContainText('hello from many-');
  await expect(match).toContainText('bye');
  await page.screenshot({ path: 'test-results/screenshots/search-all-output.png' });

  await match.click();
  const viewer = page.getByTestId('log-viewer');
  await expect(viewer.getByTestId('log-title')).toHaveText(/^stdout of task many-[0-9a-f]{6}-0?7$/);
  await expect(viewer.getByTestId('log-search')).toHaveValue(marker);
  await expect(viewer.getByTestId('log-search-count')).toHaveText('1 of 1');
  await expect(page.locator('mark.log-mark')).toHaveText(marker);
  await expect(page.getByTestId('log-line').filter({ has: page.locator('mark.log-mark') })).toHaveText(`${marker} is here`);
  // The line itself is marked, where the search found it.
  await expect(viewer.locator('.log-target')).toHaveText(`${marker} is here`);
  await expect(viewer.locator('.log-target')).toBeInViewport();
  await page.screenshot({ path: 'test-results/screenshots/search-opened-match.png' });
  // Back to the results, kept.
  await page.getByRole('button', { name: 'Back to the search results' }).click();
  await expect(page.getByTestId('output-search-group')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("a search scoped to one agent shows only that agent's tasks' matches", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  // A task that says hello pinned to each agent: each agent has some, wherever the offers put the others.
  for (const [name, agent] of [['other', 1], ['first', 0]] as const) {
    const dialog = await openRunDialog(page, name, { command: `echo "hello from the ${name} one"`, agent });
    await expect(dialog).toContainText('Launched 1 task', { timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await cluster.tasks()).some((t) => t.name === name && t.state === 'TASK_FINISHED'), { timeout: 60_000 }).toBe(true);
  }
  const tasks = (await cluster.tasks()).filter((t) => t.name === 'other' || t.name === 'first' || t.id.startsWith('many-'));

  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: CLUSTER, exact: true }).click();
  await page.getByTestId('logs-search-all').click();
  const search = page.getByTestId('output-search');
  await search.getByTestId('output-search-pattern').fill('hello from');
  for (const i of [1, 0]) {
    await search.getByTestId('output-search-scope').click();
    await page.getByRole('option', { name: `agent ${agentLabel(i)}`, exact: true }).click();
    await search.getByTestId('output-search-submit').click();
    await expect(search.getByTestId('output-search-progress')).toContainText(/Searched (\d+) of \1 files/, { timeout: 60_000 });
    const expected = tasks.filter((t) => t.agentId === agents[i]!.id);
    expect(expected.length, `tasks on agent ${i}`).toBeGreaterThan(0);
    const groups = search.getByTestId('output-search-group');
    await expect(groups).toHaveCount(expected.length);
    const shown = await Promise.all(Array.from({ length: expected.length }, async (_, k) => ({ agent: await groups.nth(k).getAttribute('data-agent'), task: await groups.nth(k).getAttribute('data-task') })));
    for (const { agent } of shown) expect(agent).toBe(agents[i]!.id);
    expect(shown.map((g) => g.task).sort()).toEqual(expected.map((t) => t.id).sort());
    if (i === 1) {
      await expect(groups.filter({ hasText: 'hello from the other one' })).toHaveCount(1);
      await page.screenshot({ path: 'test-results/screenshots/search-scoped-agent.png' });
    }
  }
  // The whole cluster again: both agents' tasks.
  await search.getByTestId('output-search-scope').click();
  await page.getByRole('option', { name: 'the whole cluster' }).click();
  await search.getByTestId('output-search-submit').click();
  await expect(search.getByTestId('output-search-progress')).toContainText(/Searched (\d+) of \1 files/, { timeout: 60_000 });
  await expect(search.getByTestId('output-search-group')).toHaveCount(tasks.length);
  expect(errors).toEqual([]);
});

test("a search scoped to a service shows only its instances' matches", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  await page.getByRole('tab', { name: /^Services/ }).click();
  await page.getByTestId('new-service').click();
  await page.getByRole('textbox', { name: 'Service id' }).fill('chatty');
  await page.getByRole('textbox', { name: 'Service image' }).fill('');
  await page.getByRole('textbox', { name: 'Service command' }).fill('echo "hello from chatty $MESOS_TASK_ID"; sleep 600');
  await page.getByRole('textbox', { name: 'Service instances' }).fill('2');
  await page.getByRole('textbox', { name: 'Service cpus' }).fill('0.05');
  await page.getByRole('textbox', { name: 'Service mem' }).fill('8');
  await page.getByRole('combobox', { name: 'Service network' }).click();
  await page.getByRole('option', { name: /^HOST/ }).click();
  await page.getByRole('textbox', { name: 'Service ports' }).fill('');
  await page.getByTestId('create-service').click();
  await expect(page.getByTestId('service-chatty').getByTestId('service-running')).toHaveText('2 of 2 running', { timeout: 60_000 });
  const instances = (await cluster.tasks()).filter((t) => t.state === 'TASK_RUNNING' && t.id.startsWith('chatty'));
  expect(instances).toHaveLength(2);

  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: CLUSTER, exact: true }).click();
  await page.getByTestId('logs-search-all').click();
  const search = page.getByTestId('output-search');
  await search.getByTestId('output-search-pattern').fill('hello from');
  await search.getByTestId('output-search-scope').click();
  await page.getByRole('option', { name: 'service chatty', exact: true }).click();
  await search.getByTestId('output-search-submit').click();
  await expect(search.getByTestId('output-search-progress')).toContainText(/Searched (\d+) of \1 files/, { timeout: 60_000 });
  const groups = search.getByTestId('output-search-group');
  // Two instances: their stdout only, though 21 other tasks said hello too.
  await expect(groups).toHaveCount(2);
  const shown = await Promise.all([0, 1].map((k) => groups.nth(k).getAttribute('data-task')));
  expect(shown.sort()).toEqual(instances.map((t) => t.id).sort());
  await expect(search.getByTestId('output-search-match')).toHaveText([/hello from chatty/, /hello from chatty/]);
  await page.screenshot({ path: 'test-results/screenshots/search-scoped-service.png' });
  expect(errors).toEqual([]);
});

test('a match early in a file of more than 1 MB opens at that line, not at the first or last one; a later one at its own', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  const marker = `deep-${Date.now() % 100_000}`;
  await openCluster(page);
  // The needle once early, 1.4 MB of other lines, the needle again, a few more lines.
  const filler = 'x'.repeat(60);
  const dialog = await openRunDialog(page, 'long', {
    command: `echo "${marker} early"; i=0; while [ $i -lt 20000 ]; do echo "filler $i ${filler}"; i=$((i+1)); done; echo "${marker} late"; echo "after the late one"; echo bye`,
  });
  await expect(dialog).toContainText('Launched 1 task', { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect.poll(async () => (await cluster.tasks()).some((t) => t.name === 'long' && t.state === 'TASK_FINISHED'), { timeout: 90_000 }).toBe(true);

  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: CLUSTER, exact: true }).click();
  await page.getByTestId('logs-search-all').click();
  const search = page.getByTestId('output-search');
  await search.getByTestId('output-search-scope').click();
  await page.getByRole('option', { name: 'the whole cluster' }).click();
  await search.getByTestId('output-search-pattern').fill(marker);
  await search.getByTestId('output-search-submit').click();
  await expect(search.getByTestId('output-search-progress')).toContainText(/Searched (\d+) of \1 files/, { timeout: 60_000 });
  await expect(search.getByTestId('output-search-progress')).toContainText('2 matches in 1 file');
  const matches = search.getByTestId('output-search-match');
  await expect(matches.nth(0)).toContainText(`${marker} early`);
  await expect(matches.nth(1)).toContainText(`${marker} late`);

  const viewer = page.getByTestId('log-viewer');
  await matches.nth(0).click();
  await expect(viewer.locator('.log-target')).toHaveText(`${marker} early`, { timeout: 15_000 });
  await expect(viewer.locator('.log-target')).toBeInViewport();
  await expect(viewer.getByTestId('log-title')).toHaveText(/^stdout of task long-/);
  // A window at the start of the file, not its last 256 KiB: the late one is not held.
  await expect(viewer.getByTestId('log-footer')).toContainText(/bytes 0–[\d,]+ of 1,\d{3},\d{3}/);
  await expect(viewer.getByTestId('log-search-count')).toHaveText('1 of 1 held');
  await page.screenshot({ path: 'test-results/screenshots/search-opened-early-match.png' });

  await page.getByRole('button', { name: 'Back to the search results' }).click();
  await search.getByTestId('output-search-match').nth(1).click();
  await expect(viewer.locator('.log-target')).toHaveText(`${marker} late`, { timeout: 15_000 });
  await expect(viewer.locator('.log-target')).toBeInViewport();
  await expect(viewer.getByTestId('log-line').filter({ hasText: 'after the late one' })).toBeVisible();
  // Older lines are there to page back to, as in any window on a file.
  await expect(viewer.getByTestId('log-line').filter({ hasText: /^filler 19999 / })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a bundle of a cluster with a failed task holds every part, its PASSWORD redacted in every entry, and opens read-only with the same verdicts', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = collectConsoleErrors(page);
  await openCluster(page);
  const secret = `hunter2-${randomBytes(6).toString('hex')}`;
  const dialog = await openRunDialog(page, 'secret', { command: 'echo about to fail; exit 3', image: TASK_IMAGE, env: `PASSWORD=${secret}` });
  await expect(dialog.getByTestId('run-result')).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  const row = page.getByTestId('task-row-secret').or(page.locator('[data-testid^="task-row-secret-"]'));
  await expect(row).toHaveAttribute('data-state', 'TASK_FAILED', { timeout: 30_000 });
  await expect(row.getByTestId('doctor-mark')).toHaveAttribute('data-rule', /.+/);
  const liveRule = await row.getByTestId('doctor-mark').getAttribute('data-rule');
  const taskId = ((await row.getAttribute('data-testid')) ?? '').replace(/^task-row-/, '');

  await page.getByTestId('bundle-export').click();
  const bundle = page.getByTestId('bundle-dialog');
  await expect(bundle.getByTestId('bundle-done')).toBeVisible({ timeout: 90_000 });
  const path = ((await bundle.getByTestId('bundle-done').locator('code').textContent()) ?? '').trim();
  expect(path).toMatch(/\/bundles\/e2e-q-\d{8}-\d{6}\.tar\.gz$/);
  await page.screenshot({ path: 'test-results/screenshots/bundle-written.png' });

  // The archive itself: every part listed in the manifest is there; the secret is not.
  const entries = new Map<string, string>();
  const extract = tarExtract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    // Recordings unpacked: a secret inside gzip would not show as text.
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      entries.set(header.name, (header.name.endsWith('.mesorec') ? gunzipSync(raw) : raw).toString('utf8'));
      next();
    });
  });
  await pipeline(createReadStream(path), createGunzip(), extract);
  const manifest = JSON.parse(entries.get('manifest.json') ?? '{}') as { parts: Array<{ path: string }>; missing: Array<{ path: string }> };
  expect(manifest.parts.map((p) => p.path).sort()).toEqual([...entries.keys()].filter((n) => n !== 'manifest.json').sort());
  for (const part of ['cluster/spec.json', 'versions.json', 'nodes/master-1/container.log', 'mesos/master-state.json', 'agents/agent-2/flags.json', 'doctor/verdicts.json', 'recording.mesorec', 'MISSING.txt', `tasks/${taskId}/stdout`, `tasks/${taskId}/inspect.json`]) {
    expect([...entries.keys()], part).toContain(part);
  }
  expect(entries.get(`tasks/${taskId}/inspect.json`)).toContain('"PASSWORD=<redacted>"');
  // Every entry read: the value is nowhere (nor its base64, as in a status's data).
  expect(entries.size).toBeGreaterThan(20);
  for (const [name, text] of entries) {
    expect(text, name).not.toContain(secret);
    expect(text, name).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
  }

  await bundle.getByTestId('bundle-open').click();
  const replay = page.getByTestId('replay');
  await expect(replay).toBeVisible({ timeout: 30_000 });
  await expect(replay.getByTestId('replay-badge')).toHaveText('Recording · read-only');
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  const replayed = page.getByTestId(`task-row-${taskId}`);
  await expect(replayed).toHaveAttribute('data-state', 'TASK_FAILED');
  await expect(replayed.getByTestId('doctor-mark')).toHaveAttribute('data-rule', liveRule ?? '');
  await replayed.click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByTestId('doctor-title')).toHaveText('The command failed (exit 3)');
  await expect(drawer.getByTestId('kill-task')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/bundle-opened.png' });
  expect(errors).toEqual([]);
});
