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

/** A random IMEI with a valid Luhn check digit. */
export function randomImei() {
  const body = '35' + Array.from({ length: 12 }, () => Math.floor(Math.random() * 10)).join('');
  for (let check = 0; check < 10; check++) {
    const digits = (body + check).split('').map(Number).reverse();
    const sum = digits.reduce((s, d, i) => s + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    if (sum % 10 === 0) return body + check;
  }
  throw new Error('unreachable');
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await gotoHydrated(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Fills the accept step's details form (without the payout part when recycling). */
export async function fillDetails(page: Page, opts: { imei?: string; serial?: string; iban?: boolean } = {}) {
  if (opts.imei) await page.getByLabel('IMEI').fill(opts.imei);
  if (opts.serial) await page.getByLabel('Serial number').fill(opts.serial);
  await page.getByLabel('Full name').fill('Camille Martin');
  await page.getByLabel('Street and number').fill('12 rue de la Paix');
  await page.getByLabel('Postcode').fill('75002');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Country').selectOption('FR');
  if (opts.iban !== false) {
    await page.getByLabel('Account holder').fill('Camille Martin');
    await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 606');
  }
  await page.getByLabel('Date of birth').fill('1990-04-23');
  await page.getByLabel(/Find My/).check();
  await page.getByLabel(/reset the device/).check();
}
