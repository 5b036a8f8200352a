import { test, expect, type Browser, type Page } from '@playwright/test';
import { fill, gotoHydrated, randomImei, signIn, signUpConsumer, fillDetails, textPattern, texts, DEMO_OPS, SELLER_LOGIN } from './helpers';

// The operations console on the demo data: 14 weeks of trade-ins, a
// refurbisher (GreenCycle) that counter-offers far too often, and a
// shared-IBAN fraud case (Sam's iPhone 13, validated, payout held).


async function opsPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, DEMO_OPS);
  return page;
}

test('the dashboard shows every KPI against the previous week, a chart, and takes a target', async ({ browser }) => {
  const ops = await opsPage(browser);
  await gotoHydrated(ops, '/ops');
  await expect(ops.getByRole('heading', { name: 'Operations console' })).toBeVisible();
  // The dashboard opens on the week so far, which is empty early on a
  // Monday (CI once ran at 00:01 UTC and saw dashes). The last full week
  // and the one before it always hold demo trade-ins, so read that one.
  const heading = ops.getByRole('heading', { name: /^KPIs for \d{4}-W\d\d/ });
  const current = (await heading.textContent())!;
  const lastWeek = current.match(/against the same part of (\d{4}-W\d\d)/)![1];
  await ops.getByRole('link', { name: `← ${lastWeek}` }).click();
  // A finished week is compared whole with the one before.
  await expect(heading).toHaveText(new RegExp(`^KPIs for ${lastWeek}, Mon .* 00:00 – Mon .* 00:00 UTC, against \\d{4}-W\\d\\d, Mon .* 00:00 – Mon .* 00:00 UTC$`));
  const rows = ops.locator('table.kpi-table tbody tr');
  await expect(rows).toHaveCount(18);
  // Every KPI has this period, the previous one and a change (or a dash when empty).
  const conversion = rows.filter({ has: ops.getByRole('rowheader', { name: 'Conversion' }) });
  await expect(conversion.locator('td').nth(0)).toHaveText(/^\d+\.\d%$/);
  await expect(conversion.locator('td').nth(1)).toHaveText(/^\d+\.\d%$/);
  await expect(conversion.locator('td').nth(2)).toHaveText(/^[+-]\d+\.\d pts$/);
  const shown = rows.filter({ has: ops.getByRole('rowheader', { name: 'Offers shown' }) });
  await expect(shown.locator('td').nth(2)).toHaveText(/^[+-][\d,]+$/);
  await expect(ops.getByRole('img', { name: /Conversion, last 12 weeks/ })).toBeVisible();
  await expect(ops.locator('p.summary')).toContainText('Conversion');

  // A target of 99% is missed: the row says so.
  await ops.getByLabel('Target for Conversion', { exact: true }).fill('99');
  await ops.getByRole('button', { name: 'Save target for Conversion' }).click();
  await expect(conversion.locator('td').nth(3)).toHaveText('99.0% (off target)');
  await expect(conversion).toHaveClass(/missed/);
  // A bad target is explained and changes nothing.
  await ops.getByLabel('Target for Conversion', { exact: true }).fill('lots');
  await ops.getByRole('button', { name: 'Save target for Conversion' }).click();
  await expect(conversion.getByRole('status')).toContainText('percentage');
  await expect(conversion.locator('td').nth(3)).toHaveText('99.0% (off target)');

  // The same table as CSV.
  const download = ops.waitForEvent('download');
  await ops.getByRole('link', { name: 'Export KPIs (CSV)' }).click();
  const csv = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of csv) chunks.push(c as Buffer);
  expect(Buffer.concat(chunks).toString('utf8')).toMatch(/^kpi,\d{4}-W\d\d,\d{4}-W\d\d,change,target,status\n/);
});

test('the week so far is compared with the same part of the week before, or the whole of it', async ({ browser }) => {
  const ops = await opsPage(browser);
  await gotoHydrated(ops, '/ops');
  const heading = ops.getByRole('heading', { name: /^KPIs for \d{4}-W\d\d so far, / });
  await expect(heading).toContainText(', against the same part of ');
  const spans = async () =>
    heading.locator('time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime')!)));
  const week = 7 * 24 * 3600 * 1000;
  const [from, to, prevFrom, prevTo] = await spans();
  expect(prevFrom).toBe(from - week);
  expect(prevTo - prevFrom).toBe(to - from);
  await expect(ops.locator('table.kpi-table thead')).toContainText('so far');
  await expect(ops.locator('table.kpi-table thead')).toContainText(', same part');

  await ops.getByRole('link', { name: 'Compare with the whole previous period' }).click();
  await expect(heading).toContainText(', against the whole of ');
  const whole = await spans();
  expect(whole[3] - whole[2]).toBe(week);
  expect(whole[3]).toBe(whole[0]);
  await ops.getByRole('link', { name: 'Compare like for like' }).click();
  await expect(heading).toContainText(', against the same part of ');
});

