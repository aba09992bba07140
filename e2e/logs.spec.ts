import { readFile, writeFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { startCluster, type RunningCluster } from '../electron/index';
import { AgentClient, runsOfTask } from '../electron/mesos/agent-client';
import { TestFramework } from '../electron/mesos/test-framework.test-support';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';
import { commandTask } from '../electron/mesos/test-tasks.test-support';

let host: WebHostProcess;
let cluster: RunningCluster;
let framework: TestFramework;
let agentId: string;

test.beforeAll(async () => {
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    {
      name: 'lg-e2e',
      agents: { count: 1, flags: { log_dir: '/var/log/mesos' } },
      pullPolicy: 'never',
      images: TEST_IMAGES,
      masters: { flags: { allocation_interval: '250ms' } },
    },
    { workRoot: host.workRoot },
  );
  framework = new TestFramework([`http://${cluster.master}`], { name: 'e2e-logs', failover_timeout: 60 });
  await framework.start();
  const slaves = (await (await fetch(`http://${cluster.master}/master/slaves`)).json()) as { slaves: { id: string }[] };
  agentId = slaves.slaves[0]?.id ?? '';
});

test.afterAll(async () => {
  framework?.close();
  await cluster?.destroy();
  await host?.stop();
});

const task = (id: string, command: string) => commandTask(id, command);

/** The text of the lines the viewer renders (it renders only those on screen). */
// The lines on screen; a view opened again reads its file anew, so callers poll until they are there.
const shownLines = (page: Page) => page.getByTestId('log-line').allInnerTexts();

const EXPECTED = Array.from({ length: 20 }, (_, i) => `e2e-line-${i + 1} é€😀`);

test('a task’s output, in order while it runs and after it ends; search; its sandbox, downloaded byte for byte', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  // Three lines, then (once the test has seen them followed: a file `go` in the sandbox, at most 60 s)
  // the other 17 over ~3.4 s; a binary file in the sandbox, a line on stderr. Without the wait, a slow
  // page opened the viewer after the last line and never saw the task running.
  const command = [
    'head -c 300000 /dev/urandom > blob.bin',
    'for i in 1 2 3; do echo "e2e-line-$i é€😀"; done',
    'n=0; while [ ! -e go ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done',
    'for i in $(seq 4 20); do echo "e2e-line-$i é€😀"; sleep 0.2; done',
    'echo "to stderr" >&2',
  ].join('; ');
  await framework.launch(agentId, [task('lg-e2e-seq', command)]);

  await page.goto(host.url);
  await page.getByTestId('cluster-card-lg-e2e').click();
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await expect(page.getByTestId('task-row-lg-e2e-seq')).toHaveAttribute('data-state', 'TASK_RUNNING', { timeout: 15_000 });
  await page.getByTestId('task-row-lg-e2e-seq').click();
  await page.getByTestId('task-log-links').getByRole('button', { name: 'stdout' }).click();

  const viewer = page.getByTestId('log-viewer');
  await expect(viewer.getByTestId('log-title')).toHaveText('stdout of task lg-e2e-seq');
  // While it runs: the first lines, in order, and the viewer is following.
  await expect(page.getByTestId('log-line').filter({ hasText: 'e2e-line-3 ' })).toBeVisible({ timeout: 15_000 });
  await expect(viewer).toHaveAttribute('data-mode', 'live');
  expect(await shownLines(page)).toEqual(EXPECTED.slice(0, 3));
  await page.screenshot({ path: 'test-results/screenshots/logs-task-following.png' });
  await writeFile(`${await sandboxDirectory()}/go`, '');
  // The next lines are followed as they come.
  await expect(page.getByTestId('log-line').filter({ hasText: 'e2e-line-4 ' })).toBeVisible({ timeout: 15_000 });

  // It ends: every line, in order, and the viewer says why it stopped.
  await expect(viewer.getByTestId('log-status')).toHaveText('ended: the task ended', { timeout: 20_000 });
  await expect.poll(() => shownLines(page)).toEqual(EXPECTED);

  // Copy: the lines held, as text.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await viewer.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(EXPECTED.join('\n'));

  // Search finds a known line and marks it.
  await viewer.getByTestId('log-search').fill('E2E-LINE-17');
  await expect(viewer.getByTestId('log-search-count')).toHaveText('1 of 1');
  await expect(viewer.locator('mark.log-mark')).toHaveText(['e2e-line-17']);
  await page.screenshot({ path: 'test-results/screenshots/logs-search.png' });

  // After it ended, opened again: the same lines (the sandbox outlives the task).
  await page.getByRole('radio', { name: 'stderr' }).click();
  await expect(viewer.getByTestId('log-title')).toHaveText('stderr of task lg-e2e-seq');
  await expect(page.getByTestId('log-line').filter({ hasText: 'to stderr' })).toBeVisible();
  await page.getByRole('radio', { name: 'stdout' }).click();
  await expect(viewer.getByTestId('log-status')).toHaveText('ended: the task ended');
  await expect.poll(() => shownLines(page)).toEqual(EXPECTED);

  // The sandbox: stdout, stderr and the file the task wrote, with sizes; a download equals the file.
  await page.getByRole('radio', { name: 'sandbox' }).click();
  const browser = page.getByTestId('sandbox-browser');
  for (const name of ['stdout', 'stderr', 'blob.bin']) await expect(browser.getByTestId(`sandbox-entry-${name}`)).toBeVisible();
  await expect(browser.getByTestId('sandbox-entry-blob.bin').getByTestId('sandbox-size')).toHaveText('293 KiB');
  await page.screenshot({ path: 'test-results/screenshots/logs-sandbox.png' });
  const [download] = await Promise.all([page.waitForEvent('download'), browser.getByTestId('sandbox-download-blob.bin').click()]);
  expect(download.suggestedFilename()).toBe('blob.bin');
  const directory = await sandboxDirectory();
  expect(await readFile(await download.path())).toEqual(await readFile(`${directory}/blob.bin`));

  // A file of the sandbox opens in the viewer; back to the sandbox from there.
  await browser.getByTestId('sandbox-open-stdout').click();
  await expect(viewer.getByTestId('log-title')).toHaveText('stdout');
  await expect.poll(() => shownLines(page)).toEqual(EXPECTED);
  await page.getByRole('button', { name: 'Back to the sandbox' }).click();
  await expect(browser).toBeVisible();
  expect(errors).toEqual([]);
});

