import { test, expect } from '@playwright/test';
import { fill, gotoHydrated, signIn, staffTexts, DEMO_SELLER } from './helpers';

test('a refurbisher adds a webhook endpoint, reads its secret once, and deletes it', async ({ page }) => {
  const en = staffTexts('en');
  await signIn(page, DEMO_SELLER);
  await gotoHydrated(page, '/seller/api');
  await page.getByRole('link', { name: en['webhooks.link'] }).click();
  await expect(page.getByRole('heading', { level: 1, name: en['webhooks.heading'] })).toBeVisible();
  await gotoHydrated(page, '/seller/api/webhooks');

  // No event chosen and no address: both said, what was typed kept.
  await page.getByLabel(en['webhooks.url'], { exact: true }).fill('erp.example/hooks');
  await page.getByRole('button', { name: en['webhooks.create'] }).click();
  await expect(page.getByText(en['webhooks.error.url']).first()).toBeVisible();
  await expect(page.getByText(en['webhooks.error.kinds']).first()).toBeVisible();
  await expect(page.getByLabel(en['webhooks.url'], { exact: true })).toHaveValue('erp.example/hooks');

  const url = 'https://erp.example/tradein/hooks';
  await page.getByLabel(en['webhooks.url'], { exact: true }).fill(url);
  await page.getByLabel(en['webhooks.kind.order_received']).check();
  await page.getByLabel(en['webhooks.kind.payout_settled']).check();
  await page.getByRole('button', { name: en['webhooks.create'] }).click();
  await expect(page.getByLabel(en['webhooks.secret'], { exact: true })).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);

  const endpoint = page.getByRole('article', { name: fill(en['webhooks.endpoint'], { url }) });
  await expect(endpoint.getByText(fill(en['webhooks.sends'], { kinds: 'order.received, payout.settled' }))).toBeVisible();
  await expect(endpoint.getByText(en['webhooks.no_delivery'])).toBeVisible();
  await endpoint.getByRole('button', { name: fill(en['webhooks.delete'], { url }) }).click();
  await expect(page.getByRole('article', { name: fill(en['webhooks.endpoint'], { url }) })).toHaveCount(0);
});
