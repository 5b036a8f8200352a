import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as OTPAuth from 'otpauth';

/** The interface's languages: one catalog each in locales/{lang}.json. */
export type Lang = 'en' | 'fr' | 'de' | 'es' | 'it';
export const LANGS: Lang[] = ['en', 'fr', 'de', 'es', 'it'];

/** The markets, by the first segment of their pages' addresses. */
export type Market = 'fr-fr' | 'de-de' | 'es-es' | 'it-it' | 'en-gb' | 'en-us';
export const LANG_OF: Record<Market, Lang> = {
  'fr-fr': 'fr',
  'de-de': 'de',
  'es-es': 'es',
  'it-it': 'it',
  'en-gb': 'en',
  'en-us': 'en',
};

const LOCALES = path.join(__dirname, '..', '..', 'locales');
const catalogs: Partial<Record<Lang, Record<string, string>>> = {};

/**
 * The texts of one language's catalog (locales/{lang}.json), by key. A key
 * the catalog does not have throws, so a typo never turns into a locator
 * for the text "undefined".
 */
export function texts(lang: Lang): Readonly<Record<string, string>> {
  const catalog = (catalogs[lang] ??= JSON.parse(fs.readFileSync(path.join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, string>);
  return new Proxy(catalog, {
    get(target, key) {
      // `then` is asked by `await` when a catalog is an async function's
      // result: a catalog is no promise.
      if (typeof key === 'string' && key !== 'then' && !Object.prototype.hasOwnProperty.call(target, key)) {
        throw new Error(`locales/${lang}.json has no text "${key}"`);
      }
      return Reflect.get(target, key);
    },
  });
}

/** A catalog text with its `{placeholders}` filled, as the app fills them. */
export function fill(text: string, values: Record<string, string | number>): string {
  const wanted = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  for (const name of Object.keys(values)) {
    if (!wanted.has(name)) throw new Error(`"${text}" has no {${name}}`);
  }
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`"${text}" needs {${name}}`);
    return String(values[name]);
  });
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A catalog text as a regular expression: its words literally, each
 * placeholder by what `values` gives (a string literally, a RegExp by its
 * pattern). `exact` anchors it at both ends.
 */
export function textPattern(text: string, values: Record<string, string | number | RegExp>, opts: { exact?: boolean } = {}): RegExp {
  const wanted = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  for (const name of Object.keys(values)) {
    if (!wanted.has(name)) throw new Error(`"${text}" has no {${name}}`);
  }
  const source = text
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = part.match(/^\{(\w+)\}$/)?.[1];
      if (!name) return escapeRegExp(part);
      const value = values[name];
      if (value === undefined) throw new Error(`"${text}" needs {${name}}`);
      return value instanceof RegExp ? `(?:${value.source})` : escapeRegExp(String(value));
    })
    .join('');
  return new RegExp(opts.exact ? `^${source}$` : source, 'u');
}

/** A text with its first letter in capitals, as the error summary lists a field's error. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The start of a catalog text: a radio's name is its answer, then its explanation. */
export function startingWith(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}`);
}

/**
 * A key's text in any language, exactly: for the header, footer and skip
 * link of pages outside the markets, whose language is the visitor's
 * (cookie, else the browser's language).
 */
export function anyLang(key: string): RegExp {
  const all = [...new Set(LANGS.map((lang) => texts(lang)[key]))];
  return new RegExp(`^(?:${all.map(escapeRegExp).join('|')})$`);
}

/**
 * The language of the page open now, from its `<html lang>` ("de-DE" is
 * German). The account pages are in the visitor's language: their market
 * cookie's (set by any market page they opened), else the browser's.
 */
export async function pageLang(page: Page): Promise<Lang> {
  const code = ((await page.locator('html').getAttribute('lang')) ?? '').slice(0, 2).toLowerCase();
  const lang = LANGS.find((l) => l === code);
  if (!lang) throw new Error(`the page's language "${code}" has no catalog`);
  return lang;
}

