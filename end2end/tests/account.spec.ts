import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import {
  anyLang,
  confirmAddress,
  enterCode,
  freshCode,
  fill,
  fillDetails,
  gotoHydrated,
  mailedLink,
  pageLang,
  randomImei,
  signUpConsumer,
  textPattern,
  texts,
  totp,
} from './helpers';

const fr = texts('fr');

const ACCEPT = '/fr-fr/sell/smartphones/apple/iphone-13/accept?variant=iphone-13-128gb&works=yes&screen=light_scratches&body=flawless';

test('sign up, confirm the address from the mailed link, then confirm a trade-in', async ({ page }) => {
  const email = await signUpConsumer(page, 'verify', { confirm: false });
  await gotoHydrated(page, '/account');
  await expect(page.getByText(`${email} · not confirmed yet`)).toBeVisible();

  await confirmAddress(page, email);
  await expect(page.getByText(`${email} · confirmed`)).toBeVisible();
  // The link works once.
  await gotoHydrated(page, await mailedLink(email, '/account/verify'));
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page.locator('#field-token')).toContainText('expired or was already used');

  await gotoHydrated(page, ACCEPT);
  await fillDetails(page, { imei: randomImei() });
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  // The trade-in's page is in French (sold in France); the address is confirmed.
  await expect(page.getByText(textPattern(fr['tradein.confirm_email'], { link: fr['tradein.confirm_email_link'] }))).toHaveCount(0);
});

test('a forgotten password is reset from the mailed link, and the old session ends', async ({ browser }) => {
  const before = await (await browser.newContext()).newPage();
  const email = await signUpConsumer(before, 'reset');

  const page = await (await browser.newContext()).newPage();
  await gotoHydrated(page, '/login');
  await page.getByRole('link', { name: 'Reset it' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a reset link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

  await gotoHydrated(page, await mailedLink(email, '/login/reset/new'));
  await page.getByLabel('New password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(page.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();

  // The browser signed in before the reset is signed out.
  await gotoHydrated(before, '/account');
  await expect(before.getByRole('link', { name: anyLang('nav.sign_in') }).first()).toBeVisible();
  await expect(before.getByRole('heading', { name: 'Your account' })).toHaveCount(0);
});

test('two sessions are listed, and one is ended from the other', async ({ browser }) => {
  const laptop = await (await browser.newContext()).newPage();
  const email = await signUpConsumer(laptop, 'sessions', { confirm: false });
  const phone = await (await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' })).newPage();
  await gotoHydrated(phone, '/login');
  await phone.getByLabel('Email').fill(email);
  await phone.getByLabel('Password').fill('correct horse battery staple');
  await phone.getByRole('button', { name: 'Sign in' }).click();
  await expect(phone.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();

  await gotoHydrated(laptop, '/account');
  const rows = laptop.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'this browser' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'iPhone' })).toHaveCount(1);
  await rows.filter({ hasText: 'iPhone' }).getByRole('button', { name: /Sign out/ }).click();
  await expect(rows).toHaveCount(2);

  await gotoHydrated(phone, '/account');
  await expect(phone.getByRole('heading', { name: 'Your account' })).toHaveCount(0);
});

test('my data downloads as JSON from the account page', async ({ page }) => {
  const email = await signUpConsumer(page, 'export');
  await gotoHydrated(page, '/account');
  await page.getByRole('link', { name: 'Your data and deleting your account' }).click();
  await expect(page.getByRole('heading', { name: 'Your data', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download my data (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tradein-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.account.email_verified_at).not.toBeNull();
  expect(data.sessions).toHaveLength(1);
  expect(data.mail.map((m: { kind: string }) => m.kind)).toContain('verify_email');
});

test('two-factor sign-in is set up from its QR code, then a code and a recovery code sign in', async ({ page }) => {
  const email = await signUpConsumer(page, 'twofactor');
  await gotoHydrated(page, '/account');
  await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  await expect(page).toHaveURL(/\/account\/two-factor$/);
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Current password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

  // The app scans the QR code; a person without a camera types the key.
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByLabel('Setup key').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const current = [-30_000, 0, 30_000].map((d) => totp(secret, Date.now() + d));
  await page.getByLabel('Code from your app').fill(['000000', '111111', '222222', '333333'].find((c) => !current.includes(c))!);
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.locator('#field-code-error')).toContainText('This code is not right');
  await page.getByLabel('Code from your app').fill(await freshCode(secret, secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();

  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.allInnerTexts()).map((c) => c.trim());
  expect(recovery[0]).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in is on' })).toBeVisible();

  // The password alone no longer signs in: the app's code does.
  await page.getByRole('button', { name: anyLang('nav.sign_out') }).click();
  await gotoHydrated(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your sign-in code' })).toBeVisible();
  await enterCode(page, secret);

  // A recovery code signs in once.
  await page.getByRole('button', { name: anyLang('nav.sign_out') }).click();
  await gotoHydrated(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Sign-in code').fill(recovery[0]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();
  await gotoHydrated(page, '/account/two-factor');
  await expect(page.getByText('9 of 10 recovery codes left.')).toBeVisible();
});

test('a consumer deletes their account once their trade-in has ended, and is told what is kept', async ({ page }) => {
  const email = await signUpConsumer(page, 'delete');
  await gotoHydrated(page, ACCEPT);
  await fillDetails(page, { imei: randomImei() });
  await page.getByRole('button', { name: fr['accept.confirm'] }).click();
  await expect(page).toHaveURL(/\/trade-ins\/\d+$/);
  const tradeIn = page.url();

  // An open trade-in holds the deletion back, and says so. Having sold in
  // France, this visitor reads the account pages in French too.
  await gotoHydrated(page, '/account/data');
  expect(await pageLang(page)).toBe('fr');
  const section = page.getByRole('region', { name: fr['data.delete_heading'] });
  await expect(section.getByText(fr['data.kept'])).toBeVisible();
  await section.getByLabel(fr['account.current_password'], { exact: true }).fill('correct horse battery staple');
  await section.getByLabel(fr['data.confirm']).check();
  await section.getByRole('button', { name: fr['data.delete'] }).click();
  // The refusal names the trade-in, in the visitor's language.
  const stillOpen = fr['erase_error.trade_in_open'].split('{references}')[1].split('.')[0];
  await expect(section.getByRole('alert').filter({ hasText: stillOpen })).toBeVisible();

  await gotoHydrated(page, tradeIn);
  await page.getByRole('button', { name: fr['tradein.cancel'] }).click();
  await expect(page.getByText(fill(fr['tradein.status_is'], { status: fr['state.cancelled'] }))).toBeVisible();

  await gotoHydrated(page, '/account/data');
  await section.getByLabel(fr['account.current_password'], { exact: true }).fill('correct horse battery staple');
  await section.getByLabel(fr['data.confirm']).check();
  await section.getByRole('button', { name: fr['data.delete'] }).click();
  await expect(page).toHaveURL(/\/account\/deleted$/);
  await expect(page.getByRole('heading', { name: fr['deleted.title'] })).toBeVisible();
  await expect(page.getByText(fr['data.kept_trade_ins'])).toBeVisible();
  // Signed out: the header offers to sign in, in this visitor's language.
  await expect(page.getByRole('link', { name: anyLang('nav.sign_in') })).toBeVisible();

  await gotoHydrated(page, '/login');
  await page.getByLabel(fr['account.email'], { exact: true }).fill(email);
  await page.getByLabel(fr['account.password'], { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: fr['login.submit'], exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: fr['error.wrong_credentials'] })).toBeVisible();
});
