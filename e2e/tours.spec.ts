import { expect, type Page, test } from '@playwright/test';
import { collectConsoleErrors } from './support/console-errors';
import { hostClient, runAgentDiesTour } from './support/tour-ui';
import { startWebHostProcess, TEST_IMAGES, type WebHostProcess } from './support/web-host-process';

/**
 * A guided tour end to end on the emulator ("When an agent dies": each scene's outcome, tab, row and
 * doctor's verdict asserted, its narration card photographed), watched by an audience: a second browser
 * context with the viewer token follows the presenter's highlights and sees the task list change live;
 * every write it tries is refused by the host with the field and reason; turning sharing off closes its socket.
 */

const CLUSTER = `tour-e2e-${process.pid}`;
/** What page.evaluate's functions use of the page (the e2e project is typed without the DOM). */
type PageGlobals = { sessionStorage: { getItem(key: string): string | null }; location: { host: string }; viewerSocketOpen?: boolean };
const TASK_IMAGE = 'mesoscope/task-base:test';
let host: WebHostProcess;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startWebHostProcess({}, { defaultImages: TEST_IMAGES });
});

test.afterAll(async () => {
  // Whatever happened above, the tour's cluster goes (the tour ends with it).
  const api = hostClient(host.url);
  await api.call('tours.end', { destroy: true }).catch(() => undefined);
  if ((await api.call('clusters.list', {}).catch(() => [])).some((c) => c.name === CLUSTER)) await api.call('clusters.destroy', { name: CLUSTER });
  api.close();
  await host?.stop();
});

/** Calls the API from inside a page, over a socket of its own with the token the page holds (a viewer's, here). */
async function callsFromPage(page: Page, calls: Array<[string, unknown]>): Promise<Array<{ ok: boolean; error?: { code: string; message: string; detail?: { issues?: Array<{ path: string; message: string }> } } }>> {
  return page.evaluate(async (list) => {
    const g = globalThis as unknown as PageGlobals;
    const token = g.sessionStorage.getItem('mesoscope.token');
    const ws = new WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(token ?? '')}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const replies = await Promise.all(
      list.map(
        ([name, input], id) =>
          new Promise<unknown>((resolve) => {
            ws.addEventListener('message', (event) => {
              const m = JSON.parse(String(event.data)) as { type: string; id: number; envelope: unknown };
              if (m.type === 'result' && m.id === id + 1) resolve(m.envelope);
            });
            ws.send(JSON.stringify({ type: 'call', id: id + 1, name, input }));
          }),
      ),
    );
    ws.close();
    return replies as never;
  }, calls);
}

