import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { gotoHydrated, uniqueEmail, watchErrors, randomImei, signIn, fillDetails, uniqueIban, DEMO_CONSUMER } from './helpers';

test('a new user sells a phone: search, offer, sign up, details, label, shipped', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoHydrated(page, '/fr-fr');
  await page.getByLabel('Search for your device').fill('iphone13');
  const suggestions = page.getByRole('list', { name: 'Suggestions' });
  await expect(suggestions.getByRole('link').first()).toHaveText('Apple iPhone 13');
  await suggestions.getByRole('link').first().click();

  await expect(page).toHaveURL(/\/sell\/smartphones\/apple\/iphone-13$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sell your Apple iPhone 13');
  await page.getByRole('group', { name: 'Which model exactly?' }).getByLabel('128 GB').check();
  await page.getByRole('radio', { name: /Yes, it works normally/ }).check();
  await page.getByRole('group', { name: 'What does the screen look like?' }).getByRole('radio', { name: /Light scratches/ }).check();
  await page.getByRole('group', { name: 'What does the body look like?' }).getByRole('radio', { name: /Flawless/ }).check();
  await page.getByRole('button', { name: 'See my offer' }).click();

  await expect(page).toHaveURL(/\/offer\?/);
  const amount = (await page.getByTestId('offer-amount').textContent()) ?? '';
  expect(amount).toMatch(/^€\d+\.\d\d$/);
  await expect(page.getByText('Condition: Works, light wear')).toBeVisible();
  await page.getByRole('button', { name: 'Accept offer' }).click();

  // Signing up on the way keeps the answers.
  await expect(page.getByRole('heading', { name: 'Sign in to continue' })).toBeVisible();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Full name').fill('Camille Martin');
  await page.getByLabel('Email').fill(uniqueEmail('seller-of-phone'));
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Confirm your trade-in' })).toBeVisible();
  await expect(page.getByText(amount, { exact: false })).toBeVisible();

  await fillDetails(page, { imei: randomImei() });
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();

  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('Status: waiting to be shipped')).toBeVisible();
  await expect(page.getByText('14 days left to ship')).toBeVisible();
  await expect(page.getByText(amount).first()).toBeVisible();
  const tracking = (await page.locator('dd code').first().textContent()) ?? '';
  expect(tracking).toMatch(/^TI\d{9}LC$/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download shipping label' }).click(),
  ]);
  const pdf = fs.readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1')).toContain(tracking);

  await page.getByRole('button', { name: "I've shipped it" }).click();
  await expect(page.getByText('Status: on its way')).toBeVisible();
  await expect(page.getByRole('button', { name: "I've shipped it" })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the header's Create account on the accept step comes back to it with the answers", async ({ page }) => {
  const accept = '/fr-fr/sell/smartphones/apple/iphone-12/accept?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless';
  await gotoHydrated(page, accept);
  const offer = (await page.locator('p.lead-dark strong').textContent())!;
  expect(offer).toMatch(/^€[\d,]+\.\d\d from /);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signup\?next=/);
  await page.getByLabel('Full name').fill('Camille Martin');
  await page.getByLabel('Email').fill(uniqueEmail('header-signup'));
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page).toHaveURL(accept);
  await expect(page.locator('p.lead-dark strong')).toHaveText(offer);
  await expect(page.getByLabel('IBAN')).toBeVisible();
});

test('dates are written by the server in the visitor\'s time zone, named', async ({ browser }) => {
  const offer = '/fr-fr/sell/smartphones/apple/iphone-12/offer?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless';
  const steps = (p: import('@playwright/test').Page) => p.getByRole('list').filter({ hasText: 'Print the free prepaid label' });
  // Without JavaScript the browser never says its zone: UTC, and the page says so.
  const plain = await (await browser.newContext({ javaScriptEnabled: false, timezoneId: 'Europe/Paris' })).newPage();
  await plain.goto(offer);
  await expect(steps(plain)).toContainText(/ship your device within \d+ days \(by \w{3} \d{1,2} \w{3} \d{4} \(UTC\) if you accept today\)/);
  // A browser in Paris: its first page tells the server, the next is in Paris time.
  const paris = await (await browser.newContext({ timezoneId: 'Europe/Paris' })).newPage();
  await gotoHydrated(paris, '/');
  expect((await paris.context().cookies()).find((c) => c.name === 'tz')?.value).toBe('Europe/Paris');
  await gotoHydrated(paris, offer);
  await expect(steps(paris)).toContainText(/\(by \w{3} \d{1,2} \w{3} \d{4} \(Paris time\) if you accept today\)/);
  await expect(steps(paris).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
});

test('bad details are explained next to each field', async ({ page }) => {
  await signIn(page, DEMO_CONSUMER);
  await gotoHydrated(page, '/fr-fr/sell/smartphones/apple/iphone-12/accept?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless');
  await fillDetails(page, { imei: '490154203237519' });
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
  await page.getByLabel('Date of birth').fill('2015-06-01');
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page.locator('#field-imei-error')).toContainText('not valid');
  await expect(page.locator('#field-iban-error')).toContainText('not valid');
  await expect(page.locator('#field-date_of_birth-error')).toContainText('18 or older');
  await expect(page.getByLabel('IMEI')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/accept\?/);
});

