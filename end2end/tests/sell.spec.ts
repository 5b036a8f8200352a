import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { type Page } from '@playwright/test';
import {
  amountPattern,
  anyLang,
  capitalised,
  fill,
  fillDetails,
  gotoHydrated,
  randomImei,
  signIn,
  startingWith,
  submitSignUp,
  textPattern,
  texts,
  uniqueEmail,
  uniqueIban,
  watchErrors,
  DEMO_CONSUMER,
} from './helpers';

// The consumer pages of the French market speak French, and so do a
// trade-in's page and the account pages (the visitor's market's language,
// once they opened one of its pages; before that, their browser's).
const fr = texts('fr');
const FR_AMOUNT = new RegExp(`^${amountPattern('fr-fr').source}$`);
/** A date as French CLDR writes it, medium, with the weekday: "ven. 11 déc. 2026". */
const FR_DATE = /(?:lun\.|mar\.|mer\.|jeu\.|ven\.|sam\.|dim\.) \d{1,2} (?:janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}/;

/** A field of a French consumer form, by its label. */
function field(page: Page, key: string) {
  return page.getByLabel(fr[key], { exact: true });
}

/** An answer of the French questionnaire, by its key (choice.*). */
function answer(key: string) {
  return { name: startingWith(fr[key]) };
}

test('a new user sells a phone: search, offer, sign up, details, label, shipped', async ({ page }) => {
  const errors = watchErrors(page);
  await gotoHydrated(page, '/fr-fr');
  await field(page, 'search.label').fill('iphone13');
  const suggestions = page.getByRole('list', { name: fr['search.suggestions'], exact: true });
  await expect(suggestions.getByRole('link').first()).toHaveText('Apple iPhone 13');
  await suggestions.getByRole('link').first().click();

  await expect(page).toHaveURL(/\/sell\/smartphones\/apple\/iphone-13$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill(fr['model.title'], { device: 'Apple iPhone 13' }));
  await page.getByRole('group', { name: fr['model.which_variant'] }).getByLabel('128 GB').check();
  await page.getByRole('radio', answer('choice.works.yes')).check();
  await page.getByRole('group', { name: fr['question.screen'] }).getByRole('radio', answer('choice.screen.light_scratches')).check();
  await page.getByRole('group', { name: fr['question.body'] }).getByRole('radio', answer('choice.body.flawless')).check();
  await page.getByRole('button', { name: fr['model.see_offer'] }).click();

  await expect(page).toHaveURL(/\/offer\?/);
  const amount = (await page.getByTestId('offer-amount').textContent()) ?? '';
  expect(amount).toMatch(FR_AMOUNT);
  await expect(page.getByText(fill(fr['offer.condition'], { grade: fr['grade.functional_good'] }))).toBeVisible();
  await page.getByRole('button', { name: fr['offer.accept'] }).click();

  // Signing up on the way keeps the answers.
  await expect(page.getByRole('heading', { name: fr['accept.sign_in_heading'] })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: fr['nav.create_account'], exact: true }).click();
  await submitSignUp(page, { name: 'Camille Martin', email: uniqueEmail('seller-of-phone'), password: 'a long enough passphrase' }, 'fr');
  await expect(page.getByRole('heading', { name: fr['accept.title'] })).toBeVisible();
  await expect(page.getByText(amount, { exact: false })).toBeVisible();

  await fillDetails(page, { imei: randomImei() });
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();

  // The trade-in's page is in the visitor's market's language, French
  // here, its amounts too.
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.label_issued'] }))).toBeVisible();
  await expect(page.getByText(textPattern(fr['tradein.days_to_ship'], { days: 14, date: /.+/ }))).toBeVisible();
  await expect(page.getByText(amount, { exact: true }).first()).toBeVisible();
  const tracking = (await page.locator('dd code').first().textContent()) ?? '';
  expect(tracking).toMatch(/^TI\d{9}LC$/);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: fr['tradein.download_label'] }).click(),
  ]);
  const pdf = fs.readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1')).toContain(tracking);

  await page.getByRole('button', { name: fr['tradein.shipped'] }).click();
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.shipped'] }))).toBeVisible();
  await expect(page.getByRole('button', { name: fr['tradein.shipped'] })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the header's Create account on the accept step comes back to it with the answers", async ({ page }) => {
  const accept = '/fr-fr/sell/smartphones/apple/iphone-12/accept?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless';
  await gotoHydrated(page, accept);
  const offer = (await page.locator('p.lead-dark strong').textContent())!;
  expect(offer).toMatch(textPattern(fr['accept.price_from'], { price: amountPattern('fr-fr'), buyer: /.+/ }, { exact: true }));
  await page.getByRole('navigation', { name: fr['nav.main'], exact: true }).getByRole('link', { name: fr['nav.create_account'], exact: true }).click();
  await expect(page).toHaveURL(/\/signup\?next=/);
  await submitSignUp(page, { name: 'Camille Martin', email: uniqueEmail('header-signup'), password: 'correct horse battery staple' }, 'fr');
  await expect(page.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();
  await expect(page).toHaveURL(accept);
  await expect(page.locator('p.lead-dark strong')).toHaveText(offer);
  await expect(page.getByLabel('IBAN')).toBeVisible();
});

