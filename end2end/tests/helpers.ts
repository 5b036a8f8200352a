import { expect, type Page } from '@playwright/test';

/** Opens a page and waits until the app has hydrated: a click before that
 * would do nothing (see the `data-hydrated` marker set in src/lib.rs). */
export async function gotoHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
  return response;
}

export function uniqueEmail(tag: string) {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_SELLER = 'buyback@renew-mobile.example';
export const DEMO_CONSUMER = 'demo@tradein.example';
export const DEMO_OPS = 'ops@tradein.example';

/** Collects console errors and uncaught exceptions of a page. */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}
