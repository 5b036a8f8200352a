import { test, expect } from '@playwright/test';
import { fill, gotoHydrated, signIn, staffTexts, texts, DEMO_SELLER } from './helpers';

const ROW = 'Apple iPhone 13 · 128 GB';

test('a refurbisher switches its area to French: the grid, its amounts and its refusals are French, and back', async ({ page }) => {
  const [en, fr] = [staffTexts('en'), staffTexts('fr')];
  await signIn(page, DEMO_SELLER);
  await gotoHydrated(page, '/seller/prices?q=iphone-13-128gb');
  await expect(page.getByRole('heading', { level: 1, name: fill(en['grid.heading'], { market: 'France', currency: 'EUR' }) })).toBeVisible();

  // The footer offers the other language, and keeps the page.
  const languages = page.getByRole('list', { name: texts('en')['footer.language'] });
  await languages.getByRole('link', { name: 'Français' }).click();
  await expect(page).toHaveURL(/\/seller\/prices\?q=iphone-13-128gb$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: fill(fr['grid.heading'], { market: 'France', currency: 'EUR' }) })).toBeVisible();
  // The header is French too, and English is now the link.
  await expect(page.locator('header').getByRole('link', { name: texts('fr')['nav.seller_area'], exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: texts('fr')['footer.language'] }).getByRole('link', { name: 'English' })).toBeVisible();
  // Amounts are written the French way: "1 234,50 €".
  await expect(page.locator('main').getByText(/\d,\d{2}\u00a0€/).first()).toBeVisible();

  // A refusal beside the cell, in French, once hydrated; nothing is saved.
  await gotoHydrated(page, '/seller/prices?q=iphone-13-128gb');
  const grade = texts('fr')['grade.functional_good'];
  const input = page.getByLabel(fill(fr['grid.cell_label'], { variant: ROW, grade, currency: 'EUR' }), { exact: true });
  const before = await input.inputValue();
  await input.fill('0.50');
  await input.press('Tab');
  const cell = input.locator('xpath=ancestor::td[1]');
  await expect(cell.getByRole('status')).toHaveText(fill(fr['grid.not_saved'], { why: fill(fr['grid.price.too_low'], { currency: 'EUR' }) }), { timeout: 15_000 });
  await gotoHydrated(page, '/seller/prices?q=iphone-13-128gb');
  await expect(input).toHaveValue(before);

  // Back to English.
  await page.getByRole('list', { name: texts('fr')['footer.language'] }).getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: fill(en['grid.heading'], { market: 'France', currency: 'EUR' }) })).toBeVisible();
});