test('a device nobody buys can be recycled for free, and cancelled before shipping', async ({ page }) => {
  await signIn(page, DEMO_CONSUMER);
  await gotoHydrated(page, '/fr-fr/sell/smartwatches/apple/apple-watch-se-1st-gen-40mm');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sell your Apple Watch SE (1st gen) 40mm');
  await page.getByRole('group', { name: 'Which model exactly?' }).getByRole('radio', { name: /GPS$/ }).check();
  await page.getByRole('radio', { name: /No, something does not work/ }).check();
  await page.getByRole('group', { name: 'What does the screen look like?' }).getByRole('radio', { name: /Cracked/ }).check();
  await page.getByRole('group', { name: 'What does the body look like?' }).getByRole('radio', { name: /Cracked or bent/ }).check();
  await page.getByRole('button', { name: 'See my offer' }).click();
  await expect(page.getByText('Free recycling')).toBeVisible();
  await page.getByRole('button', { name: 'Recycle it for free' }).click();

  await expect(page.getByLabel('IBAN')).toHaveCount(0);
  await fillDetails(page, { serial: 'FHLXK1ABJG5H', iban: false });
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('Recycled by')).toBeVisible();
  await expect(page.getByText('EcoCycle Recycling')).toBeVisible();

  await page.getByRole('button', { name: 'Cancel trade-in' }).click();
  await expect(page.getByText('Status: cancelled')).toBeVisible();
});

test('without JavaScript a consumer still gets an offer and confirms a trade-in', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login?next=/fr-fr/sell/smartphones/samsung/galaxy-s21');
  await page.getByLabel('Email').fill(DEMO_CONSUMER);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/sell\/smartphones\/samsung\/galaxy-s21$/);
  await page.getByRole('group', { name: 'Which model exactly?' }).getByLabel('128 GB').check();
  await page.getByRole('radio', { name: /Yes, it works normally/ }).check();
  await page.getByRole('group', { name: 'What does the screen look like?' }).getByRole('radio', { name: /Flawless/ }).check();
  await page.getByRole('group', { name: 'What does the body look like?' }).getByRole('radio', { name: /Visible scratches or dents/ }).check();
  await page.getByRole('button', { name: 'See my offer' }).click();
  await expect(page.getByTestId('offer-amount')).toHaveText(/^€\d+\.\d\d$/);
  await page.getByRole('button', { name: 'Accept offer' }).click();

  // Refused for its IBAN alone: the same page comes back with everything
  // else as typed, the error beside the IBAN, and the IBAN not echoed.
  const imei = randomImei();
  const accept = page.url();
  await fillDetails(page, { imei });
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  expect(page.url()).toBe(accept);
  await expect(page.locator('#field-iban-error')).toContainText('not valid');
  await expect(page.getByLabel('IBAN')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('IBAN')).toHaveValue('');
  await expect(page.getByLabel('IMEI')).toHaveValue(imei);
  await expect(page.getByLabel('IMEI')).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByLabel('Full name')).toHaveValue('Camille Martin');
  await expect(page.getByLabel('Street and number')).toHaveValue('12 rue de la Paix');
  await expect(page.getByLabel('Postcode')).toHaveValue('75002');
  await expect(page.getByLabel('City')).toHaveValue('Paris');
  await expect(page.getByLabel('Country')).toHaveValue('FR');
  await expect(page.getByLabel('Account holder')).toHaveValue('Camille Martin');
  await expect(page.getByLabel('Date of birth')).toHaveValue('1990-04-23');
  await expect(page.getByLabel(/Find My/)).toBeChecked();
  await expect(page.getByLabel(/reset the device/)).toBeChecked();
  // The summary at the top has the focus and leads to the field.
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: /not valid/ })).toHaveAttribute('href', '#field-iban');

  await page.getByLabel('IBAN').fill(uniqueIban());
  await page.getByRole('button', { name: 'Confirm trade-in' }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText('Status: waiting to be shipped')).toBeVisible();
  await context.close();
});

