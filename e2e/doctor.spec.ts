import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { faultById, type FaultId } from '@shared/faults/catalog';
import { startCluster, type RunningCluster } from '../electron/index';
import { dropLocal } from '../testbed/scenario/registry-images';
import { collectConsoleErrors } from './support/console-errors';
import { closeDrawer, drawerOf, injectFault } from './support/fault-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';
import { FAULT_TIMERS, type FaultBench, MISSING_IMAGE, startFaultBench, stopFaultBench } from './support/fault-cluster';

/**
 * The task doctor through the UI. The fault suite is run from its fault buttons on one HA cluster
 * (docs/mesos/faults.md's fast timers: 1 s pings × 3) while it is recorded; after each fault the task drawer's
 * doctor names the expected cause with its decisive evidence highlighted (screenshots of four). The
 * recording is then opened in a fresh web host (its own config dir) and, at the same moments on the
 * time slider, the doctor says the same. The network cut needs a bridge network: a cluster of its own.
 */

const CLUSTER = 'dr-e2e';

let host: WebHostProcess;
let cluster: RunningCluster;
let agents: FaultBench['agents'] = [];
let slowImage: string | undefined;

/** What the live doctor said, and when: the replay must say the same at that moment. */
interface Seen {
  fault: FaultId;
  taskId: string;
  /** null: nothing to diagnose (the task kept running). */
  ruleId: string | null;
  title?: string;
  decisive?: string;
  at: number;
}
const seen: Seen[] = [];
let recordingPath = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ({ host, cluster, agents, slowImage } = await startFaultBench(CLUSTER));
});

test.afterAll(async () => {
  await stopFaultBench({ host, cluster, slowImage });
});

async function openCluster(page: Page, name = CLUSTER): Promise<void> {
  await page.goto(host.url);
  await page.getByTestId(`cluster-card-${name}`).click();
  await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
}


/**
 * The drawer's doctor reaches the expected rule (evidence may arrive after the status: the first verdict
 * can be a less certain one) and shows its title, cause, fix and decisive evidence; noted for the replay.
 */
/** The task a fault from its card hit. */
const injectTask = async (...args: Parameters<typeof injectFault>) => (await injectFault(...args)).taskId;

async function expectDoctor(
  page: Page,
  fault: FaultId,
  taskId: string,
  expected: { ruleId: string; title: string; cause: RegExp; decisive: RegExp; screenshot?: string },
  timeout = 30_000,
): Promise<Locator> {
  const drawer = await drawerOf(page, taskId);
  const doctor = drawer.getByTestId('doctor');
  await expect(doctor).toHaveAttribute('data-rule', expected.ruleId, { timeout });
  await expect(doctor.getByTestId('doctor-title')).toHaveText(expected.title);
  await expect(doctor.getByTestId('doctor-cause')).toHaveText(expected.cause);
  await expect(doctor.getByTestId('doctor-fix')).not.toBeEmpty();
  const decisive = doctor.locator('[data-decisive]');
  await expect(decisive).toHaveCount(1);
  await expect(decisive).toContainText(expected.decisive);
  await expect(decisive).toContainText('decisive');
  seen.push({ fault, taskId, ruleId: expected.ruleId, title: expected.title, decisive: (await decisive.textContent()) ?? '', at: Date.now() });
  if (expected.screenshot) await page.screenshot({ path: `test-results/screenshots/${expected.screenshot}` });
  return drawer;
}

// The fault suite runs on one page (one recording across the tests below), a test per fault so that a hang
// shows as the fault it belongs to; each test starts where the previous one left the page.
let page: Page;
let errors: string[] = [];

