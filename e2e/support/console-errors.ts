import type { Page } from '@playwright/test';

/** Collects what the page reports as errors (CSP violations, uncaught exceptions, failed loads). */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