test('"When an agent dies" runs end to end, an audience following it read-only', async ({ browser }) => {
  test.setTimeout(600_000);
  const presenterContext = await browser.newContext();
  const page = await presenterContext.newPage();
  const errors = collectConsoleErrors(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Tours' }).click();
  await expect(page.getByTestId('tour-agent-dies')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/tours.png' });

  let viewer: Page | undefined;
  let viewerUrl = '';
  await runAgentDiesTour(page, {
    cluster: CLUSTER,
    taskImage: TASK_IMAGE,
    screenshot: (scene) => `test-results/screenshots/tour-agent-dies-${scene}.png`,
    between: async (scene) => {
      if (scene === 1) {
        // The cluster is up: share it on loopback (the default) and open the link in a second browser.
        await page.getByTestId('share-button').click();
        await expect(page.getByTestId('share-address')).toContainText('loopback');
        await page.getByTestId('share-start').click();
        await expect(page.getByTestId('share-qr')).toBeVisible();
        viewerUrl = (await page.getByTestId('share-link').locator('code').innerText()).trim();
        expect(new URL(viewerUrl).hostname).toBe('127.0.0.1');
        expect(new URL(viewerUrl).searchParams.get('watch')).toBe(CLUSTER);
        expect(new URL(viewerUrl).searchParams.get('token')).not.toBe(new URL(host.url).searchParams.get('token'));
        const viewerContext = await browser.newContext();
        viewer = await viewerContext.newPage();
        await viewer.goto(viewerUrl);
        await expect(viewer.getByTestId('watching-badge')).toHaveText(`Watching ${CLUSTER} (read-only)`);
        await expect(page.getByTestId('share-viewers')).toHaveText('1 viewer');
        await page.screenshot({ path: 'test-results/screenshots/share-dialog.png' });
        await page.keyboard.press('Escape');
        // The viewer follows the tour: same scene, same tab.
        await expect(viewer.getByTestId('tour-card')).toHaveAttribute('data-scene', '1');
        await expect(viewer.getByTestId('tour-act')).toHaveCount(0);
        return;
      }
      if (!viewer) throw new Error('no viewer');
      // The viewer's task list changed live with the presenter's scene: the same row marked, in the same state.
      await expect(viewer.getByTestId('tour-card')).toHaveAttribute('data-scene', String(scene));
      await expect(viewer.getByTestId('tour-result')).toHaveAttribute('data-phase', 'landed');
      if (scene >= 2 && scene <= 4) {
        await expect(viewer.getByRole('tab', { name: /^Tasks/ })).toHaveAttribute('aria-selected', 'true');
        await expect(viewer.getByTestId('task-count')).toHaveText(`${scene - 1} of ${scene - 1} tasks`);
        const marked = viewer.locator('[data-tour-highlight="true"]');
        await expect(marked).toHaveAttribute('data-state', (await page.locator('[data-tour-highlight="true"]').getAttribute('data-state')) ?? '');
        if (scene === 4) await viewer.screenshot({ path: 'test-results/screenshots/audience-view.png' });
      }
    },
  });
  if (!viewer) throw new Error('no viewer');

  // Every write the viewer tries is refused by the host, naming the field (the call) and the reason.
  // (Reads go through: the leader's state, over a socket with the viewer's token from this process.)
  const viewerApi = hostClient(viewerUrl);
  expect(await viewerApi.call('mesos.state', { cluster: CLUSTER })).toHaveProperty('frameworks');
  viewerApi.close();
  const writes: Array<[string, unknown]> = [
    ['runs.launch', { cluster: CLUSTER, name: 'x', command: 'sleep 1' }],
    ['runs.kill', { cluster: CLUSTER, frameworkId: 'f', taskId: 't' }],
    ['faults.inject', { cluster: CLUSTER, fault: 'stop-agent' }],
    ['clusters.destroy', { name: CLUSTER }],
    ['settings.update', { dockerEndpoint: 'unix:///tmp/x.sock' }],
  ];
  const replies = await callsFromPage(viewer, writes);
  const reasons = ['runs tasks', 'kills a task', 'breaks the cluster on purpose', 'removes a cluster', "changes the presenter's settings"];
  for (const [i, reply] of replies.entries()) {
    const name = writes[i]![0];
    expect(reply.ok, name).toBe(false);
    expect(reply.error?.code, name).toBe('forbidden');
    expect(reply.error?.message).toBe(`Refused: ${name} ${reasons[i]}: the audience view is read-only.`);
    expect(reply.error?.detail?.issues?.[0]?.path).toBe('name');
  }
  // …and through the viewer's own UI: Destroy is refused with the same words, the cluster stays.
  await viewer.getByRole('button', { name: 'Destroy' }).click();
  await viewer.getByRole('alertdialog').getByRole('button', { name: 'Destroy' }).click();
  await expect(viewer.getByRole('alert')).toContainText('Refused: clusters.destroy removes a cluster: the audience view is read-only.');
  expect((await callsFromPage(viewer, [['clusters.list', {}]]))[0]?.ok).toBe(true);

  // Sharing off: the host closes the viewer's socket; its page says it lost the host.
  const closed = viewer.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const ws = new WebSocket(`ws://${g.location.host}/api?token=${encodeURIComponent(g.sessionStorage.getItem('mesoscope.token') ?? '')}`);
    return new Promise<number>((resolve) => {
      ws.onopen = () => {
        g.viewerSocketOpen = true;
      };
      ws.onclose = (event) => resolve(event.code);
    });
  });
  await expect.poll(() => viewer!.evaluate(() => (globalThis as unknown as PageGlobals).viewerSocketOpen === true)).toBe(true);
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-viewers')).toHaveText('2 viewers');
  await page.getByTestId('share-stop').click();
  expect(await closed).toBeGreaterThan(0);
  await expect(viewer.getByTestId('connection-banner')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('share-start')).toBeVisible();
  await page.keyboard.press('Escape');

  // The presenter ends the tour; its cluster goes with it.
  await page.getByTestId('tour-end').click();
  // The tour's cluster is destroyed first (task containers and work dirs included).
  await expect(page.getByTestId('tour-card')).toHaveCount(0, { timeout: 90_000 });
  const presenterApi = hostClient(host.url);
  await expect.poll(async () => (await presenterApi.call('clusters.list', {})).some((c) => c.name === CLUSTER), { timeout: 60_000 }).toBe(false);
  presenterApi.close();
  expect(errors).toEqual([]);
});