test('a node log, one click from its card: the agent’s registration line, found by search', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByTestId('cluster-card-lg-e2e').click();
  await page.getByRole('button', { name: 'Logs of mesoscope-lg-e2e-agent-1' }).click();
  const viewer = page.getByTestId('log-viewer');
  await expect(viewer.getByTestId('log-title')).toHaveText('agent-1 · container log');
  await expect(viewer.getByTestId('log-status')).toHaveText('following');
  await viewer.getByTestId('log-search').fill('Registered with master');
  await expect(viewer.getByTestId('log-search-count')).toHaveText(/^1 of \d+$/);
  const line = page.getByTestId('log-line').filter({ hasText: /Registered with master .*; given agent ID / });
  await expect(line.first()).toBeVisible();
  // Docker's timestamp is shown as a time column; searching paused the follow.
  await expect(line.first().locator('.log-time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await expect(viewer.getByTestId('log-status')).toHaveText(/^paused/);
  await page.screenshot({ path: 'test-results/screenshots/logs-node.png' });

  // The same agent's Mesos log file (it runs with --log_dir), picked on the Logs page.
  await page.getByTestId('logs-node').click();
  await page.getByRole('option', { name: 'agent-1 · /slave/log' }).click();
  await expect(viewer.getByTestId('log-title')).toHaveText('agent-1 · /slave/log');
  await viewer.getByTestId('log-search').fill('Registered with master');
  await expect(viewer.getByTestId('log-search-count')).toHaveText(/^1 of \d+$/);
  expect(errors).toEqual([]);
});

test('a big file is read in ranges as the view moves, never whole; ANSI colours are rendered, markup stays text', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  // ~2 MB of numbered lines (the viewer opens the last 256 KiB), and a coloured line with markup in it.
  const command = "seq 1 300000 > numbers.txt; printf '\\033[31mred text\\033[0m <img src=x onerror=alert(1)>\\n'";
  await framework.launch(agentId, [task('lg-e2e-big', command)]);
  await framework.terminal('lg-e2e-big');

  await openOnLogsPage(page, 'lg-e2e-big');

  const viewer = page.getByTestId('log-viewer');
  const red = viewer.locator('.log-text span', { hasText: 'red text' });
  await expect(red).toHaveCSS('color', 'rgb(187, 0, 0)');
  await expect(page.getByTestId('log-line')).toHaveText(['red text <img src=x onerror=alert(1)>']);
  await expect(viewer.locator('img')).toHaveCount(0);

  await page.getByRole('radio', { name: 'sandbox' }).click();
  await page.getByTestId('sandbox-open-numbers.txt').click();
  const footer = viewer.getByTestId('log-footer');
  await expect(page.getByTestId('log-line').last()).toHaveText('300000');
  const size = 1_988_895; // bytes of `seq 1 300000`
  const opened = /bytes ([\d,]+)–([\d,]+) of ([\d,]+)/.exec((await footer.textContent()) ?? '');
  const num = (x: string | undefined) => Number((x ?? '').replace(/,/g, ''));
  expect(num(opened?.[3])).toBe(size);
  expect(num(opened?.[2])).toBe(size);
  expect(num(opened?.[1])).toBeGreaterThan(size - 300 * 1024); // the tail, not the whole file
  expect(num(opened?.[1])).toBeLessThan(size);

  // Scrolling to the top reads the range before (the lines held grow, the first line is earlier).
  const firstShown = async () => Number(await page.getByTestId('log-line').first().textContent());
  const before = await firstShown();
  await page.getByTestId('log-scroll').hover();
  await page.mouse.wheel(0, -1_000_000);
  await expect.poll(async () => num(/bytes ([\d,]+)/.exec((await footer.textContent()) ?? '')?.[1])).toBeLessThan(num(opened?.[1]));
  await page.mouse.wheel(0, -1_000_000);
  await expect.poll(firstShown).toBeLessThan(before);

  // The start of the file, then forward again by scrolling down.
  await viewer.getByRole('button', { name: 'Start of the file' }).click();
  await expect(page.getByTestId('log-line').first()).toHaveText('1');
  await expect(viewer).toHaveAttribute('data-mode', 'window');
  const held = async () => num(/^([\d,]+) lines held/.exec((await footer.textContent()) ?? '')?.[1]);
  const heldAtStart = await held();
  await page.getByTestId('log-scroll').hover();
  for (let i = 0; i < 3; i += 1) await page.mouse.wheel(0, 1_000_000);
  await expect.poll(held).toBeGreaterThan(heldAtStart);
  // Jump to the end: the tail again, followed.
  await viewer.getByTestId('log-jump-end').click();
  await expect(page.getByTestId('log-line').last()).toHaveText('300000');

  // Search beyond what is held: the host searches the file, the view moves to the line found.
  await viewer.getByTestId('log-search').fill('123456');
  await expect(viewer.getByTestId('log-search-count')).toHaveText('none held');
  await viewer.getByTestId('log-search').press('Enter');
  await expect(viewer.locator('mark.log-mark')).toHaveText(['123456']);
  await expect(viewer.getByTestId('log-search-count')).toHaveText(/^1 of 1 held$/);
  await expect(viewer).toHaveAttribute('data-mode', 'window');
  await page.screenshot({ path: 'test-results/screenshots/logs-search-file.png' });
  await viewer.getByTestId('log-search').fill('no such text');
  await viewer.getByTestId('log-search').press('Enter');
  await expect(viewer.getByTestId('log-search-count')).toHaveText(/^no (further|earlier) match in the file$/);
  expect(errors).toEqual([]);
});