test('the shared-IBAN case is flagged, released, and its payout proceeds', async ({ browser }) => {
  const ops = await opsPage(browser);
  await gotoHydrated(ops, '/ops/fraud');
  const card = ops.locator('li.card').filter({ hasText: 'sam@tradein.example' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Same IBAN used by different consumers');
  const heading = (await card.getByRole('heading').textContent())!;
  const reference = heading.split(' · ')[0];
  const buyer = (await card.locator('p').first().textContent())!.match(/sold to (.+) · /)![1];
  // A decision needs a reason.
  await card.getByRole('button', { name: `Release payout of ${reference}` }).click();
  await expect(card.locator('.field-error')).toContainText('reason');
  await card.getByLabel(`Reason for ${reference}`).fill('Same household, confirmed by phone');
  await card.getByRole('button', { name: `Release payout of ${reference}` }).click();
  await expect(ops.getByRole('row').filter({ hasText: reference })).toContainText('released');

  // The refurbisher can now pay it.
  const seller = await (await browser.newContext()).newPage();
  await signIn(seller, SELLER_LOGIN[buyer]);
  await gotoHydrated(seller, '/seller/orders?tab=to_pay');
  await seller.getByRole('link', { name: new RegExp(reference) }).click();
  await seller.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(seller.getByText('Status: paid')).toBeVisible();

  await gotoHydrated(ops, `/ops/audit?reference=${reference}`);
  await expect(ops.getByRole('cell', { name: /payout released: Same household/ })).toBeVisible();
});

test('a high counter-offer rate raises an alert that is acknowledged', async ({ browser }) => {
  const ops = await opsPage(browser);
  await gotoHydrated(ops, '/ops/alerts');
  await ops.getByRole('button', { name: 'Check the rules now' }).click();
  const row = ops.getByRole('row').filter({ hasText: /GreenCycle Electronics S\.L\.: counter-offer rate/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('open');
  await row.getByRole('button', { name: /^Acknowledge/ }).click();
  await expect(row).toContainText('acknowledged by Olivia Ops');
});

test('a consumer opens a claim about a lost parcel; ops compensate', async ({ page, browser }) => {
  await signUpConsumer(page, 'claim');
  await gotoHydrated(page, '/fr-fr/sell/smartphones/apple/iphone-13/accept?variant=iphone-13-256gb&works=yes&screen=light_scratches&body=flawless');
  await fillDetails(page, { imei: randomImei() });
  await page.getByRole('button', { name: texts('fr')['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  // The consumer's trade-in page is in French: they sold in France.
  const fr = texts('fr');
  await page.getByRole('button', { name: fr['tradein.shipped'] }).click();
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.shipped'] }))).toBeVisible();

  await page.getByLabel(fr['claim.what']).selectOption({ label: fr['claim.kind.parcel_lost'] });
  await page.getByLabel(fr['claim.tell_us']).fill('Posted two weeks ago and the tracking has not moved since.');
  await page.getByRole('button', { name: fr['claim.open'] }).click();
  await expect(page).toHaveURL(/\/claims\/\d+$/);
  const claimUrl = new URL(page.url()).pathname;
  // The claim's page too: the account pages speak the consumer's market's language.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    textPattern(fr['claim_page.heading'], { reference: /\S+/, kind: fr['claim.kind.parcel_lost'] }, { exact: true }),
  );

  const ops = await opsPage(browser);
  await gotoHydrated(ops, '/ops/claims');
  await ops.locator(`a[href="${claimUrl}"]`).click();
  await expect(ops.getByText('Posted two weeks ago')).toBeVisible();
  await ops.getByLabel('Your message').fill('We asked the carrier; it cannot find the parcel.');
  await ops.getByRole('button', { name: 'Send message' }).click();
  await expect(ops.getByText('We asked the carrier')).toBeVisible();
  await ops.getByRole('radio', { name: 'Declare the parcel lost and pay the consumer' }).check();
  await ops.getByLabel('Decision note (sent to the consumer)').fill('The carrier lost it: we pay you the agreed price.');
  await ops.getByRole('button', { name: 'Resolve the claim' }).click();
  await expect(ops.getByText(/Decision: Declare the parcel lost and pay the consumer/)).toBeVisible();

  await gotoHydrated(page, claimUrl);
  await expect(page.getByText('We asked the carrier')).toBeVisible();
  await expect(page.getByText(textPattern(fr['claim_page.decision'], { outcome: fr['claim.outcome.compensate'], note: /.*/ }))).toBeVisible();
  await page.getByRole('link', { name: fr['claim_page.back'] }).click();
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.paid'] }))).toBeVisible();
});
