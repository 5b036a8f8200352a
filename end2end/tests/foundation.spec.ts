import { test, expect } from '@playwright/test';
import {
  anyLang,
  enterCode,
  gotoHydrated,
  signIn,
  texts,
  uniqueEmail,
  watchErrors,
  DEMO_PASSWORD,
  DEMO_SELLER,
  DEMO_OPS,
  DEMO_TOTP_SECRET,
} from './helpers';

const fr = texts('fr');

test('the home page is rendered on the server, before any script runs', async ({ request, browser }) => {
  // A visitor with no market yet and no language: France, in French.
  const res = await request.get('/');
  expect(res.status()).toBe(200);
  expect(new URL(res.url()).pathname).toBe('/fr-fr');
  const html = await res.text();
  expect(html).toContain(`<label for="device-search">${fr['search.label']}</label>`);
  expect(html).toContain(`<span class="tile-name">${fr['category.smartphones']}</span>`);

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/fr-fr');
  await expect(page.getByLabel(fr['search.label'], { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: fr['category.consoles'] })).toBeVisible();
  await context.close();
});

test('hydration completes without console errors', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoHydrated(page, '/fr-fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fr['home.title']);
  await gotoHydrated(page, '/login');
  expect(errors).toEqual([]);
});

test('search from the home page finds a model', async ({ page }) => {
  await gotoHydrated(page, '/fr-fr');
  await page.getByLabel(fr['search.label'], { exact: true }).fill('galaxy s21');
  await page.getByRole('button', { name: fr['search.button'], exact: true }).click();
  await expect(page).toHaveURL(/\/search\?q=galaxy/);
  await expect(page.getByText('Galaxy S21 Ultra')).toBeVisible();
});

test('sign up, sign out and sign in again', async ({ page }) => {
  const errors = watchErrors(page);
  const email = uniqueEmail('signup');
  await gotoHydrated(page, '/signup');
  await page.getByLabel('Full name').fill('Erin Example');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();

  // The header speaks the visitor's language (this browser's: English).
  const nav = page.getByRole('navigation', { name: anyLang('nav.main') });
  await expect(nav.getByText('Erin Example')).toBeVisible();
  await nav.getByRole('button', { name: anyLang('nav.sign_out') }).click();
  await expect(nav.getByRole('link', { name: anyLang('nav.sign_in') })).toBeVisible();
  await expect(nav.getByText('Erin Example')).toHaveCount(0);

  await nav.getByRole('link', { name: anyLang('nav.sign_in') }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(nav.getByText('Erin Example')).toBeVisible();
  expect(errors).toEqual([]);
});

test('bad sign-up input is explained next to each field', async ({ page }) => {
  await gotoHydrated(page, '/signup');
  await page.getByLabel('Full name').fill('Erin Example');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-email-error')).toHaveText('enter an email address like name@example.com');
  await expect(page.locator('#field-password-error')).toHaveText('use at least 10 characters');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/signup/);
});

test('a wrong password gets one generic message', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await page.getByLabel('Email').fill(DEMO_OPS);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' })).toBeVisible();
});

test('a seller cannot open the operations area', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await page.getByLabel('Email').fill(DEMO_SELLER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Refurbisher accounts sign in with a code too.
  await expect(page.getByRole('heading', { name: 'Enter your sign-in code' })).toBeVisible();
  await enterCode(page, DEMO_TOTP_SECRET, DEMO_SELLER);
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole('heading', { name: 'ReNew Mobile SAS' })).toBeVisible();

  const res = await page.goto('/ops');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You do not have access to this area' })).toBeVisible();
});

test('signing in works without JavaScript, errors included', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(DEMO_OPS);
  await page.getByLabel('Password').fill('wrong password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();

  await page.getByLabel('Email').fill(DEMO_OPS);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await enterCode(page, DEMO_TOTP_SECRET, DEMO_OPS);
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole('heading', { name: 'Operations console' })).toBeVisible();
  await context.close();
});

test('the consumer flow does not download the dashboards; a dashboard page loads its own chunk', async ({ page }) => {
  const errors = watchErrors(page);
  const wasm: string[] = [];
  page.on('request', (req) => {
    if (req.url().endsWith('.wasm')) wasm.push(new URL(req.url()).pathname);
  });
  await gotoHydrated(page, '/fr-fr');
  await gotoHydrated(page, '/fr-fr/sell/smartphones/apple/iphone-13');
  // Only the main module: the lazy pages' chunks (src/lazy_pages.rs) stay on the server.
  expect(wasm.filter((p) => !/\/tradein[._]/.test(p))).toEqual([]);

  // Signing in leads to /seller by client-side navigation: its chunk loads then.
  await signIn(page, DEMO_SELLER);
  await expect(page).toHaveURL(/\/seller$/);
  await expect(page.getByRole('heading', { name: 'ReNew Mobile SAS' })).toBeVisible();
  expect(wasm.some((p) => p.includes('seller_home_route'))).toBe(true);

  // A full load of a lazy page hydrates too, with its chunk.
  await gotoHydrated(page, '/seller/prices');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(wasm.some((p) => p.includes('seller_prices_route'))).toBe(true);
  expect(errors).toEqual([]);

  // Every load of a lazy page names its chunks in the head, so the browser
  // fetches them beside the main module, not after it. Leptos looked the
  // list up in whatever reactive owner a server thread last left current:
  // a third of these pages named none (src/platform/http/hydration.rs).
  const pages = await Promise.all(Array.from({ length: 12 }, () => page.request.get('/seller/prices')));
  const named = await Promise.all(
    pages.map(async (res) => res.status() === 200 && /<link [^>]*href="\/pkg\/chunk_[^"]+\.wasm"[^>]*>/.test(await res.text())),
  );
  expect(named.filter((ok) => !ok).length, 'of 12 price grid pages, those naming no wasm chunk').toBe(0);
});