test('a fast log stays at its newest lines while followed; scrolling up pauses it where the user went, with those lines on screen; Follow goes back; Pause keeps the screen', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  // About 40,000 lines a second for some 30 s: faster than any screen shows, as a busy task writes.
  const command = 'for s in $(seq 1 600); do seq -f "fast-$s-%g" 1 2000; sleep 0.05; done';
  await framework.launch(agentId, [task('lg-e2e-fast', command)]);
  await framework.update('lg-e2e-fast', 'TASK_RUNNING', 30_000);

  await openOnLogsPage(page, 'lg-e2e-fast');
  const viewer = page.getByTestId('log-viewer');
  await expect(viewer.getByTestId('log-status')).toHaveText('following');

  // Following: once a screenful has come, the screen is full of lines ending at the newest one held,
  // and it moves on.
  await expect.poll(async () => (await onScreen(page)).covered, { timeout: 15_000 }).toBe(true);
  const followed = await onScreen(page);
  expect(followed.lastIsNewest).toBe(true);
  await expect.poll(async () => (await onScreen(page)).lines.at(-1)).not.toBe(followed.lines.at(-1));

  // Scrolling up pauses it there: the lines of that place fill the screen, and stay.
  await page.getByTestId('log-scroll').hover();
  await page.mouse.wheel(0, -3000);
  await expect(viewer.getByTestId('log-status')).toHaveText(/^paused/);
  await page.waitForTimeout(300);
  const paused = await onScreen(page);
  expect(paused.covered).toBe(true);
  expect(paused.lastIsNewest).toBe(false);
  expect(paused.lines.every((line) => /^fast-\d+-\d+$/.test(line))).toBe(true);
  await page.waitForTimeout(500);
  expect((await onScreen(page)).lines).toEqual(paused.lines);
  await expect(viewer.getByTestId('log-status')).toHaveText(/new lines waiting/);

  // Follow: the newest lines again, moving on.
  await viewer.getByTestId('log-follow').click();
  await expect(viewer.getByTestId('log-status')).toHaveText('following');
  await expect.poll(async () => (await onScreen(page)).lastIsNewest).toBe(true);
  expect((await onScreen(page)).covered).toBe(true);

  // Pause, without scrolling: it stays at the lines it showed, the screen full.
  await viewer.getByTestId('log-pause').click();
  await expect(viewer.getByTestId('log-status')).toHaveText(/^paused/);
  await page.waitForTimeout(300);
  const stopped = await onScreen(page);
  expect(stopped.covered).toBe(true);
  expect(stopped.lastIsNewest).toBe(true);
  await page.waitForTimeout(500);
  expect((await onScreen(page)).lines).toEqual(stopped.lines);
  expect(errors).toEqual([]);
});

