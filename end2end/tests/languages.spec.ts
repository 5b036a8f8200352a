import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { amountPattern, fill, gotoHydrated, randomImei, submitSignUp, textPattern, texts, uniqueEmail } from './helpers';

// Languages (issue 25): a consumer in Germany sells in German, reads
// amounts and dates the German way, is told what is wrong in German, and
// prints a German label. The texts come from the app's own catalog, so the
// test reads what a German visitor reads.

const de = texts('de');

test('a consumer in Germany sells a phone in German and gets a German label', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE', acceptDownloads: true });
  const page = await context.newPage();

  // The first visit picks Germany from the browser's language.
  await page.goto('/');
  await expect(page).toHaveURL(/\/de-de$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
  await expect(page.getByRole('heading', { level: 1, name: de['home.title'] })).toBeVisible();
  await expect(page.getByRole('link', { name: fill(de['footer.country'], { market: 'Deutschland' }) })).toBeVisible();

  // The questionnaire, answered as a person would, in German.
  await gotoHydrated(page, '/de-de/sell/smartphones/apple/iphone-13');
  await expect(page.getByRole('heading', { level: 1, name: fill(de['model.title'], { device: 'Apple iPhone 13' }) })).toBeVisible();
  await page.getByRole('group', { name: de['model.which_variant'] }).getByText('128 GB').click();
  await page.getByRole('group', { name: de['question.works'] }).getByText(de['choice.works.yes'], { exact: true }).click();
  await page.getByRole('group', { name: de['question.screen'] }).getByText(de['choice.screen.light_scratches'], { exact: true }).click();
  await page.getByRole('group', { name: de['question.body'] }).getByText(de['choice.body.flawless'], { exact: true }).click();
  await page.getByRole('button', { name: de['model.see_offer'] }).click();

  // Euros the German way: "1.234,56 €" with a no-break space before the sign.
  const amount = page.getByTestId('offer-amount');
  await expect(amount).toHaveText(new RegExp(`^${amountPattern('de-de').source}$`));
  const offered = (await amount.textContent()) ?? '';
  // The deadline in German (CLDR's medium date: "Fr., 18.12.2026").
  const steps = page.getByRole('list').filter({ hasText: de['offer.next_details'] });
  await expect(steps.locator('time')).toHaveText(/^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{2}\.\d{2}\.\d{4} \(/);
  await expect(steps).toContainText('innerhalb von 14 Tagen');
  await page.getByRole('button', { name: de['offer.accept'] }).click();

  // An account on the way, the sign-up form in German too.
  await expect(page.getByRole('heading', { name: de['accept.sign_in_heading'] })).toBeVisible();
  await page.getByRole('link', { name: de['nav.create_account'] }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: de['signup.title'] })).toBeVisible();
  await submitSignUp(page, { name: 'Jürgen Weiß', email: uniqueEmail('de-seller'), password: 'ein langes Passwort bitte' }, 'de');
  await expect(page.getByRole('heading', { name: de['accept.title'] })).toBeVisible();
  // The offer is kept, in the same German format.
  await expect(page.locator('strong').filter({ hasText: offered })).toBeVisible();

  // The details form asks in German, and says what is wrong in German.
  await page.getByLabel('IMEI').fill(randomImei());
  await page.getByLabel(de['accept.full_name']).fill('Jürgen Weiß');
  await page.getByLabel(de['address.street']).fill('Königstraße 12');
  await page.getByLabel(de['address.postcode']).fill('7017');
  await page.getByLabel(de['address.city']).fill('Stuttgart');
  await expect(page.getByLabel(de['address.country'])).toHaveValue('DE');
  await page.getByLabel(de['accept.account_holder']).fill('Jürgen Weiß');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
  await page.getByLabel(de['accept.birth_date']).fill('1985-02-11');
  await page.getByLabel(de['accept.activation_lock_off']).check();
  await page.getByLabel(de['accept.device_reset']).check();
  await page.getByRole('button', { name: de['accept.confirm'] }).click();
  const postcodeError = fill(de['error.postcode_of'], { country: de['country.de'], example: '10969' });
  await expect(page.getByText(postcodeError, { exact: true })).toBeVisible();
  await expect(page.getByText(de['error.iban_checksum'], { exact: true })).toBeVisible();
  await expect(page.getByLabel(de['address.city'])).toHaveValue('Stuttgart');
  await expect(page).not.toHaveURL(/\/trade-ins\//);

  await page.getByLabel(de['address.postcode']).fill('70173');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await page.getByLabel(de['accept.activation_lock_off']).check();
  await page.getByLabel(de['accept.device_reset']).check();
  await page.getByRole('button', { name: de['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);

  // The trade-in's page goes on in German, amounts the German way.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(textPattern(de['tradein.title'], { reference: /\S+/ }, { exact: true }));
  await expect(page.getByText(fill(de['tradein.status_is'], { status: de['state.label_issued'] }))).toBeVisible();
  await expect(page.getByText(textPattern(de['tradein.days_to_ship'], { days: 14, date: /.+/ }))).toBeVisible();
  await expect(page.getByText(new RegExp(`^${amountPattern('de-de').source}$`)).first()).toBeVisible();

  // The label speaks German: its title, captions and packing steps.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: de['tradein.download_label'] }).click(),
  ]);
  const pdf = fs.readFileSync(await download.path()).toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  for (const key of ['label.title', 'label.to', 'label.from', 'label.reference', 'label.packing']) {
    expect(pdf, key).toContain(`(${de[key]})`);
  }
  expect(pdf).toContain('Stuttgart');
  await context.close();
});
