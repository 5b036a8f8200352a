import { test, expect } from '@playwright/test';
import { gotoHydrated, signIn, DEMO_OPS } from './helpers';

// The operations dashboard by market, on the demo history (trade-ins in
// France, Germany, Spain, Italy, the United Kingdom and the United States):
// all markets show one total per currency, a market its own currency only.

test('an ops user filters the dashboard by market and sees that market\'s currency', async ({ browser }) => {
  const ops = await (await browser.newContext()).newPage();
  await signIn(ops, DEMO_OPS);
  await gotoHydrated(ops, '/ops');
  // The last full week always holds demo trade-ins (the week so far may
  // be empty early on a Monday).
  const heading = ops.getByRole('heading', { name: /^KPIs for \d{4}-W\d\d/ });
  const lastWeek = (await heading.textContent())!.match(/against the same part of (\d{4}-W\d\d)/)![1];
  await ops.getByRole('link', { name: `← ${lastWeek}` }).click();
  await expect(heading).toHaveText(new RegExp(`^KPIs for ${lastWeek}`));

  const rows = ops.locator('table.kpi-table tbody tr');
  const paid = rows.filter({ has: ops.getByRole('rowheader', { name: 'Total paid' }) }).locator('td').nth(0);
  const accepted = rows.filter({ has: ops.getByRole('rowheader', { name: 'Offers accepted' }) }).locator('td').nth(0);
  // All markets: euros and pounds side by side, never one sum.
  await expect(paid).toHaveText(/^€[\d,]+\.\d\d \+ £[\d,]+\.\d\d/);
  const allAccepted = Number((await accepted.textContent())!.replace(/,/g, ''));

  // The United Kingdom: pounds only, and fewer trade-ins than everywhere.
  const market = ops.getByLabel('Market');
  await expect(market).toHaveValue('');
  await market.selectOption({ label: 'United Kingdom' });
  await ops.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(ops).toHaveURL(/[?&]market=en-gb/);
  await expect(heading).toHaveText(new RegExp(`^KPIs for ${lastWeek}`));
  await expect(paid).toHaveText(/^£[\d,]+\.\d\d$/);
  await expect(ops.getByLabel('Market')).toHaveValue('en-gb');
  const ukAccepted = Number((await accepted.textContent())!.replace(/,/g, ''));
  expect(ukAccepted).toBeLessThan(allAccepted);

  // Germany: euros only, a figure of its own.
  await ops.getByLabel('Market').selectOption({ label: 'Germany' });
  await ops.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(ops).toHaveURL(/[?&]market=de-de/);
  await expect(paid).toHaveText(/^€[\d,]+\.\d\d$/);
  await expect(ops.locator('#money-note')).toContainText('(EUR)');

  // The export follows the filter.
  const download = ops.waitForEvent('download');
  await ops.getByRole('link', { name: 'Export KPIs (CSV)' }).click();
  const chunks: Buffer[] = [];
  for await (const c of await (await download).createReadStream()) chunks.push(c as Buffer);
  const csv = Buffer.concat(chunks).toString('utf8');
  // Amounts with a thousands comma are quoted.
  expect(csv).toMatch(/\nTotal paid,"?€[\d,]+\.\d\d"?,/);
  expect(csv).not.toContain('£');
});
