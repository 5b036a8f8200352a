import { test, expect, type Page } from '@playwright/test';
import { gotoHydrated, randomImei, signIn, uniqueEmail, DEMO_SELLER } from './helpers';

// Markets (issue 25): each market's consumers see its own refurbishers'
// prices in its currency and give the address and bank account its
// postal service and payment scheme use.

const ANSWERS = 'works=yes&screen=light_scratches&body=flawless';

/** A random price in [from, from + span) with cents ("457.30"). */
function randomPrice(from: number, span: number) {
  return (from + Math.floor(Math.random() * span * 100) / 100).toFixed(2);
}

/** On the accept step: signs up a new consumer on the way, as a person would. */
async function signUpOnTheWay(page: Page, tag: string) {
  await expect(page.getByRole('heading', { name: 'Sign in to continue' })).toBeVisible();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Full name').fill('Alex Taylor');
  await page.getByLabel('Email').fill(uniqueEmail(tag));
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Confirm your trade-in' })).toBeVisible();
}

async function aboutYouAndDevice(page: Page) {
  await page.getByLabel('IMEI').fill(randomImei());
  await page.getByLabel('Full name').fill('Alex Taylor');
  await page.getByLabel('Account holder').fill('Alex Taylor');
  await page.getByLabel('Date of birth').fill('1990-04-23');
  await page.getByLabel(/Find My/).check();
  await page.getByLabel(/reset the device/).check();
}

test('a French refurbisher prices one phone differently in France and Spain, and each market sees its own price', async ({ page, browser }) => {
  const row = 'Apple iPhone 13 · 512 GB';
  const label = `${row}, Works, light wear: price in EUR`;
  // Far above the demo's prices, so these are the best offers.
  const france = randomPrice(940, 50);
  const spain = randomPrice(900, 30);

  await signIn(page, DEMO_SELLER);
  for (const [market, name, price] of [['fr-fr', 'France', france], ['es-es', 'Spain', spain]]) {
    await gotoHydrated(page, '/seller/prices?q=iphone-13-512gb');
    // The market selector, as a person uses it.
    await page.getByLabel('Market').selectOption(market);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // A plain GET form: a new page, which hydrates before it saves.
    await page.waitForURL(new RegExp(`market=${market}`));
    await page.waitForLoadState('load');
    await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(page.getByRole('heading', { name: `Buyback prices: ${name} (EUR)` })).toBeVisible();
    const input = page.getByLabel(label, { exact: true });
    await input.fill(price);
    await input.press('Tab');
    await expect(input.locator('xpath=ancestor::td[1]').getByRole('status')).toHaveText('Saved', { timeout: 15_000 });
  }

  const consumer = await (await browser.newContext()).newPage();
  for (const [market, price] of [['fr-fr', france], ['es-es', spain]]) {
    await gotoHydrated(consumer, `/${market}/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-512gb&${ANSWERS}`);
    await expect(consumer.getByTestId('offer-amount')).toHaveText(`€${price}`);
    await expect(consumer.getByText('from ReNew Mobile SAS')).toBeVisible();
  }
  await consumer.context().close();
});

test('a consumer in the UK lands in the UK, gets pounds and gives a sort code and account number', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  // The first visit picks the market from the browser's language.
  await page.goto('/');
  await expect(page).toHaveURL(/\/en-gb$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
  await expect(page.getByRole('link', { name: 'Country: United Kingdom (change)' })).toBeVisible();

  await gotoHydrated(page, `/en-gb/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&${ANSWERS}`);
  const amount = (await page.getByTestId('offer-amount').textContent()) ?? '';
  expect(amount).toMatch(/^£\d+\.\d\d$/);
  await expect(page.getByText('from Reboxed UK Ltd')).toBeVisible();
  await page.getByRole('button', { name: 'Accept offer' }).click();
  await signUpOnTheWay(page, 'uk-seller');

  await aboutYouAndDevice(page);
  await page.getByLabel('Street and number').fill('10 Downing Street');
  await page.getByLabel('Postcode').fill('75002');
  await page.getByLabel('City').fill('London');
  await expect(page.getByLabel('Country')).toHaveValue('GB');
  await page.getByLabel('Sort code').fill('12-AB-56');
  await page.getByLabel('Account number').fill('12345678');
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  // Each problem next to its field; what was typed stays (but the account number).
  await expect(page.getByText('enter a UK postcode, like SW1A 1AA', { exact: true })).toBeVisible();
  await expect(page.getByText('enter the sort code: 6 digits, like 12-34-56', { exact: true })).toBeVisible();
  await expect(page.getByLabel('City')).toHaveValue('London');
  await expect(page).not.toHaveURL(/\/trade-ins\//);

  await page.getByLabel('Postcode').fill('SW1A 2AA');
  await page.getByLabel('Sort code').fill('12-34-56');
  await page.getByLabel('Account number').fill('12345678');
  await page.getByLabel(/Find My/).check();
  await page.getByLabel(/reset the device/).check();
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('14 days left to ship')).toBeVisible();
  await expect(page.getByText(amount).first()).toBeVisible();
  await context.close();
});

test('a consumer in the US gets dollars, three weeks to ship, and gives a ZIP, a state and a routing number', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await gotoHydrated(page, `/en-us/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&${ANSWERS}`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  const amount = (await page.getByTestId('offer-amount').textContent()) ?? '';
  expect(amount).toMatch(/^\$\d+\.\d\d$/);
  await expect(page.getByText(/ship your device within 21 days/)).toBeVisible();
  await page.getByRole('button', { name: 'Accept offer' }).click();
  await signUpOnTheWay(page, 'us-seller');

  await aboutYouAndDevice(page);
  await page.getByLabel('Street and number').fill('1 Market Street');
  await page.getByLabel('ZIP code').fill('94105');
  await page.getByLabel('City').fill('San Francisco');
  await page.getByLabel('State').fill('CA');
  await page.getByLabel('Routing number').fill('011000016');
  await page.getByLabel('Account number').fill('000123456789');
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page.getByText('this routing number is not valid: check its digits', { exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/\/trade-ins\//);

  await page.getByLabel('Routing number').fill('011000015');
  await page.getByLabel('Account number').fill('000123456789');
  await page.getByLabel(/Find My/).check();
  await page.getByLabel(/reset the device/).check();
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('21 days left to ship')).toBeVisible();
  await expect(page.getByText(amount).first()).toBeVisible();
  await context.close();
});