test.describe('the fault suite, recorded: after each fault the doctor names the cause with its decisive evidence', () => {
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    errors = collectConsoleErrors(page);
  });
  test.afterAll(async () => {
    await page?.close();
  });

  test('recording starts', async () => {
    await openCluster(page);
    await page.getByTestId('record-start').click();
    await expect(page.getByTestId('record-stop')).toBeVisible();
  });

  test('row 3: an OOM kill, told from any SIGKILL by Docker’s OOMKilled; the task table marks it', async () => {
    const task = await injectTask(page, 'oom-task');
    const drawer = await expectDoctor(page, 'oom-task', task, {
      ruleId: 'oom-killed',
      title: 'Out of memory',
      cause: /used more memory than its 32 MB, so the kernel killed it/,
      decisive: /Task container died \(exit 137, OOM killed\)/,
      screenshot: 'doctor-oom.png',
    });
    await expect(drawer.getByTestId('doctor-links')).toContainText('Sandbox');
    await closeDrawer(page);
    await expect(page.getByTestId(`task-row-${task}`).getByTestId('doctor-mark')).toHaveAttribute('data-rule', 'oom-killed', { timeout: 10_000 });
  });

  test('row 4: the registry has no such tag; the status carries the daemon’s own words', async () => {
    const task = await injectTask(page, 'missing-image', { params: { image: MISSING_IMAGE } });
    await expectDoctor(page, 'missing-image', task, {
      ruleId: 'image-not-found',
      title: 'Image not found',
      cause: new RegExp(`could not pull ${MISSING_IMAGE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the registry has no such image or tag`),
      decisive: /manifest unknown/,
      screenshot: 'doctor-missing-image.png',
    });
    await closeDrawer(page);
  });

  test('row 13: a pull longer than a 2 s registration timeout, on an agent added for it; the doctor offers the change', async () => {
    const task = await injectTask(page, 'slow-pull', { params: { image: slowImage!, timeout: '2secs' } });
    const drawer = await expectDoctor(page, 'slow-pull', task, {
      ruleId: 'pull-exceeded-registration-timeout',
      title: 'Image pull slower than the executor registration timeout',
      cause: /includes the pull, and the pull took longer/,
      decisive: /did not register within 2secs/,
    });
    const timeoutChange = drawer.getByTestId('doctor-spec-change');
    await expect(timeoutChange).toContainText('Raise the executor registration timeout from 2secs to 5mins');
    await expect(timeoutChange).toContainText(/agents\.list\[\d+\]\.flags\.executor_registration_timeout/);
    await closeDrawer(page);
    if (slowImage) await dropLocal(slowImage);
  });

  test('row 14: no update ever; the agent’s failed sends decide it; the fix replaces the agent', async () => {
    test.setTimeout(150_000);
    // Past the threshold the agent's failed sends to the executor decide it, and the fix is the executors'
    // address: applied by replacing the agent (a running agent's flags cannot change).
    const task = await injectTask(page, 'unreachable-executor');
    const drawer = await expectDoctor(
      page,
      'unreachable-executor',
      task,
      {
        ruleId: 'staging-unreachable-executor',
        title: 'Stuck in STAGING: the agent cannot reach the executor',
        cause: /the agent cannot answer it at 127\.0\.0\.2:\d+/,
        decisive: /Failed to send 'mesos\.internal\.RunTaskMessage' to '127\.0\.0\.2:\d+'/,
      },
      45_000,
    );
    const addressChange = drawer.getByTestId('doctor-spec-change');
    await expect(addressChange).toContainText('Stop overriding LIBPROCESS_IP, LIBPROCESS_ADVERTISE_IP for executors');
    await addressChange.getByTestId('doctor-apply').click();
    // The changed spec is reviewed before it runs, like an imported one: the test images are not the defaults.
    await expect(page.getByRole('alertdialog').getByTestId('review-images.agent')).toHaveAttribute('data-level', 'danger');
    await page.getByRole('alertdialog').getByRole('button', { name: /^Replace agent \d+$/ }).click();
    await expect(drawer.getByTestId('doctor-fix-result')).toContainText(/Agent \d+ was replaced by agent \d+ with agents\.list\[\d+\]\.flags\.executor_environment_variables removed/, {
      timeout: 60_000,
    });
    await closeDrawer(page);
  });

  test('rows 10 and 9: a paused agent misses its pings; its container’s pause is the decisive evidence', async () => {
    const task = await injectTask(page, 'pause-agent', { partitionAware: true, agentPort: agents[1]!.port });
    const drawer = await expectDoctor(page, 'pause-agent', task, {
      ruleId: 'agent-paused',
      title: 'Agent paused: unreachable',
      cause: /was paused, so it stopped answering the master’s pings\. After 3 missed pings the master marked it unreachable and the task became unreachable/,
      decisive: /Agent container \(agent \d\) paused/,
      screenshot: 'doctor-agent-paused.png',
    });
    const more = drawer.getByTestId('doctor-evidence-more');
    if ((await more.count()) > 0) await more.first().click();
    await expect(drawer.getByTestId('doctor-evidence')).toContainText(/Marking agent \S+ \(.*\) unreachable: health check timed out/);
    // The doctor's rule cites its rows; a citation opens the Reference page there, and Back returns.
    await drawer.getByTestId('doctor-citations').getByTestId('citation').filter({ hasText: 'faults.md 10' }).click();
    await expect(page.getByTestId('reference-doc').locator('#row-10')).toContainText('UNREACHABLE / REASON_AGENT_REMOVED / MASTER');
    await expect(page.getByTestId('reference-doc').locator('#row-10')).toBeInViewport();
    await page.getByTestId('reference-back').click();
    await page.getByRole('tab', { name: 'Faults' }).click();
    await page.getByTestId('undo-pause-agent').click();
    await expect(page.getByTestId('undo-pause-agent')).toHaveText(/Done/, { timeout: 15_000 });
  });

  test('row 11: a stopped agent, a framework that does not checkpoint: LOST at once', async () => {
    const task = await injectTask(page, 'stop-agent', { checkpoint: false, agentPort: agents[2]!.port });
    const drawer = await expectDoctor(page, 'stop-agent', task, {
      ruleId: 'agent-stopped-disconnected',
      title: 'Agent stopped: task lost',
      cause: /container \(.*agent \d.*\) stopped\. Its connection to the master closed/,
      decisive: /Agent container \(agent \d\) (stopped|died|killed)/,
      screenshot: 'doctor-agent-stopped.png',
    });
    await expect(drawer.getByTestId('task-timeline')).toContainText('LOST');
    await closeDrawer(page);
    await page.getByRole('tab', { name: 'Faults' }).click();
    await page.getByTestId('undo-stop-agent').click();
    await expect(page.getByTestId('undo-stop-agent')).toHaveText(/Done/, { timeout: 30_000 });
  });

  test('api.md §9 #17: a wiped work dir, a new agent at the same address; the status says it all', async () => {
    // A race Mesos runs decides the message: when the restart outlasts the 1 s × 3 pings (a busy machine),
    // the old agent was unreachable first (the fault's result says which; testbed/contract/DIFFERENCES.md).
    const task = await injectTask(page, 'wipe-agent', { agentPort: agents[3]!.port });
    const wiped = page.getByTestId('fault-result-wipe-agent');
    await expect(wiped).toHaveAttribute('data-verdict', 'as-expected', { timeout: 30_000 });
    const pingsFirst = /pings ran out/.test((await wiped.getByTestId('fault-detail').textContent()) ?? '');
    await expectDoctor(
      page,
      'wipe-agent',
      task,
      pingsFirst
        ? { ruleId: 'agent-unreachable', title: 'Agent unreachable', cause: /stopped answering the master’s pings/, decisive: /unreachable/i }
        : {
            ruleId: 'agent-replaced',
            title: 'Agent replaced by a new one',
            cause: /A new agent registered at the same address/,
            decisive: /removed: a new agent registered at the same address/,
          },
    );
    await closeDrawer(page);
  });

  test('row 18: the leader stopped; the task keeps running, and the doctor looked and has nothing to explain', async () => {
    const task = await injectTask(page, 'stop-leader');
    await expect(page.getByTestId('fault-result-stop-leader')).toHaveAttribute('data-verdict', 'as-expected', { timeout: 45_000 });
    await expect(page.getByTestId('mesos-connection')).toHaveText('Live', { timeout: 30_000 });
    const drawer = await drawerOf(page, task);
    await expect(drawer.getByTestId('task-timeline').locator('li').last()).toContainText('RUNNING');
    // The doctor's own answer for this task, not the absence of one: it looked, and the task is active.
    await expect(drawer.getByTestId('doctor-nothing')).toHaveAttribute('data-why', 'active', { timeout: 15_000 });
    await expect(drawer.getByTestId('doctor')).toHaveCount(0);
    seen.push({ fault: 'stop-leader', taskId: task, ruleId: null, at: Date.now() });
    await closeDrawer(page);
  });

  test('recording stops: one file in the recordings folder; no page error all along', async () => {
    await page.getByTestId('record-stop').click();
    const saved = page.getByTestId('record-saved');
    await expect(saved).toBeVisible({ timeout: 15_000 });
    recordingPath = (await saved.getAttribute('title')) ?? '';
    expect(recordingPath).toMatch(new RegExp(`/recordings/${CLUSTER}-\\d{8}-\\d{6}\\.mesorec$`));
    expect(errors).toEqual([]);
  });
});

