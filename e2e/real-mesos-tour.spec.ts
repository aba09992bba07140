import { expect, test } from '@playwright/test';
import { MESOS_KIND, ON_REAL_MESOS } from '../testbed/real-mesos/images';
import { collectConsoleErrors } from './support/console-errors';
import { TASK_IMAGE } from './support/fault-ui';
import { hostClient, runAgentDiesTour } from './support/tour-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * The guided tour "When an agent dies" in the real UI on real Apache Mesos (playwright.real-mesos.config.ts
 * sets MESOSCOPE_TEST_MESOS_IMAGE=mesoscope/mesos:1.12.0): the same scenes and the same assertions as on the
 * emulator (e2e/tours.spec.ts), each outcome judged against docs/mesos/faults.md by the host.
 */

const CLUSTER = `rm-tour-${process.pid}`;
let host: WebHostProcess;

test.beforeAll(async () => {
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
});

test.afterAll(async () => {
  if (!host) return;
  const api = hostClient(host.url);
  await api.call('tours.end', { destroy: true }).catch(() => undefined);
  if ((await api.call('clusters.list', {}).catch(() => [])).some((c) => c.name === CLUSTER)) await api.call('clusters.destroy', { name: CLUSTER });
  api.close();
  await host.stop();
});

test(`"When an agent dies" runs end to end on ${MESOS_KIND}`, async ({ page }) => {
  test.setTimeout(600_000);
  expect(ON_REAL_MESOS, 'this project runs with MESOSCOPE_TEST_MESOS_IMAGE set (playwright.real-mesos.config.ts)').toBe(true);
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await runAgentDiesTour(page, { cluster: CLUSTER, taskImage: TASK_IMAGE, screenshot: (scene) => `test-results/real-mesos/tour-agent-dies-${scene}.png` });
  await expect(page.getByTestId('mesos-badge')).toHaveText('Mesos 1.12.0');
  await page.getByTestId('tour-end').click();
  // The tour's cluster is destroyed first (task containers and work dirs included).
  await expect(page.getByTestId('tour-card')).toHaveCount(0, { timeout: 90_000 });
  const api = hostClient(host.url);
  await expect.poll(async () => (await api.call('clusters.list', {})).some((c) => c.name === CLUSTER), { timeout: 60_000 }).toBe(false);
  api.close();
  expect(errors).toEqual([]);
});
