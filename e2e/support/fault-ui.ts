import { expect, type Locator, type Page } from '@playwright/test';
import { faultById, type FaultId } from '@shared/faults/catalog';

/** The task image the fault suites give the Faults tab. */
export const TASK_IMAGE = 'mesoscope/task-base:test';

export interface InjectOptions {
  checkpoint?: boolean;
  partitionAware?: boolean;
  /** The port of the agent to pick in the card's agent menu. */
  agentPort?: number;
  params?: Record<string, string>;
}

/** A fault from its card on the Faults tab, with the framework options and parameters given; resolves with its card and the task it hit. */
export async function injectFault(page: Page, fault: FaultId, opts: InjectOptions = {}): Promise<{ card: Locator; taskId: string }> {
  await page.getByRole('tab', { name: 'Faults' }).click();
  await page.getByRole('textbox', { name: 'Fault task image' }).fill(TASK_IMAGE);
  for (const [label, on] of [
    ['Fault framework checkpoint', opts.checkpoint ?? true],
    ['Fault framework partition-aware', opts.partitionAware ?? false],
  ] as const) {
    const toggle = page.getByRole('switch', { name: label });
    if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  }
  const def = faultById(fault);
  const card = page.getByTestId(`fault-${fault}`);
  if (opts.agentPort !== undefined) {
    await card.getByRole('combobox', { name: `${def.label}: agent` }).click();
    await page.getByRole('option', { name: `127.0.0.1:${opts.agentPort}`, exact: true }).click();
  }
  for (const [key, value] of Object.entries(opts.params ?? {})) {
    const p = def.params.find((x) => x.key === key)!;
    await card.getByRole('textbox', { name: `${def.label}: ${p.label}` }).fill(value);
  }
  await card.getByTestId(`inject-${fault}`).click();
  const result = card.getByTestId(`fault-result-${fault}`);
  await expect(result).toBeVisible({ timeout: 90_000 });
  return { card, taskId: (await result.getByTestId('fault-task-id').textContent()) ?? '' };
}

/** Opens a task's drawer from the Tasks tab, found by its id. */
export async function drawerOf(page: Page, taskId: string): Promise<Locator> {
  await page.getByRole('tab', { name: /^Tasks/ }).click();
  await page.getByRole('textbox', { name: 'Search tasks' }).fill(taskId);
  await page.getByTestId(`task-row-${taskId}`).click();
  return page.getByTestId('task-drawer');
}

export async function closeDrawer(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Search tasks' }).fill('');
}
