import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signIn, DEMO_CONSUMER, DEMO_OPS, DEMO_SELLER } from './helpers';

// The main pages of each area, as the server sends them, through the Nu
// HTML Checker (vnu-jar from npm, on the machine's Java). The one error
// allowed is the framework's: Leptos marks where hydration resumes with
// `<!>`, which the checker reports as a bogus comment. Anything else, ours,
// fails the test with the checker's words, line and page.
const ALLOWED: { name: string; message: RegExp }[] = [
  { name: "Leptos's hydration marker <!>", message: /^Bogus comment\.$/ },
];

const MODEL = '/fr-fr/sell/smartphones/apple/iphone-13';
const QUESTIONS = 'variant=iphone-13-128gb&works=yes&screen=light_scratches&body=flawless';

const AREAS: { who: string | null; pages: string[] }[] = [
  {
    who: null,
    pages: ['/fr-fr', '/fr-fr/sell/smartphones', '/markets', MODEL, `${MODEL}/offer?${QUESTIONS}`, '/login', '/signup', '/seller/signup'],
  },
  {
    who: DEMO_CONSUMER,
    pages: [`${MODEL}/accept?${QUESTIONS}`, '/trade-ins', '/account', '/account/two-factor', '/account/data'],
  },
  { who: DEMO_SELLER, pages: ['/seller', '/seller/prices', '/seller/orders', '/seller/prices/import'] },
  { who: DEMO_OPS, pages: ['/ops', '/ops/claims', '/ops/fraud', '/ops/alerts', '/ops/sellers', '/account/two-factor'] },
];

type Message = { type: string; subType?: string; message: string; url: string; lastLine?: number; extract?: string };

function check(files: string[]): Message[] {
  const jar = join(__dirname, '..', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  const out = execFileSync('java', ['-jar', jar, '--format', 'json', '--stdout', '--exit-zero-always', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(out).messages as Message[]).filter((m) => m.type === 'error' || m.type === 'non-document-error');
}

test('the main pages of every area are valid HTML', async ({ browser }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tradein-html-'));
  const files: Record<string, string> = {};
  for (const area of AREAS) {
    const page: Page = await (await browser.newContext()).newPage();
    if (area.who) await signIn(page, area.who);
    // A refused form comes back as its page again: the error summary, the
    // errors beside their fields, what was typed.
    const refused = area.who
      ? []
      : [{ path: '/signup', form: { __fn: '/api/signup', __form: '/api/signup', name: 'Erin', email: 'not an email', password: 'short' } }];
    const sent = refused.map(async (r) => {
      const res = await page.request.post(r.path, { form: r.form });
      expect(res.status(), `${r.path} refused`).toBe(422);
      return { path: `${r.path} (refused)`, html: await res.text() };
    });
    const fetched = area.pages.map(async (path) => {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(200);
      return { path, html: await res.text() };
    });
    for (const { path, html } of [...(await Promise.all(fetched)), ...(await Promise.all(sent))]) {
      expect(html, `${path}: the document ends last`).toMatch(/<\/html>\s*$/);
      const file = join(dir, `${Object.keys(files).length}.html`);
      writeFileSync(file, html);
      files[`file:${file}`] = path;
    }
    await page.context().close();
  }
  const errors = check(Object.keys(files).map((f) => f.slice('file:'.length)));
  const ours = errors.filter((m) => !ALLOWED.some((a) => a.message.test(m.message)));
  const shown = ours.map((m) => `${files[m.url] ?? m.url}:${m.lastLine ?? '?'}: ${m.message} ${m.extract ?? ''}`);
  expect(shown, 'validator errors other than the hydration markers').toEqual([]);
});
