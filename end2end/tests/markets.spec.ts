import { test, expect, type Page } from '@playwright/test';
import {
  amountPattern,
  fill,
  gotoHydrated,
  money,
  randomImei,
  signIn,
  submitSignUp,
  textPattern,
  texts,
  uniqueEmail,
  LANG_OF,
  DEMO_SELLER,
  type Market,
} from './helpers';

// Markets (issue 25): each market's consumers see its own refurbishers'
// prices in its currency and give the address and bank account its
// postal service and payment scheme use.

const ANSWERS = 'works=yes&screen=light_scratches&body=flawless';

// The UK and US pages are in English (locales/en.json).
const en = texts('en');

/** A field of an English consumer form, by its label. */
function field(page: Page, key: string) {
  return page.getByLabel(en[key], { exact: true });
}

/** A random price in [from, from + span) with cents ("457.30"). */
function randomPrice(from: number, span: number) {
  return (from + Math.floor(Math.random() * span * 100) / 100).toFixed(2);
}

/** On the accept step: signs up a new consumer on the way, as a person would. */
async function signUpOnTheWay(page: Page, tag: string) {
  await expect(page.getByRole('heading', { name: en['accept.sign_in_heading'] })).toBeVisible();
  // The page's own link, not the header's of the same name.
  await page.getByRole('main').getByRole('link', { name: en['nav.create_account'], exact: true }).click();
  await submitSignUp(page, { name: 'Alex Taylor', email: uniqueEmail(tag), password: 'a long enough passphrase' }, 'en');
  await expect(page.getByRole('heading', { name: en['accept.title'] })).toBeVisible();
}

async function aboutYouAndDevice(page: Page) {
  await page.getByLabel('IMEI', { exact: true }).fill(randomImei());
  await field(page, 'accept.full_name').fill('Alex Taylor');
  await field(page, 'accept.account_holder').fill('Alex Taylor');
  await field(page, 'accept.birth_date').fill('1990-04-23');
  await field(page, 'accept.activation_lock_off').check();
  await field(page, 'accept.device_reset').check();
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
  for (const [market, price] of [['fr-fr', france], ['es-es', spain]] as [Market, string][]) {
    // Each market's page in its language, the amount as it writes it.
    const t = texts(LANG_OF[market]);
    await gotoHydrated(consumer, `/${market}/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-512gb&${ANSWERS}`);
    await expect(consumer.getByTestId('offer-amount')).toHaveText(money(price, market));
    await expect(consumer.getByText(fill(t['offer.from_buyer'], { buyer: 'ReNew Mobile SAS' }))).toBeVisible();
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
  await expect(page.getByRole('link', { name: fill(en['footer.country'], { market: 'United Kingdom' }), exact: true })).toBeVisible();

  await gotoHydrated(page, `/en-gb/sell/smartphones/apple/iphone-13/offer?variant=iphone-13-128gb&${ANSWERS}`);
  const amount = (await page.getByTestId('offer-amount').textContent()) ?? '';
  expect(amount).toMatch(new RegExp(`^${amountPattern('en-gb').source}$`));
  await expect(page.getByText(fill(en['offer.from_buyer'], { buyer: 'Reboxed UK Ltd' }))).toBeVisible();
  await page.getByRole('button', { name: en['offer.accept'] }).click();
  await signUpOnTheWay(page, 'uk-seller');

  await aboutYouAndDevice(page);
  await field(page, 'address.street').fill('10 Downing Street');
  await field(page, 'address.postcode').fill('75002');
  await field(page, 'address.city').fill('London');
  await expect(field(page, 'address.country')).toHaveValue('GB');
  await field(page, 'payout.sort_code').fill('12-AB-56');
  await field(page, 'payout.account_number').fill('12345678');
  await page.getByRole('button', { name: en['accept.confirm'] }).click();
  // Each problem next to its field; what was typed stays (but the account number).
  await expect(page.locator('#field-postcode-error')).toHaveText(en['error.postcode_uk']);
  await expect(page.locator('#field-sort_code-error')).toHaveText(en['error.sort_code']);
  await expect(field(page, 'address.city')).toHaveValue('London');
  await expect(page).not.toHaveURL(/\/trade-ins\//);

  await field(page, 'address.postcode').fill('SW1A 2AA');
  await field(page, 'payout.sort_code').fill('12-34-56');
  await field(page, 'payout.account_number').fill('12345678');
  await field(page, 'accept.activation_lock_off').check();
  await field(page, 'accept.device_reset').check();
  await page.getByRole('button', { name: en['accept.confirm'] }).click();
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
  expect(amount).toMatch(new RegExp(`^${amountPattern('en-us').source}$`));
  await expect(page.getByText(textPattern(en['offer.next_ship'], { days: 21, date: /.+/ }))).toBeVisible();
  await page.getByRole('button', { name: en['offer.accept'] }).click();
  await signUpOnTheWay(page, 'us-seller');

  await aboutYouAndDevice(page);
  await field(page, 'address.street').fill('1 Market Street');
  await field(page, 'address.zip').fill('94105');
  await field(page, 'address.city').fill('San Francisco');
  await field(page, 'address.state').fill('CA');
  await field(page, 'payout.routing_number').fill('011000016');
  await field(page, 'payout.account_number').fill('000123456789');
  await page.getByRole('button', { name: en['accept.confirm'] }).click();
  await expect(page.locator('#field-routing_number-error')).toHaveText(en['error.routing_checksum']);
  await expect(page).not.toHaveURL(/\/trade-ins\//);

  await field(page, 'payout.routing_number').fill('011000015');
  await field(page, 'payout.account_number').fill('000123456789');
  await field(page, 'accept.activation_lock_off').check();
  await field(page, 'accept.device_reset').check();
  await page.getByRole('button', { name: en['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('21 days left to ship')).toBeVisible();
  await expect(page.getByText(amount).first()).toBeVisible();
  await context.close();
});
