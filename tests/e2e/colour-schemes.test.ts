import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Dark mode follows the system (DESIGN.md): every tenant page here passes axe, colour contrast
 * included (WCAG 1.4.3), in the light and in the dark scheme, and the focus ring keeps 3:1 against
 * the page and the cards in both (WCAG 1.4.11, 2.4.7). The staff console shares the tokens.
 */

const de = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Record<string, string>;

type Scheme = 'light' | 'dark';
const SCHEMES: Scheme[] = ['light', 'dark'];
const viewport = { width: 360, height: 780 };

/** Runs in the page: the focused element's outline against the page background and a card's. */
function focusRingContrast(): { outline: string; ratios: number[] } {
  const parse = (colour: string) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const luminance = (colour: string) => {
    const [r, g, b] = parse(colour).map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const ratio = (a: string, b: string) => {
    const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (high! + 0.05) / (low! + 0.05);
  };
  const focused = document.activeElement as HTMLElement;
  const style = getComputedStyle(focused);
  const outline = style.outlineStyle === 'none' ? 'none' : style.outlineColor;
  const backgrounds = [getComputedStyle(document.documentElement).backgroundColor];
  const card = document.querySelector('.card');
  if (card) backgrounds.push(getComputedStyle(card).backgroundColor);
  return { outline, ratios: backgrounds.map((background) => ratio(outline, background)) };
}

async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

describe('tenant pages in the light and the dark colour scheme', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<'contract' | 'invoice', string> = { contract: '', invoice: '' };

  async function firstHref(path: string, testid: string): Promise<string> {
    await page.goto(`${server.url}${path}`);
    const link = page.getByTestId(testid).first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    if (!href) throw new Error(`no link ${testid} on ${path}`);
    return href;
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'de-DE', viewport });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    ids.contract = await firstHref('/contracts', 'contract-link');
    ids.invoice = await firstHref('/invoices', 'invoice-link');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  const pages: Array<[string, () => string]> = [
    ['home', () => '/'],
    ['contracts', () => '/contracts'],
    ['a contract', () => ids.contract],
    ['invoices', () => '/invoices'],
    ['an invoice', () => ids.invoice],
    ['documents', () => '/documents'],
    ['notices', () => '/notices'],
    ['settings', () => '/settings'],
  ];

  for (const scheme of SCHEMES) {
    it.each(pages)(`%s (${scheme})`, async (_name, path) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}${path()}`);
      await settle(page);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe(
        'light dark',
      );
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
        scheme === 'dark',
      );
      expect(await axeViolations(page)).toEqual([]);
    });

    it(`the focus ring stands out from page and cards (${scheme})`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}${ids.invoice}`);
      await settle(page);
      await page.locator('main h1').first().focus();
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(focusRingContrast);
      expect(ring.outline).not.toBe('none');
      for (const ratio of ring.ratios) expect(ratio).toBeGreaterThanOrEqual(3);
    });
  }

  it('the dark scheme is dark and lightens the brand colour', async () => {
    const colours = async (scheme: Scheme) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${server.url}/invoices`);
      await settle(page);
      return page.evaluate(() => ({
        background: getComputedStyle(document.documentElement).backgroundColor,
        link: getComputedStyle(document.querySelector('main a')!).color,
      }));
    };
    const light = await colours('light');
    const dark = await colours('dark');
    const brightness = (colour: string) =>
      (colour.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0);
    expect(brightness(dark.background)).toBeLessThan(brightness(light.background) / 4);
    expect(brightness(dark.link)).toBeGreaterThan(brightness(light.link));
  });
});

describe('the staff inbox in the dark colour scheme', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('passes axe, colour contrast included', async () => {
    const context = await browser.newContext({
      locale: 'de-DE',
      viewport: { width: 1440, height: 900 },
      colorScheme: 'dark',
    });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/staff/login`);
      await page.getByTestId('login-login').fill(DEMO_LOGINS.staff);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/staff\/inbox/);
      await page.getByRole('button', { name: new RegExp(de.staff_view_all!) }).click();
      await page.getByTestId('inbox-ticket').first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