/**
 * The catalog of the page open now: `lang`'s, after checking the page is
 * in it, else the page's own language.
 */
async function pageTexts(page: Page, lang?: Lang): Promise<Readonly<Record<string, string>>> {
  if (lang) {
    await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${lang}(?:-|$)`, 'i'));
    return texts(lang);
  }
  return texts(await pageLang(page));
}

/** How each market writes an amount (src/domain/money.rs, from CLDR). */
const MONEY: Record<Market, { decimal: string; group: string; minGrouping: number; symbol: string; symbolFirst: boolean }> = {
  'fr-fr': { decimal: ',', group: '\u202f', minGrouping: 1, symbol: '€', symbolFirst: false },
  'de-de': { decimal: ',', group: '.', minGrouping: 1, symbol: '€', symbolFirst: false },
  'es-es': { decimal: ',', group: '.', minGrouping: 2, symbol: '€', symbolFirst: false },
  'it-it': { decimal: ',', group: '.', minGrouping: 2, symbol: '€', symbolFirst: false },
  'en-gb': { decimal: '.', group: ',', minGrouping: 1, symbol: '£', symbolFirst: true },
  'en-us': { decimal: '.', group: ',', minGrouping: 1, symbol: '$', symbolFirst: true },
};

function formatAmount(price: string, style: (typeof MONEY)[Market]) {
  const m = price.match(/^(\d+)\.(\d\d)$/);
  if (!m) throw new Error(`"${price}" is not an amount like 457.30`);
  const units = String(Number(m[1]));
  const grouped = units.length >= 3 + style.minGrouping ? units.replace(/\B(?=(\d{3})+$)/g, style.group) : units;
  const number = `${grouped}${style.decimal}${m[2]}`;
  return style.symbolFirst ? `${style.symbol}${number}` : `${number}\u00a0${style.symbol}`;
}

/** An amount ("1234.50") as a market's consumer pages write it: "1 234,50 €" in France. */
export function money(price: string, market: Market): string {
  return formatAmount(price, MONEY[market]);
}

/**
 * An amount as the refurbisher and operations areas write it, in English:
 * "€1,234.50".
 */
export function englishMoney(price: string, symbol: '€' | '£' | '$'): string {
  return formatAmount(price, { ...MONEY['en-gb'], symbol });
}

/** Any amount as a market writes it, e.g. /\d{1,3}(?:\u202f\d{3})*,\d\d\u00a0€/ in France. */
export function amountPattern(market: Market): RegExp {
  const s = MONEY[market];
  const g = escapeRegExp(s.group);
  const units =
    s.minGrouping === 1
      ? `\\d{1,3}(?:${g}\\d{3})*`
      : `(?:\\d{1,4}|\\d{2,3}(?:${g}\\d{3})+|\\d(?:${g}\\d{3}){2,})`;
  const number = `${units}${escapeRegExp(s.decimal)}\\d\\d`;
  return new RegExp(s.symbolFirst ? `${escapeRegExp(s.symbol)}${number}` : `${number}\\u00a0${escapeRegExp(s.symbol)}`);
}

/** An amount a market's page wrote, back as "1234.50" (checked against its format). */
export function parseMoney(text: string, market: Market): string {
  if (!new RegExp(`^${amountPattern(market).source}$`).test(text)) throw new Error(`"${text}" is not an amount as ${market} writes it`);
  const s = MONEY[market];
  const digits = text.replace(s.symbol, '').replace(/\u00a0/g, '').split(s.group).join('');
  const [units, cents] = digits.split(s.decimal);
  return `${units}.${cents}`;
}

/** Opens a page and waits until the app has hydrated: a click before that
 * would do nothing (see the `data-hydrated` marker set in src/lib.rs). The
 * debug wasm is about 27 MB: a browser context's first page compiles it,
 * which on 2 shared cores sometimes takes longer than the 10 s default. */
export async function gotoHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  // A page served without its nonce policy can never hydrate: fail with
  // the headers that came, not with a hydration timeout.
  const headers = (await response?.allHeaders()) ?? {};
  if (!/'nonce-/.test(headers['content-security-policy'] ?? '')) {
    throw new Error(`${path} came without its page policy: ${response?.status()} ${JSON.stringify(headers)}`);
  }
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1, { timeout: 30_000 });
  return response;
}

export function uniqueEmail(tag: string) {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_SELLER = 'buyback@renew-mobile.example';
export const DEMO_CONSUMER = 'demo@tradein.example';
export const DEMO_OPS = 'ops@tradein.example';

/** Demo refurbishers' logins by company name (see README). */
export const SELLER_LOGIN: Record<string, string> = {
  'ReNew Mobile SAS': 'buyback@renew-mobile.example',
  'Second Life Devices GmbH': 'ankauf@second-life.example',
  'Circular Tech B.V.': 'inkoop@circular-tech.example',
  'GreenCycle Electronics S.L.': 'compras@greencycle.example',
  'Phoenix Refurb S.r.l.': 'acquisti@phoenix-refurb.example',
  'Atelier Reconditionné SARL': 'rachat@atelier-recond.example',
  'Reboxed UK Ltd': 'buying@reboxed-uk.example',
  'Second Wave Devices Inc.': 'trade@second-wave.example',
};

/**
 * Fills and sends the sign-up form of the page open now, in `lang` (the
 * page's own language if not given).
 */
export async function submitSignUp(page: Page, person: { name: string; email: string; password: string }, lang?: Lang) {
  const t = await pageTexts(page, lang);
  await page.getByLabel(t['signup.full_name'], { exact: true }).fill(person.name);
  await page.getByLabel(t['account.email'], { exact: true }).fill(person.email);
  await page.getByLabel(t['account.password'], { exact: true }).fill(person.password);
  await page.getByRole('button', { name: t['signup.submit'], exact: true }).click();
}

/**
 * Signs up a new consumer: each test that pays a trade-in has its own, as
 * the fraud rules hold payouts of anyone with more than 5 trade-ins a year.
 * The form is in the visitor's language (`lang`, if given, is checked).
 */
export async function signUpConsumer(page: Page, tag = 'consumer', opts: { confirm?: boolean; lang?: Lang } = {}) {
  const email = uniqueEmail(tag);
  await gotoHydrated(page, '/signup');
  await submitSignUp(page, { name: 'Camille Martin', email, password: 'correct horse battery staple' }, opts.lang);
  await expect(page.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();
  // Payments go only to confirmed addresses: open the mailed link, as a person would.
  if (opts.confirm !== false) await confirmAddress(page, email, { lang: opts.lang });
  return email;
}

/** Opens the address confirmation link mailed to `email` and confirms. */
export async function confirmAddress(page: Page, email: string, opts: { lang?: Lang } = {}) {
  await gotoHydrated(page, await mailedLink(email, '/account/verify'));
  const t = await pageTexts(page, opts.lang);
  await page.getByRole('button', { name: t['verify.submit'], exact: true }).click();
  await expect(page.getByText(t['account.verified'], { exact: true })).toBeVisible();
}

/** The mail folder the test server writes its .eml files to. */
const DATA_DIR = process.env.E2E_DATA_DIR ?? '../target/e2e-data';
const MAIL_DIR = path.join(DATA_DIR, 'mail');

/**
 * The path and query of the newest link to `linkPath` mailed to `to`, read
 * from the .eml files the server writes (the mail worker sends them within
 * a second or two).
 */
export async function mailedLink(to: string, linkPath: string): Promise<string> {
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const addressee = new RegExp(`^To: .*${escape(to)}`, 'mi');
  const link = new RegExp(`https?://[^\\s/]+(${escape(linkPath)}\\?token=[A-Za-z0-9_-]+)`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = (fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR) : [])
      .map((f) => path.join(MAIL_DIR, f))
      .map((f) => ({ at: fs.statSync(f).mtimeMs, raw: fs.readFileSync(f, 'utf8') }))
      .filter((m) => addressee.test(m.raw))
      .map((m) => ({ at: m.at, text: m.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) }))
      .map((m) => ({ at: m.at, match: m.text.match(link) }))
      .filter((m) => m.match)
      .sort((a, b) => b.at - a.at);
    if (found.length) return found[0].match![1];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no ${linkPath} link was mailed to ${to} (looked in ${MAIL_DIR})`);
}

/** Collects console errors and uncaught exceptions of a page. */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** A random IMEI with a valid Luhn check digit. */
export function randomImei() {
  const body = '35' + Array.from({ length: 12 }, () => Math.floor(Math.random() * 10)).join('');
  for (let check = 0; check < 10; check++) {
    const digits = (body + check).split('').map(Number).reverse();
    const sum = digits.reduce((s, d, i) => s + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    if (sum % 10 === 0) return body + check;
  }
  throw new Error('unreachable');
}

/** The authenticator secret of the demo refurbishers and operations (README). */
export const DEMO_TOTP_SECRET = 'TRADEINDEMOSECRETTWOFACTORSIGNIN';

/** The code an authenticator app with `secret` shows at `at` (RFC 6238). */
export function totp(secret: string, at = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '')) }).generate({ timestamp: at });
}

/**
 * Each 30-second code works once per account, and both workers sign in to
 * the same demo accounts: the steps used are kept in a file beside the
 * server's data (one server per run), under a lock file, so no sign-in
 * sends a code another has used. A person's app would show the next code.
 */
const STEPS_FILE = path.join(DATA_DIR, 'e2e-totp-steps.json');

async function withStepsLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = `${STEPS_FILE}.lock`;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      // A lock left by a worker that died holds no one back for long.
      const age = fs.existsSync(lock) ? Date.now() - fs.statSync(lock).mtimeMs : 0;
      if (age > 90_000) fs.rmSync(lock, { force: true });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** A code of `secret` that no sign-in of this run to `account` has used. */
export async function freshCode(account: string, secret: string): Promise<string> {
  return withStepsLock(async () => {
    const used: Record<string, number> = fs.existsSync(STEPS_FILE) ? JSON.parse(fs.readFileSync(STEPS_FILE, 'utf8')) : {};
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, (used[account] ?? 0) + 1);
    // The server takes the next step's code too (a phone's clock may run
    // ahead); one further on waits for its turn.
    if (step > now + 1) await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 500));
    used[account] = step;
    fs.writeFileSync(STEPS_FILE, JSON.stringify(used));
    return totp(secret, step * 30_000);
  });
}

/**
 * Signs in as a person would: the password, then for an account with
 * two-factor sign-in (every refurbisher and operations account) the code
 * its app shows. The form is in the visitor's language (a market page
 * opened before sets it); `lang`, if given, is checked.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, secret = DEMO_TOTP_SECRET, opts: { lang?: Lang } = {}) {
  await gotoHydrated(page, '/login');
  const lang = opts.lang ?? (await pageLang(page));
  const t = await pageTexts(page, lang);
  await page.getByLabel(t['account.email'], { exact: true }).fill(email);
  await page.getByLabel(t['account.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
  const signedIn = page.getByRole('button', { name: anyLang('nav.sign_out') });
  const codeField = page.getByLabel(t['code.label'], { exact: true });
  await expect(signedIn.or(codeField)).toBeVisible();
  if (await codeField.isVisible()) await enterCode(page, secret, email, { lang });
  await expect(signedIn).toBeVisible();
}

/**
 * Sets up two-factor sign-in from the page that asks for it, as a person
 * would: the password, the key under the QR code typed into an app, the
 * app's code, recovery codes saved. Returns the key and the codes.
 */
export async function setUpTwoFactor(page: Page, password: string, opts: { lang?: Lang } = {}) {
  const t = await pageTexts(page, opts.lang);
  await page.getByLabel(t['account.current_password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: t['two_factor.set_up'], exact: true }).click();
  await expect(page.getByRole('img', { name: t['two_factor.qr_label'], exact: true })).toBeVisible();
  const secret = (await page.getByLabel(t['two_factor.setup_key'], { exact: true }).innerText()).replace(/\s/g, '');
  await page.getByLabel(t['two_factor.code_label'], { exact: true }).fill(await freshCode(secret, secret));
  await page.getByRole('button', { name: t['two_factor.turn_on'], exact: true }).click();
  const codes = page.getByRole('list', { name: t['two_factor.codes_label'], exact: true }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.allInnerTexts()).map((c) => c.trim());
  await page.getByRole('button', { name: t['two_factor.codes_saved'], exact: true }).click();
  await expect(page.getByRole('heading', { name: t['two_factor.codes_title'] })).toHaveCount(0);
  return { secret, recovery };
}

/**
 * Types the app's code on the code step: a code of `secret` not used yet
 * for `account` (`freshCode`; an account set up by a test is named by its
 * secret). The step is in the visitor's language; `lang`, if given, is
 * checked.
 */
export async function enterCode(page: Page, secret: string, account = secret, opts: { lang?: Lang } = {}) {
  const t = await pageTexts(page, opts.lang);
  await page.getByLabel(t['code.label'], { exact: true }).fill(await freshCode(account, secret));
  await page.getByRole('button', { name: t['login.submit'], exact: true }).click();
  await expect(page.getByRole('button', { name: anyLang('nav.sign_out') })).toBeVisible();
}

/**
 * A valid French IBAN no other test uses: fraud rules hold the payout of a
 * trade-in whose IBAN another consumer already gave (the demo data has one
 * such case on purpose).
 */
export function uniqueIban(): string {
  const account = String(Math.floor(Math.random() * 1e11)).padStart(11, '0');
  const bban = `2004101005${account}06`;
  // mod-97 over BBAN + "FR00" with letters as numbers (F=15, R=27).
  const check = 98n - (BigInt(`${bban}152700`) % 97n);
  return `FR${String(check).padStart(2, '0')}${bban}`;
}

/**
 * Fills the accept step's details form of a French page (without the
 * payout part when recycling), in the page's language.
 */
export async function fillDetails(page: Page, opts: { imei?: string; serial?: string; iban?: boolean; lang?: Lang } = {}) {
  const t = texts(opts.lang ?? 'fr');
  const field = (key: string) => page.getByLabel(t[key], { exact: true });
  if (opts.imei) await page.getByLabel('IMEI', { exact: true }).fill(opts.imei);
  if (opts.serial) await field('accept.serial').fill(opts.serial);
  await field('accept.full_name').fill('Camille Martin');
  await field('address.street').fill('12 rue de la Paix');
  await field('address.postcode').fill('75002');
  await field('address.city').fill('Paris');
  await field('address.country').selectOption('FR');
  if (opts.iban !== false) {
    await field('accept.account_holder').fill('Camille Martin');
    await page.getByLabel('IBAN', { exact: true }).fill(uniqueIban());
  }
  await field('accept.birth_date').fill('1990-04-23');
  await field('accept.activation_lock_off').check();
  await field('accept.device_reset').check();
}

/**
 * The refurbisher and operations areas' texts in one language: every
 * locales/staff/{area}.{lang}.json, keys prefixed by their area, as
 * build.rs reads them.
 */
export function staffTexts(lang: 'en' | 'fr'): Readonly<Record<string, string>> {
  const dir = path.join(__dirname, '..', '..', 'locales', 'staff');
  const all: Record<string, string> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(`.${lang}.json`))) {
    const area = file.slice(0, -`.${lang}.json`.length);
    for (const [key, text] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>)) {
      all[`${area}.${key}`] = text;
    }
  }
  return new Proxy(all, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target)) throw new Error(`no staff text "${key}" in ${lang}`);
      return Reflect.get(target, key);
    },
  });
}