test('the recording, opened in a fresh app: the same diagnoses at the same moments, read-only', async ({ page }) => {
  test.setTimeout(180_000);
  expect(recordingPath).not.toBe('');
  // The header (line 1) says when recording began: the slider's zero.
  const { startedAt } = JSON.parse(gunzipSync(await readFile(recordingPath)).toString('utf8').split('\n')[0]!) as { startedAt: number };
  const fresh = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
  try {
    const errors = collectConsoleErrors(page);
    await page.goto(fresh.url);
    await page.getByRole('button', { name: 'Recordings' }).click();
    await expect(page.getByText('No recordings yet')).toBeVisible();
    // The browser hands the file to the host (the web host has no file dialog of its own).
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('recording-open-file').click();
    await (await chooser).setFiles(recordingPath);
    const replay = page.getByTestId('replay');
    await expect(replay).toBeVisible({ timeout: 30_000 });
    await expect(replay.getByTestId('replay-badge')).toHaveText('Recording · read-only');
    await expect(replay).toContainText(`Recording of ${CLUSTER}`);
    // Every fault was marked on the time line by the fault buttons, and the fix applied.
    const marks = replay.getByTestId('replay-marks');
    for (const fault of ['oom-task', 'missing-image', 'slow-pull', 'unreachable-executor', 'pause-agent', 'stop-agent', 'wipe-agent', 'stop-leader'] as const) {
      await expect(marks).toContainText(`Fault: ${faultById(fault).label}`);
    }
    await expect(marks).toContainText('Fix applied: agents.list');

    await page.getByRole('tab', { name: /^Tasks/ }).click();
    for (const s of seen) {
      const offset = replay.getByTestId('replay-offset');
      await offset.fill(((s.at - startedAt) / 1000).toFixed(3));
      await offset.press('Enter');
      await page.getByRole('textbox', { name: 'Search tasks' }).fill(s.taskId);
      const row = page.getByTestId(`task-row-${s.taskId}`);
      await row.click();
      const drawer = page.getByTestId('task-drawer');
      // Read-only: no kill button, no live Docker look-up, no fix to apply.
      await expect(drawer.getByTestId('kill-task')).toHaveCount(0);
      if (s.ruleId === null) {
        await expect(drawer.getByTestId('task-timeline').locator('li').last()).toContainText('RUNNING');
        await expect(drawer.getByTestId('doctor-nothing')).toHaveAttribute('data-why', 'active');
        await expect(drawer.getByTestId('doctor')).toHaveCount(0);
      } else {
        const doctor = drawer.getByTestId('doctor');
        await expect(doctor, `${s.fault} at +${s.at - startedAt} ms`).toHaveAttribute('data-rule', s.ruleId);
        await expect(doctor.getByTestId('doctor-title')).toHaveText(s.title!);
        await expect(doctor.locator('[data-decisive]')).toHaveText(s.decisive!);
        await expect(doctor.getByTestId('doctor-apply')).toHaveCount(0);
        if (s.fault === 'pause-agent') await page.screenshot({ path: 'test-results/screenshots/recording-replay-doctor.png' });
      }
      await page.keyboard.press('Escape');
      if (s.fault === 'pause-agent') {
        await page.getByRole('textbox', { name: 'Search tasks' }).fill('');
        await replay.getByTestId('replay-badge').scrollIntoViewIfNeeded();
        await page.screenshot({ path: 'test-results/screenshots/recording-replay.png' });
      }
      if (s.ruleId !== null) await expect(row.getByTestId('doctor-mark')).toHaveAttribute('data-rule', s.ruleId);
    }
    // Before the first fault the OOM task does not exist yet. At +0 the recorder may not have its first
    // snapshot yet ("nothing recorded yet"), so go to the first change after the start: still before it.
    const offset = replay.getByTestId('replay-offset');
    await offset.fill('0');
    await offset.press('Enter');
    await replay.getByRole('button', { name: 'Next change' }).click();
    await expect(offset).not.toHaveValue('+0.000 s');
    await page.getByRole('textbox', { name: 'Search tasks' }).fill(seen[0]!.taskId);
    await expect(page.getByTestId(`task-row-${seen[0]!.taskId}`)).toHaveCount(0);

    await replay.getByTestId('replay-close').click();
    await expect(page.getByTestId('recordings-list')).toContainText(CLUSTER);
    await page.screenshot({ path: 'test-results/screenshots/recordings.png' });
    expect(errors).toEqual([]);
  } finally {
    await fresh.stop();
  }
});

test('a cut network (bridge clusters only): the master’s “unreachable” line decides it (row 9)', async ({ page }) => {
  test.setTimeout(180_000);
  const bridge = await startCluster(
    { name: 'dr-e2e-br', network: 'bridge', agents: { count: 1 }, timers: FAULT_TIMERS, pullPolicy: 'never', images: TEST_IMAGES },
    { workRoot: host.workRoot },
  );
  try {
    await openCluster(page, 'dr-e2e-br');
    const { card, taskId } = await injectFault(page, 'cut-agent-network');
    const drawer = await drawerOf(page, taskId);
    const doctor = drawer.getByTestId('doctor');
    // No container event: the pings alone; the master's log line is the evidence.
    await expect(doctor).toHaveAttribute('data-rule', 'agent-unreachable', { timeout: 30_000 });
    await expect(doctor.getByTestId('doctor-title')).toHaveText('Agent unreachable');
    await expect(doctor.locator('[data-decisive]')).toContainText(/Marking agent \S+ \(.*\) unreachable: health check timed out/);
    await closeDrawer(page);
    await page.getByRole('tab', { name: 'Faults' }).click();
    await card.getByTestId('undo-cut-agent-network').click();
  } finally {
    await bridge.destroy();
  }
});
