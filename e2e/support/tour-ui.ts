import { expect, type Page } from '@playwright/test';
import { createClient, type MesoscopeClient } from '@shared/api/client';
import { createWsTransport } from '@shared/api/ws-transport';
import { nodeSocket } from '../../electron/web-host/node-socket';

/** The API of a web host (or of its audience view) from the test process, with the token of its link. */
export function hostClient(link: string): MesoscopeClient & { close(): void } {
  const url = new URL(link);
  const transport = createWsTransport({ url: `ws://${url.host}/api?token=${url.searchParams.get('token')}`, createSocket: nodeSocket });
  return { ...createClient(transport), close: () => transport.close() };
}

/** What each scene of "When an agent dies" must show when it lands: the outcome, the tab, the row and the doctor. */
const AGENT_DIES: Array<{ outcome: RegExp; tab: string; row?: string; verdict?: RegExp }> = [
  { outcome: /The cluster is up: 3 agents active/, tab: 'Nodes' },
  { outcome: /^LOST after [\d.]+ s, as faults\.md says\.$/, tab: 'Tasks', row: 'TASK_LOST', verdict: /Agent stopped: task lost/ },
  { outcome: /^LOST after [\d.]+ s, as faults\.md says\.$/, tab: 'Tasks', row: 'TASK_LOST', verdict: /Agent stopped/ },
  { outcome: /^UNREACHABLE after [\d.]+ s, as faults\.md says\.$/, tab: 'Tasks', row: 'TASK_UNREACHABLE', verdict: /Agent paused: unreachable/ },
  { outcome: /Agent 3 is active again/, tab: 'Overview' },
];

/**
 * Starts "When an agent dies" from the Tours page and runs it scene by scene as a presenter does:
 * Do it, the outcome asserted (landed, its words, the tab shown, the row marked, the doctor's verdict),
 * a screenshot of the narration card, Next. `between` runs after each scene (a viewer's checks).
 */
export async function runAgentDiesTour(
  page: Page,
  options: { cluster: string; taskImage: string; /** The path of each scene's screenshot. */
    screenshot?: (scene: number) => string; between?: (scene: number) => Promise<void> },
): Promise<void> {
  await page.getByRole('button', { name: 'Tours' }).click();
  await page.getByLabel('Tour task image').fill(options.taskImage);
  await page.getByLabel('Cluster name for When an agent dies').fill(options.cluster);
  await page.getByTestId('tour-start-agent-dies').click();
  const card = page.getByTestId('tour-card');
  await expect(card).toBeVisible();
  for (const [i, want] of AGENT_DIES.entries()) {
    await expect(card).toHaveAttribute('data-scene', String(i + 1));
    await expect(card.getByTestId('tour-narration')).not.toBeEmpty();
    await card.getByTestId('tour-act').click();
    const result = card.getByTestId('tour-result');
    // The launch waits for every node; a fault scene for its task, the fault and the pings; all bounded by the scene.
    await expect(result).toHaveAttribute('data-phase', /landed|missed|failed/, { timeout: 180_000 });
    const phase = await result.getAttribute('data-phase');
    expect(phase, `scene ${i + 1}: ${await result.innerText()}`).toBe('landed');
    await expect(card.getByTestId('tour-outcome')).toHaveText(want.outcome);
    await expect(page.getByRole('tab', { name: new RegExp(`^${want.tab}`) })).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
    if (want.row) {
      const row = page.locator('[data-tour-highlight="true"]');
      await expect(row).toHaveCount(1);
      await expect(row).toHaveAttribute('data-state', want.row);
    }
    if (want.verdict) await expect(card.getByTestId('tour-verdict')).toContainText(want.verdict);
    if (options.screenshot) await page.screenshot({ path: options.screenshot(i + 1) });
    await options.between?.(i + 1);
    if (i + 1 < AGENT_DIES.length) await card.getByTestId('tour-next').click();
  }
  await expect(card.getByTestId('tour-restart')).toBeVisible();
}
