import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Lets entrance animations and theme transitions end (axe measures the colours on screen; mid-fade they
 * are not the final ones). Endless ones (spinners) are left running, and none is waited for over 5 s.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(
    "Promise.race([Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 5000))])",
  );
}

/**
 * axe-core (WCAG 2.1 A and AA) on the page once its animations have settled: each violation with its
 * elements, one string each.
 * Legacy mode runs axe in the page itself; the default opens a blank page for every check to merge
 * the frames' results in, which took 0.6 of its 1.5 s a screen here, and the app has no frames.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await settleAnimations(page);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode().analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n')}`);
}
