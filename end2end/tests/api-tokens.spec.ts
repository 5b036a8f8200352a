import { test, expect } from '@playwright/test';
import { fill, gotoHydrated, signIn, staffTexts, DEMO_SELLER } from './helpers';

test('a refurbisher makes an API token, its system reads its listings with it, and it is revoked', async ({ page, request }) => {
  const en = staffTexts('en');
  await signIn(page, DEMO_SELLER);
  await page.getByRole('link', { name: en['seller_home.api'] }).click();
  await expect(page.getByRole('heading', { level: 1, name: en['api.heading'] })).toBeVisible();
  await gotoHydrated(page, '/seller/api');

  // A token needs a scope: refused beside the scopes, nothing made.
  await page.getByLabel(en['api.name'], { exact: true }).fill('Warehouse ERP');
  await page.getByRole('button', { name: en['api.create'] }).click();
  await expect(page.getByText(en['api.error.no_scope']).first()).toBeVisible();

  await page.getByLabel(en['api.scope.listings_read']).check();
  await page.getByRole('button', { name: en['api.create'] }).click();
  const shown = page.getByLabel(en['api.token'], { exact: true });
  await expect(shown).toHaveValue(/^tik_[A-Za-z0-9]{40}$/);
  const token = await shown.inputValue();
  const row = page.getByRole('row', { name: /Warehouse ERP/ });
  await expect(row.getByText(en['api.state.active'])).toBeVisible();
  await expect(row.getByText(token.slice(0, 10))).toBeVisible();

  // The system reads its listings with the token, and only with it.
  const listings = await request.get('/api/v1/listings?limit=1', { headers: { Authorization: `Bearer ${token}` } });
  expect(listings.status()).toBe(200);
  expect((await listings.json()).data).toHaveLength(1);

  await row.getByRole('button', { name: fill(en['api.revoke'], { name: 'Warehouse ERP' }) }).click();
  await expect(page.getByRole('row', { name: /Warehouse ERP/ }).getByText(en['api.state.revoked'])).toBeVisible();
  const refused = await request.get('/api/v1/listings', { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toBe('application/problem+json');
});
