import { access, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunsView } from '@shared/runs/schemas';
import type { ServiceView } from '@shared/services/schemas';
import { mesoscopeCli } from '../testbed/support/mesoscope-cli';
import { collectConsoleErrors } from './support/console-errors';
import { hostClient } from './support/tour-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * A terminal beside the open app (`npm run start:web`), on the same data dir: the CLI drives the
 * clusters through the app's API socket (host-api.json), so the app's built-in framework keeps its one
 * subscription. Before, the CLI ran a second engine that subscribed the same framework id; Mesos failed
 * the app's subscription over, and the app's services were no longer kept. Once the app stops, the CLI
 * runs the engine itself.
 */

const CLUSTER = 'cli-beside';
const TASK_IMAGE = 'mesoscope/task-base:test';

let host: WebHostProcess | undefined;
let env: NodeJS.ProcessEnv;
const mesoscope = (...args: string[]) => mesoscopeCli(args, { env, timeoutMs: 120_000 });
/** What the CLI says when it does not go through the app. */
const ON_ITS_OWN = /in this process|did not answer/;

test.afterEach(async () => {
  if (!host) return;
  await mesoscope('down', CLUSTER);
  await host.stop();
});

test('the CLI beside the app goes through it: one framework, the service the app keeps stays kept', async ({ page }) => {
  test.setTimeout(240_000);
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  env = { ...process.env, MESOSCOPE_CONFIG_DIR: host.configDir, MESOSCOPE_WORK_ROOT: host.workRoot };
  const endpoint = join(host.configDir, 'host-api.json');
  expect((await stat(endpoint)).mode & 0o777).toBe(0o600);
  const errors = collectConsoleErrors(page);
  const app = hostClient(host.url);
  try {
    const spec = join(host.configDir, 'cluster.yaml');
    await writeFile(spec, [`name: ${CLUSTER}`, 'agents: { count: 1 }', 'masters: { flags: { allocation_interval: 250ms } }', 'pullPolicy: never'].join('\n'));
    const up = await mesoscope('up', '-f', spec, '--yes');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toMatch(ON_ITS_OWN);

    // A service made from the terminal is the app's: its Services tab shows it running.
    const add = await mesoscope('service', 'add', CLUSTER, 'kept', '--image', TASK_IMAGE, '--mem', '32', '--', 'exec sleep 600');
    expect([add.code, add.stderr]).toEqual([0, '']);
    await page.goto(host.url);
    await page.getByTestId(`cluster-card-${CLUSTER}`).click();
    await page.getByRole('tab', { name: /^Services/ }).click();
    const card = page.getByTestId('service-kept');
    await expect(card.getByTestId('service-running')).toHaveText('1 of 1 running', { timeout: 60_000 });
    const instance = JSON.parse((await mesoscope('service', 'ls', CLUSTER, 'kept', '--json')).stdout) as ServiceView;
    const keptTask = instance.instances[0]?.taskId;
    expect(keptTask).toBeTruthy();

    const frameworks: { view: RunsView | null } = { view: null };
    const stop = app.subscribe('runs.view', { cluster: CLUSTER }, (v) => (frameworks.view = v));
    await expect.poll(() => frameworks.view?.frameworks.find((f) => f.state === 'subscribed')?.id, { timeout: 15_000 }).toBeTruthy();
    const ours = frameworks.view?.frameworks.find((f) => f.state === 'subscribed');

    // A one-off task from the terminal: launched by the app's framework, shown in its Tasks tab.
    const run = await mesoscope('run', CLUSTER, '--json', '--name', 'from-terminal', '--', 'echo hi from the terminal');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(ON_ITS_OWN);
    expect((JSON.parse(run.stdout) as { frameworkId: string }).frameworkId).toBe(ours?.id);
    await page.getByRole('tab', { name: /^Tasks/ }).click();
    await expect(page.locator('[data-testid^="task-row-from-terminal"]')).toHaveAttribute('data-state', 'TASK_FINISHED', { timeout: 30_000 });

    // The app's subscription was never failed over, and its service runs the same instance.
    const after = frameworks.view?.frameworks.find((f) => f.id === ours?.id);
    expect([after?.state, after?.error]).toEqual(['subscribed', undefined]);
    stop();
    await page.getByRole('tab', { name: /^Services/ }).click();
    await expect(card.getByTestId('service-running')).toHaveText('1 of 1 running');
    await expect(card.getByTestId('instance-kept-1')).toContainText(keptTask as string);
    await page.screenshot({ path: 'test-results/screenshots/cli-beside-app.png' });
    expect(errors).toEqual([]);
  } finally {
    app.close();
  }

  // The app stops: it takes its endpoint back, and the CLI runs the engine itself, quietly.
  await host.stop({ keepDirs: true });
  await expect(access(endpoint)).rejects.toThrow(/ENOENT/);
  const down = await mesoscope('down', CLUSTER);
  expect(down.code, down.stderr).toBe(0);
  expect(down.stderr).not.toMatch(ON_ITS_OWN);
  await host.stop();
  host = undefined;
});
