import { test, expect, type Browser, type Page } from '@playwright/test';
import * as path from 'node:path';
import { amountPattern, fill, gotoHydrated, money, randomImei, signIn, signUpConsumer, fillDetails, textPattern, texts, SELLER_LOGIN } from './helpers';

/** The consumer's pages are in French: they sold in France. */
const fr = texts('fr');
const consumerStatus = (state: string) => fill(fr['tradein.status_is'], { status: fr[`state.${state}`] });
const payment = (amount: RegExp | string, state: string) =>
  textPattern(fr['tradein.payment'], { amount, account: /FR\d\d •••• \d{4}/, state: fr[`payout.state.${state}`] });


const PHOTO = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'photos', 'exif.jpg');

/** A consumer confirms an iPhone 13 trade-in; returns what the seller needs. */
async function tradeIn(page: Page) {
  const imei = randomImei();
  await signUpConsumer(page);
  await gotoHydrated(page, '/fr-fr/sell/smartphones/apple/iphone-13/accept?variant=iphone-13-256gb&works=yes&screen=light_scratches&body=flawless');
  await fillDetails(page, { imei });
  await page.getByRole('button', { name: texts('fr')['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  const url = page.url();
  const buyer = (await page.locator('dt', { hasText: fr['tradein.bought_by'] }).locator('xpath=following-sibling::dd').textContent())!.trim();
  const tracking = (await page.locator('dd code').first().textContent())!.trim();
  return { url, buyer, tracking, imei };
}

async function sellerPage(browser: Browser, buyer: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, SELLER_LOGIN[buyer]);
  return page;
}

async function receiveAndInspect(seller: Page, tracking: string, imei: string, screen: RegExp) {
  await gotoHydrated(seller, '/seller/orders');
  await seller.getByLabel('Tracking number or order reference').fill(tracking);
  await seller.getByRole('button', { name: 'Mark received' }).click();
  await expect(seller.getByText('Status: received')).toBeVisible();
  await seller.getByLabel('IMEI found on the device').fill(imei);
  await seller.getByRole('radio', { name: /Yes, it works normally/ }).check();
  await seller.getByRole('group', { name: 'What does the screen look like?' }).getByRole('radio', { name: screen }).check();
  await seller.getByRole('group', { name: 'What does the body look like?' }).getByRole('radio', { name: /Flawless/ }).check();
  await seller.getByRole('button', { name: 'Record inspection' }).click();
}

async function counterOffer(seller: Page, price: string) {
  await expect(seller.getByText(/Inspection found: Works, cracked/)).toBeVisible();
  await seller.getByLabel('New price (EUR)').fill(price);
  await seller.getByLabel('Screen in worse condition').check();
  await seller.getByLabel(/Proof photos/).setInputFiles(PHOTO);
  await seller.getByRole('button', { name: 'Send counter-offer' }).click();
  await expect(seller.getByText('Status: waiting for your answer to a new offer')).toBeVisible();
}

test('a counter-offer refused for its price comes back whole, and goes through without choosing the photo again', async ({ page, browser }) => {
  const t = await tradeIn(page);
  const seller = await sellerPage(browser, t.buyer);
  await receiveAndInspect(seller, t.tracking, t.imei, /Cracked/);
  await expect(seller.getByText(/Inspection found: Works, cracked/)).toBeVisible();
  await seller.getByLabel('New price (EUR)').fill('9999');
  await seller.getByLabel('Screen in worse condition').check();
  await seller.getByLabel('Body in worse condition').check();
  await seller.getByLabel(/Note for the customer/).fill('Deep crack across the screen, see photo.');
  await seller.getByLabel(/Proof photos/).setInputFiles(PHOTO);
  await seller.getByRole('button', { name: 'Send counter-offer' }).click();

  await expect(seller.locator('#field-price-error')).toContainText('lower than the accepted price');
  await expect(seller.getByLabel('New price (EUR)')).toHaveValue('9999');
  await expect(seller.getByLabel('New price (EUR)')).toHaveAttribute('aria-invalid', 'true');
  await expect(seller.getByLabel('Screen in worse condition')).toBeChecked();
  await expect(seller.getByLabel('Body in worse condition')).toBeChecked();
  await expect(seller.getByLabel('Does not work as declared')).not.toBeChecked();
  await expect(seller.getByLabel(/Note for the customer/)).toHaveValue('Deep crack across the screen, see photo.');
  const thumbnail = seller.getByRole('img', { name: 'Photo 1, already added' });
  await expect(thumbnail).toBeVisible();
  // Visible is not loaded: a busy machine paints the box before the bytes arrive.
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(seller.getByLabel('Keep photo 1')).toBeChecked();
  await expect(seller.getByRole('alert').filter({ hasText: 'Please correct' })).toBeFocused();
  await expect(seller.getByRole('link', { name: /lower than the accepted price/ })).toHaveAttribute('href', '#field-price');

  await seller.getByLabel('New price (EUR)').fill('95');
  await seller.getByRole('button', { name: 'Send counter-offer' }).click();
  await expect(seller.getByText('Status: waiting for your answer to a new offer')).toBeVisible();

  // The consumer sees the kept photo with the new offer.
  await gotoHydrated(page, new URL(t.url).pathname);
  await expect(page.getByRole('img', { name: textPattern(fr['counter.photo'], { number: /\d+/ }) })).toHaveCount(1);

});

test('a refurbisher receives, inspects and validates; the consumer sees it paid', async ({ page, browser }) => {

  const t = await tradeIn(page);
  const seller = await sellerPage(browser, t.buyer);
  await receiveAndInspect(seller, t.tracking, t.imei, /Light scratches/);
  await expect(seller.getByText('Inspection matches')).toBeVisible();
  await seller.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(seller.getByText('Status: paid')).toBeVisible();

  await gotoHydrated(page, new URL(t.url).pathname);
  await expect(page.getByText(consumerStatus('paid'))).toBeVisible();
  await expect(page.getByText(payment(amountPattern('fr-fr'), 'sent'))).toBeVisible();
});

test('a counter-offer with a photo is declined and a return label is issued', async ({ page, browser }) => {
  const t = await tradeIn(page);
  const seller = await sellerPage(browser, t.buyer);
  await receiveAndInspect(seller, t.tracking, t.imei, /Cracked/);
  await counterOffer(seller, '95');

  await gotoHydrated(page, new URL(t.url).pathname);
  await expect(page.getByRole('heading', { name: fr['counter.heading'] })).toBeVisible();
  await expect(page.getByText(money('95.00', 'fr-fr'), { exact: true })).toBeVisible();
  const photo = page.getByRole('img', { name: fill(fr['counter.photo'], { number: 1 }) });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: fr['counter.decline'] }).click();
  await expect(page.getByText(consumerStatus('return_requested'))).toBeVisible();
  await expect(page.getByText(fr['tradein.return_tracking'])).toBeVisible();

  await seller.reload();
  await expect(seller.getByRole('link', { name: 'Download return label' })).toBeVisible();
});

test('a counter-offer is accepted and paid at the new price', async ({ page, browser }) => {
  const t = await tradeIn(page);
  const seller = await sellerPage(browser, t.buyer);
  await receiveAndInspect(seller, t.tracking, t.imei, /Cracked/);
  await counterOffer(seller, '88.50');

  await gotoHydrated(page, new URL(t.url).pathname);
  await page.getByRole('button', { name: fr['counter.accept'] }).click();
  await expect(page.getByText(consumerStatus('validated'))).toBeVisible();
  await expect(page.getByText(payment(money('88.50', 'fr-fr'), 'pending'))).toBeVisible();
});

test('a trade-in is suspended when the IMEI found differs', async ({ page, browser }) => {
  const t = await tradeIn(page);
  const seller = await sellerPage(browser, t.buyer);
  await receiveAndInspect(seller, t.tracking, randomImei(), /Light scratches/);
  await expect(seller.getByText('Suspended: The IMEI does not match the one declared.')).toBeVisible();

  await gotoHydrated(page, new URL(t.url).pathname);
  await expect(page.getByText(consumerStatus('suspended'))).toBeVisible();
  await expect(page.getByText(fr['hold.todo_device'])).toBeVisible();
});