test('dates are written by the server in the visitor\'s time zone, named', async ({ browser }) => {
  const offer = '/fr-fr/sell/smartphones/apple/iphone-12/offer?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless';
  // The shipping step, its date in French (CLDR's medium date, with the weekday) and a zone.
  const shipBy = (zone: string | RegExp) =>
    textPattern(fr['offer.next_ship'], { days: /\d+/, date: textPattern(fr['date.in_zone'], { date: FR_DATE, zone }) });
  const steps = (p: Page) => p.getByRole('list').filter({ hasText: shipBy(/[^)]+/) });
  // Without JavaScript the browser never says its zone: UTC, and the page says so.
  const plain = await (await browser.newContext({ javaScriptEnabled: false, timezoneId: 'Europe/Paris' })).newPage();
  await plain.goto(offer);
  await expect(steps(plain)).toContainText(shipBy('UTC'));
  // A browser in Paris: its first page tells the server, the next is in Paris time.
  const paris = await (await browser.newContext({ timezoneId: 'Europe/Paris' })).newPage();
  await gotoHydrated(paris, '/');
  expect((await paris.context().cookies()).find((c) => c.name === 'tz')?.value).toBe('Europe/Paris');
  await gotoHydrated(paris, offer);
  await expect(steps(paris)).toContainText(shipBy(fill(fr['date.zone_time'], { city: 'Paris' })));
  await expect(steps(paris).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
});

test('bad details are explained next to each field', async ({ page }) => {
  await signIn(page, DEMO_CONSUMER);
  await gotoHydrated(page, '/fr-fr/sell/smartphones/apple/iphone-12/accept?variant=iphone-12-64gb&works=yes&screen=flawless&body=flawless');
  await fillDetails(page, { imei: '490154203237519' });
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
  await field(page, 'accept.birth_date').fill('2015-06-01');
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  await expect(page.locator('#field-imei-error')).toHaveText(fr['error.imei_check_digit']);
  await expect(page.locator('#field-iban-error')).toHaveText(fr['error.iban_checksum']);
  await expect(page.locator('#field-date_of_birth-error')).toHaveText(fill(fr['error.birth_too_young'], { age: 18 }));
  await expect(page.getByLabel('IMEI')).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/accept\?/);
});

