import { test, expect, type Locator, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import {
  confirmAddress,
  fill,
  gotoHydrated,
  money,
  startingWith,
  texts,
  uniqueEmail,
  setUpTwoFactor,
  signIn,
  DEMO_OPS,
  DEMO_SELLER,
} from './helpers';

// Tests B and C both edit the demo refurbisher's grid, and an import is only
// applied if none of its prices changed since the preview: keep this file's
// tests in order in one worker even if the config turns on fullyParallel.
test.describe.configure({ mode: 'default' });

const SKU = 'iphone-13-128gb';
const ROW = 'Apple iPhone 13 · 128 GB';
const GRID = `/seller/prices?q=${SKU}`;
const CSV_HEADER = 'market,variant_sku,grade,price,currency,weekly_cap';
const SAVE = { timeout: 15_000 };

/** The price input of one grid cell, by its accessible name. */
function priceInput(page: Page, grade: string) {
  return page.getByLabel(`${ROW}, ${grade}: price in EUR`, { exact: true });
}

/** The table cell holding that input: its status, market line and flags. */
function cellOf(input: Locator) {
  return input.locator('xpath=ancestor::td[1]');
}

/** Types a price into a cell and leaves it with Tab, which saves it. */
async function setPrice(page: Page, grade: string, price: string) {
  const input = priceInput(page, grade);
  await input.fill(price);
  await input.press('Tab');
  return cellOf(input);
}

/** A random price in [from, from + span) with cents, as the grid shows it ("457.30"). */
function randomPrice(from: number, span: number) {
  return (from + Math.floor(Math.random() * span * 100) / 100).toFixed(2);
}

/** One figure of the import's counts (New, Changed, Removed, Unchanged, Rows with problems). */
function stat(page: Page, name: string) {
  return page.locator(`xpath=//dl[contains(@class, "import-counts")]//dt[normalize-space(.)="${name}"]/following-sibling::dd[1]`);
}

test('a refurbisher signs up, is approved, and its price becomes the consumer\'s offer', async ({ page, browser }, testInfo) => {
  test.setTimeout(60_000); // three people in turn: a refurbisher, operations, a consumer
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const company = `E2E Refurb ${suffix}`;
  // "Works, cracked" rather than "Works, light wear": sell.spec.ts sells an
  // iPhone 13 128 GB with light wear at the same time and expects a sub-1,000
  // amount that does not change under it. Under 1,000 EUR keeps the display
  // "9xx,yy €"; far above the demo prices (about €75), so it wins. A retry
  // bids higher than an earlier attempt's company, which may be approved.
  const price = (900 + testInfo.retry * 20 + Math.floor(Math.random() * 1900) / 100).toFixed(2);
  const grade = 'Works, cracked';

  // The refurbisher applies.
  await gotoHydrated(page, '/seller/signup');
  await expect(page.getByRole('heading', { name: 'Buy devices as a refurbisher' })).toBeVisible();
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel('EU VAT number').fill('FR40303265045');
  await page.getByLabel('Street and number').fill('8 rue Oberkampf');
  await page.getByLabel('Postcode').fill('75011');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Country').selectOption('FR');
  await page.getByLabel('Contact name').fill('Jeanne Testeuse');
  const email = uniqueEmail('refurbisher');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Apply as a refurbisher' }).click();
  // Refurbisher accounts sign in with two factors: set up before the area opens.
  await expect(page.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await setUpTwoFactor(page, 'a long enough passphrase');
  await page.getByRole('link', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/seller\/prices$/);
  await expect(page.getByRole('heading', { name: 'Buyback prices' })).toBeVisible();
  await expect(page.getByText(/awaiting approval by our operations team/)).toBeVisible();
  // Operations review an application once its address is confirmed.
  await confirmAddress(page, email);

  // Prices can be prepared before approval, but do not compete yet.
  await gotoHydrated(page, GRID);
  await expect(priceInput(page, grade)).toHaveValue('');
  let cell = await setPrice(page, grade, '6000');
  await expect(cell.getByRole('status')).toHaveText('Not saved: the highest price is 5,000 EUR', SAVE);
  cell = await setPrice(page, grade, price);
  await expect(cell.getByRole('status')).toHaveText('Saved', SAVE);
  await expect(priceInput(page, grade)).toHaveValue(price);
  // An unvetted refurbisher does not see its competitors' prices.
  await expect(cell.locator('.market')).toHaveText('market shown once operations approve your account');
  await expect(cell.getByText('not competing: awaiting approval', { exact: true })).toBeVisible();


  // Operations approve the application.
  const opsContext = await browser.newContext();
  const ops = await opsContext.newPage();
  await signIn(ops, DEMO_OPS);
  await gotoHydrated(ops, '/ops/sellers');
  await expect(ops.getByRole('heading', { name: 'Refurbisher applications' })).toBeVisible();
  await expect(ops.getByRole('heading', { level: 3, name: company })).toBeVisible();
  await ops.getByLabel(`Reason or note for ${company}`, { exact: true }).fill('VAT number and warehouse checked');
  await ops.getByRole('button', { name: `Approve ${company}`, exact: true }).click();
  const decision = ops.getByRole('row').filter({ hasText: company });
  await expect(decision.getByRole('cell').nth(1)).toHaveText('approved');
  await expect(decision).toContainText('VAT number and warehouse checked');
  await expect(ops.getByRole('button', { name: `Approve ${company}`, exact: true })).toHaveCount(0);
  await opsContext.close();

  // Back in the grid, the price now competes.
  await gotoHydrated(page, GRID);
  await expect(page.getByText(/awaiting approval by our operations team/)).toHaveCount(0);
  await expect(priceInput(page, grade)).toHaveValue(price);
  cell = cellOf(priceInput(page, grade));
  await expect(cell.locator('.market')).toHaveText(/^#1 of \d+ · winning$/);
  await expect(cell.getByText(/not competing/)).toHaveCount(0);

  // A consumer in France describing that device gets this refurbisher's
  // price, in French.
  const fr = texts('fr');
  const consumerContext = await browser.newContext();
  const consumer = await consumerContext.newPage();
  await gotoHydrated(consumer, '/fr-fr/sell/smartphones/apple/iphone-13');
  await consumer.getByRole('group', { name: fr['model.which_variant'] }).getByLabel('128 GB').check();
  await consumer.getByRole('radio', { name: startingWith(fr['choice.works.yes']) }).check();
  await consumer.getByRole('group', { name: fr['question.screen'] }).getByRole('radio', { name: startingWith(fr['choice.screen.cracked']) }).check();
  await consumer.getByRole('group', { name: fr['question.body'] }).getByRole('radio', { name: startingWith(fr['choice.body.flawless']) }).check();
  await consumer.getByRole('button', { name: fr['model.see_offer'] }).click();
  await expect(consumer).toHaveURL(/\/offer\?/);
  await expect(consumer.getByText(fill(fr['offer.condition'], { grade: fr['grade.functional_cracked'] }))).toBeVisible();
  await expect(consumer.getByTestId('offer-amount')).toHaveText(money(price, 'fr-fr'));
  await expect(consumer.getByText(fill(fr['offer.from_buyer'], { buyer: company }))).toBeVisible();
  await consumerContext.close();
});

test('CSV round-trip: export, change one price in a French spreadsheet, preview, apply', async ({ page }, testInfo) => {
  await signIn(page, DEMO_SELLER);
  await gotoHydrated(page, '/seller/prices');
  await expect(page.getByRole('heading', { name: 'Buyback prices' })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^prices-renew-mobile-sas-\d{4}-\d{2}-\d{2}\.csv$/);
  const exported = fs.readFileSync(await download.path(), 'utf8');
  const lines = exported.split(/\r?\n/).filter((l) => l.trim() !== '');
  expect(lines[0]).toBe(CSV_HEADER);
  const line = lines.find((l) => l.startsWith(`fr-fr,${SKU},functional_used,`));
  expect(line, `the demo refurbisher buys ${SKU} with visible wear in France`).toBeDefined();
  const [, , , oldPrice, currency, cap] = line!.split(',');
  expect(currency).toBe('EUR');
  expect(oldPrice).toMatch(/^\d+\.\d\d$/);
  let newPrice = randomPrice(200, 700);
  while (newPrice === oldPrice) newPrice = randomPrice(200, 700);

  // As French Excel saves it: byte-order mark, ";" separators, decimal comma, CRLF.
  const french = '\ufeff' + [CSV_HEADER.replaceAll(',', ';'), `fr-fr;${SKU};functional_used;${newPrice.replace('.', ',')};EUR;${cap}`].join('\r\n') + '\r\n';
  const file = testInfo.outputPath('prices-fr.csv');
  fs.writeFileSync(file, french, 'utf8');

  await gotoHydrated(page, '/seller/prices/import');
  await expect(page.getByRole('heading', { name: 'Import prices from a CSV file' })).toBeVisible();
  await page.getByLabel('CSV file (up to 10 MB)').setInputFiles(file);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await expect(page.getByRole('heading', { name: 'Preview: 1 rows read' })).toBeVisible(SAVE);
  await expect(stat(page, 'New')).toHaveText('0');
  await expect(stat(page, 'Changed')).toHaveText('1');
  await expect(stat(page, 'Removed')).toHaveText('0');
  await expect(stat(page, 'Unchanged')).toHaveText('0');
  await expect(stat(page, 'Rows with problems')).toHaveText('0');
  await expect(page.getByText('Markets in this file: France (EUR).')).toBeVisible();
  await page.getByRole('button', { name: 'Apply 1 changes' }).click();
  await expect(page.getByRole('heading', { name: 'Import applied' })).toBeVisible(SAVE);
  await expect(stat(page, 'Changed')).toHaveText('1');
  await page.getByRole('link', { name: 'See your price grid' }).click();
  await expect(page).toHaveURL(/\/seller\/prices$/);
  await expect(page.getByRole('heading', { name: 'Buyback prices' })).toBeVisible();

  await gotoHydrated(page, GRID);
  await expect(priceInput(page, 'Works, visible wear')).toHaveValue(newPrice);

  // A bad row is reported by its line, and nothing can be applied.
  const bad = testInfo.outputPath('prices-bad.csv');
  fs.writeFileSync(bad, `${CSV_HEADER}\nfr-fr,${SKU},functional_used,abc,,\n`, 'utf8');
  await gotoHydrated(page, '/seller/prices/import');
  await page.getByLabel('CSV file (up to 10 MB)').setInputFiles(bad);
  await page.getByRole('button', { name: 'Preview import' }).click();
  await expect(page.getByRole('heading', { name: 'Preview: 1 rows read' })).toBeVisible(SAVE);
  await expect(stat(page, 'Rows with problems')).toHaveText('1');
  const problems = page.getByRole('table', { name: 'Rows with problems' });
  const problem = problems.getByRole('row').nth(1);
  await expect(problem.getByRole('cell').nth(0)).toHaveText('2');
  await expect(problem.getByRole('cell').nth(1)).toContainText('"abc" is not an amount');
  await expect(page.getByRole('button', { name: /^Apply \d+ changes$/ })).toHaveCount(0);

  // The refused file changed nothing.
  await gotoHydrated(page, GRID);
  await expect(priceInput(page, 'Works, visible wear')).toHaveValue(newPrice);
});

test('a stale edit is refused and shows the price saved elsewhere', async ({ page }) => {
  const grade = 'Works, flawless';
  const first = randomPrice(300, 100);
  const second = randomPrice(400, 100);

  await signIn(page, DEMO_SELLER);
  const tab1 = page;
  const tab2 = await page.context().newPage();
  await gotoHydrated(tab1, GRID);
  await gotoHydrated(tab2, GRID);
  const before = await priceInput(tab2, grade).inputValue();
  expect([first, second]).not.toContain(before);

  const cell1 = await setPrice(tab1, grade, first);
  await expect(cell1.getByRole('status')).toHaveText('Saved', SAVE);
  await expect(priceInput(tab1, grade)).toHaveValue(first);

  // The second tab still edits from the version it loaded.
  await expect(priceInput(tab2, grade)).toHaveValue(before);
  const cell2 = await setPrice(tab2, grade, second);
  const status2 = cell2.getByRole('status');
  await expect(status2).toHaveText(/Changed elsewhere/, SAVE);
  await expect(status2).toHaveText(/was not saved/);
  await expect(status2).toHaveText(`Not saved: Changed elsewhere: now €${first}. Your ${second} was not saved.`);
  await expect(priceInput(tab2, grade)).toHaveValue(first);

  await gotoHydrated(tab2, GRID);
  await expect(priceInput(tab2, grade)).toHaveValue(first);
  await tab2.close();
});
