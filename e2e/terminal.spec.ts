import { expect, type Page, test } from '@playwright/test';
import { startCluster, type RunningCluster } from '../electron/index';
import { collectConsoleErrors } from './support/console-errors';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

// A terminal into a node's container and into a task's, in the web host: typed keys reach the
// container, its output comes back, the TTY follows the panel's size, and the session ends when
// the container does.
let host: WebHostProcess;
let cluster: RunningCluster;
const NAME = 'term-e2e';
const AGENT = `mesoscope-${NAME}-agent-1`;

test.beforeAll(async () => {
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  cluster = await startCluster(
    { name: NAME, agents: { count: 1 }, pullPolicy: 'never', images: TEST_IMAGES, masters: { flags: { allocation_interval: '250ms' } } },
    { workRoot: host.workRoot },
  );
});

test.afterAll(async () => {
  await cluster?.destroy();
  await host?.stop();
});

/** What the terminal shows (xterm's rows, as text). */
const screen = (page: Page) => page.getByTestId('terminal-host').locator('.xterm-rows').innerText();

/** Types a line into the terminal (xterm's hidden textarea has the focus) and presses Enter. */
async function typeLine(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The number the last `echo COLS=$(tput cols)` printed. */
async function lastCols(page: Page, marker: string): Promise<number> {
  let cols = 0;
  await expect
    .poll(async () => {
      const found = [...(await screen(page)).matchAll(new RegExp(`${marker}=(\\d+)`, 'g'))].at(-1);
      cols = Number(found?.[1] ?? 0);
      return cols;
    })
    .toBeGreaterThan(0);
  return cols;
}

test("a node's container: typed input reaches it, output comes back, resizing the panel changes tput cols", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${NAME}`).click();
  await page.getByTestId(`node-${AGENT}`).getByRole('button', { name: `Terminal into ${AGENT}` }).click();
  const dialog = page.getByTestId('terminal-dialog');
  await expect(dialog.getByTestId('terminal-status')).toHaveText(`agent-1 · ${AGENT}`, { timeout: 20_000 });

  await typeLine(page, 'echo "typed-$((6*7))"; echo COLS1=$(tput cols)');
  await expect.poll(() => screen(page)).toContain('typed-42');
  const wide = await lastCols(page, 'COLS1');
  await page.screenshot({ path: 'test-results/screenshots/terminal.png' });

  // The panel follows the window: a narrower window, a narrower TTY.
  const size = page.getByTestId('terminal-host');
  await expect(size).toHaveAttribute('data-size', new RegExp(`^${wide}x\\d+$`));
  await page.setViewportSize({ width: 700, height: 700 });
  await expect(size).not.toHaveAttribute('data-size', new RegExp(`^${wide}x`));
  await page.getByTestId('terminal-host').click();
  await typeLine(page, 'echo COLS2=$(tput cols)');
  const narrow = await lastCols(page, 'COLS2');
  expect(narrow).toBeLessThan(wide);
  expect(narrow).toBeGreaterThan(20);

  // Paste (the button reads the clipboard), and copy (the button writes the selection).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate("navigator.clipboard.writeText('echo pasted-$((2+3))')");
  await page.getByTestId('terminal-dialog').getByRole('button', { name: 'Paste' }).click();
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toContain('pasted-5');
  await page.getByTestId('terminal-host').dblclick({ position: { x: 40, y: 14 } });
  await page.getByTestId('terminal-dialog').getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toMatch(/^\S+$/);

  // The shell ends: the session says so, with the exit code's reason.
  await typeLine(page, 'exit 3');
  await expect(dialog.getByTestId('terminal-status')).toHaveText('Session ended: the command ended (exit 3)');
  await expect.poll(() => screen(page)).toContain('— session ended: the command ended (exit 3) —');
  expect(errors).toEqual([]);
});

test("a task's container, from the task drawer: the session ends when the task's container ends", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  const task = await cluster.run({ image: 'mesoscope/task-base:test', command: 'sleep 600', name: 'shell' }, { until: 'TASK_RUNNING', timeoutMs: 60_000 });
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${NAME}`).click();
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await page.getByTestId(`task-row-${task.id}`).click();
  await page.getByTestId('task-drawer').getByRole('button', { name: 'terminal' }).click();
  const dialog = page.getByTestId('terminal-dialog');
  await expect(dialog.getByTestId('terminal-status')).toHaveText(new RegExp(`^task ${task.id} · mesos-`), { timeout: 20_000 });

  await typeLine(page, "tr '\\0' ' ' < /proc/1/cmdline; echo; echo in-the-task");
  await expect.poll(() => screen(page)).toMatch(/sleep 600\s*\n(.*\n)*in-the-task/);

  await cluster.kill(task.id);
  await expect(dialog.getByTestId('terminal-status')).toHaveText(/^Session ended: the container (stopped|is gone)/, { timeout: 30_000 });
  await expect.poll(() => screen(page)).toContain('— session ended: the container');
  await page.screenshot({ path: 'test-results/screenshots/terminal-task-ended.png' });
  expect(errors).toEqual([]);
});