test('a device nobody buys can be recycled for free, and cancelled before shipping', async ({ page }) => {
  await signIn(page, DEMO_CONSUMER);
  await gotoHydrated(page, '/fr-fr/sell/smartwatches/apple/apple-watch-se-1st-gen-40mm');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fill(fr['model.title'], { device: 'Apple Watch SE (1st gen) 40mm' }));
  await page.getByRole('group', { name: fr['model.which_variant'] }).getByRole('radio', { name: /GPS$/ }).check();
  await page.getByRole('radio', answer('choice.works.no')).check();
  await page.getByRole('group', { name: fr['question.screen'] }).getByRole('radio', answer('choice.screen.cracked')).check();
  await page.getByRole('group', { name: fr['question.body'] }).getByRole('radio', answer('choice.body.cracked')).check();
  await page.getByRole('button', { name: fr['model.see_offer'] }).click();
  await expect(page.getByText(fr['offer.free_recycling'], { exact: true })).toBeVisible();
  await page.getByRole('button', { name: fr['offer.recycle'] }).click();

  await expect(page.getByLabel('IBAN')).toHaveCount(0);
  await fillDetails(page, { serial: 'FHLXK1ABJG5H', iban: false });
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText(fr['tradein.recycled_by'])).toBeVisible();
  await expect(page.getByText('EcoCycle Recycling')).toBeVisible();

  await page.getByRole('button', { name: fr['tradein.cancel'] }).click();
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.cancelled'] }))).toBeVisible();
});

test('without JavaScript a consumer still gets an offer and confirms a trade-in', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login?next=/fr-fr/sell/smartphones/samsung/galaxy-s21');
  await page.getByLabel('Email').fill(DEMO_CONSUMER);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/sell\/smartphones\/samsung\/galaxy-s21$/);
  await page.getByRole('group', { name: fr['model.which_variant'] }).getByLabel('128 GB').check();
  await page.getByRole('radio', answer('choice.works.yes')).check();
  await page.getByRole('group', { name: fr['question.screen'] }).getByRole('radio', answer('choice.screen.flawless')).check();
  await page.getByRole('group', { name: fr['question.body'] }).getByRole('radio', answer('choice.body.visible_wear')).check();
  await page.getByRole('button', { name: fr['model.see_offer'] }).click();
  expect((await page.getByTestId('offer-amount').textContent()) ?? '').toMatch(FR_AMOUNT);
  await page.getByRole('button', { name: fr['offer.accept'] }).click();

  // Refused for its IBAN alone: the same page comes back with everything
  // else as typed, the error beside the IBAN, and the IBAN not echoed.
  const imei = randomImei();
  const accept = page.url();
  await fillDetails(page, { imei });
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  expect(page.url()).toBe(accept);
  await expect(page.locator('#field-iban-error')).toHaveText(fr['error.iban_checksum']);
  await expect(page.getByLabel('IBAN')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('IBAN')).toHaveValue('');
  await expect(page.getByLabel('IMEI')).toHaveValue(imei);
  await expect(page.getByLabel('IMEI')).toHaveAttribute('aria-invalid', 'false');
  await expect(field(page, 'accept.full_name')).toHaveValue('Camille Martin');
  await expect(field(page, 'address.street')).toHaveValue('12 rue de la Paix');
  await expect(field(page, 'address.postcode')).toHaveValue('75002');
  await expect(field(page, 'address.city')).toHaveValue('Paris');
  await expect(field(page, 'address.country')).toHaveValue('FR');
  await expect(field(page, 'accept.account_holder')).toHaveValue('Camille Martin');
  await expect(field(page, 'accept.birth_date')).toHaveValue('1990-04-23');
  await expect(field(page, 'accept.activation_lock_off')).toBeChecked();
  await expect(field(page, 'accept.device_reset')).toBeChecked();
  // The summary at the top has the focus and leads to the field.
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: capitalised(fr['error.iban_checksum']), exact: true })).toHaveAttribute('href', '#field-iban');

  await page.getByLabel('IBAN').fill(uniqueIban());
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.label_issued'] }))).toBeVisible();
  await context.close();
});