/** The Logs page, the cluster and the task chosen: the task's stdout in the viewer. */
async function openOnLogsPage(page: Page, taskId: string): Promise<void> {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Logs', exact: true }).click();
  await page.getByTestId('logs-cluster').click();
  await page.getByRole('option', { name: 'lg-e2e' }).click();
  await page.getByTestId('logs-task').click();
  await page.getByRole('option', { name: new RegExp(`^${taskId}`) }).click();
}

/**
 * The lines inside the log's box as the user sees them (rows rendered outside it do not count), whether
 * rows cover the box from top to bottom (no blank band), and whether the last one is the newest held.
 */
async function onScreen(page: Page): Promise<{ lines: string[]; covered: boolean; lastIsNewest: boolean }> {
  // In-page source text: the e2e code is type-checked for Node, without the DOM.
  return page.evaluate(`(() => {
    const box = document.querySelector('[data-testid="log-scroll"]');
    const top = box.getBoundingClientRect().top + box.clientTop;
    const bottom = top + box.clientHeight;
    const rows = [...box.querySelectorAll('[data-testid="log-line"]')]
      .map((el) => ({ el, rect: el.getBoundingClientRect() }))
      .filter(({ rect }) => rect.bottom > top + 1 && rect.top < bottom - 1)
      .sort((a, b) => a.rect.top - b.rect.top);
    const footer = document.querySelector('[data-testid="log-footer"]').textContent;
    const held = Number(/^([\\d,]+) lines held/.exec(footer)[1].replace(/,/g, ''));
    const covered = rows.length > 0 && rows[0].rect.top <= top + 1 && rows[rows.length - 1].rect.bottom >= bottom - 1
      && rows.every((r, i) => i === 0 || Math.abs(r.rect.top - rows[i - 1].rect.bottom) < 1);
    const last = rows[rows.length - 1];
    return { lines: rows.map((r) => r.el.textContent), covered, lastIsNewest: last !== undefined && Number(last.el.dataset.index) === held - 1 };
  })()`);
}

/** The task's sandbox on the host: agents' work dirs are bound at the same path (docs/mesos/api.md §7.4). */
async function sandboxDirectory(): Promise<string> {
  // Node's fetch refuses some ports an agent may get (5060, 5061: "bad port"); the app's client does not.
  const state = await new AgentClient(`http://127.0.0.1:${cluster.summary.layout.agents[0]?.port}`).state();
  const run = runsOfTask(state, 'lg-e2e-seq')[0];
  if (!run) throw new Error('no sandbox of lg-e2e-seq in the agent state');
  return run.executor.directory;
}
