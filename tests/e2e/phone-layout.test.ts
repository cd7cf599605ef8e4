import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Issue 16 item 2: every tenant page fits a phone. At 360 px the rent account's text column was
 * 32 px wide (one letter per line), its balance column cut off, the household table likewise.
 * Every page is walked at 360 × 780 and fails on anything wider than the screen or text squeezed
 * into a column too narrow to read.
 */

const viewport = { width: 360, height: 780 };
/** Narrower than this, a column can no longer hold an ordinary word (about 60 px ≈ 6 characters). */
const readableWidth = 60;
/** Screenshots for a human look, one per page (not compared). */
const shotDir = process.env.PHONE_LAYOUT_SHOTS;

interface LayoutProblem {
  kind: 'page-scrolls-sideways' | 'beyond-right-edge' | 'region-scrolls-sideways' | 'squeezed-text';
  element: string;
  detail: string;
}

/**
 * Runs in the page: everything visible that overflows the screen or breaks words into slivers.
 * `tablesMayScroll`: a data table may scroll sideways inside its own region (`.table-scroll`) where
 * it stays within the screen (WCAG 1.4.10 exempts data tables from reflow); the staff console's
 * tables do, the tenant app's read as lists instead.
 */
function findLayoutProblems(args: { readableWidth: number; tablesMayScroll?: boolean }): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const width = window.innerWidth;
  const describe = (el: Element) => {
    const testid = el.closest('[data-testid]')?.getAttribute('data-testid');
    const cls =
      typeof el.className === 'string' && el.className
        ? `.${el.className.trim().split(/\s+/).join('.')}`
        : '';
    return `${el.tagName.toLowerCase()}${cls}${testid ? ` in [data-testid=${testid}]` : ''}`;
  };
  /** Screen-reader-only text is clipped to a pixel on purpose. */
  const hiddenOnPurpose = (el: Element): boolean => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0)
        return true;
      if (style.clip !== 'auto' && style.clip !== '' && style.position === 'absolute') return true;
      if (style.clipPath !== 'none' && style.position === 'absolute') return true;
    }
    return false;
  };

  const root = document.documentElement;
  if (root.scrollWidth > width) {
    problems.push({
      kind: 'page-scrolls-sideways',
      element: 'html',
      detail: `scrollWidth ${root.scrollWidth} > ${width}`,
    });
  }

  // Only the outermost offender: its contents overflow with it and would only repeat it.
  const beyond = new Set<Element>();
  const scrollsWithItsTable = (el: Element): boolean => {
    const region = args.tablesMayScroll ? el.closest('.table-scroll') : null;
    return !!region && region !== el && region.getBoundingClientRect().right <= width + 0.5;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;
    if (scrollsWithItsTable(el)) continue;
    // Inside the screen but cut off: a table region that has to be scrolled sideways to be read.
    const style = getComputedStyle(el);
    if (
      ['auto', 'scroll', 'hidden'].includes(style.overflowX) &&
      !['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) &&
      style.textOverflow !== 'ellipsis' &&
      el.scrollWidth > el.clientWidth + 1 &&
      !hiddenOnPurpose(el) &&
      !(args.tablesMayScroll && el.classList.contains('table-scroll'))
    ) {
      problems.push({
        kind: 'region-scrolls-sideways',
        element: describe(el),
        detail: `scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`,
      });
    }
    if (rect.right > width + 0.5 && !hiddenOnPurpose(el)) {
      beyond.add(el);
      if (el.parentElement && beyond.has(el.parentElement)) continue;
      problems.push({
        kind: 'beyond-right-edge',
        element: describe(el),
        detail: `right edge ${Math.round(rect.right)} > ${width} (width ${Math.round(rect.width)})`,
      });
    }
  }

  // A word broken over several lines in a narrow box is the "one letter per line" fault.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const parent = node.parentElement;
    if (!parent || !text.trim() || hiddenOnPurpose(parent)) continue;
    const box = parent.getBoundingClientRect();
    if (box.width <= 1 || scrollsWithItsTable(parent)) continue;
    for (const match of text.matchAll(/\S{4,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      const broken = lines.size > 1;
      if ((broken && box.width < args.readableWidth) || lines.size > 2) {
        problems.push({
          kind: 'squeezed-text',
          element: describe(parent),
          detail: `"${match[0]}" over ${lines.size} lines in a box ${Math.round(box.width)} px wide`,
        });
      }
    }
  }
  return problems;
}

describe('every tenant page fits a 360 px phone', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<'contract' | 'invoice' | 'request', string> = { contract: '', invoice: '', request: '' };

  async function firstHref(path: string, testid: string): Promise<string> {
    await page.goto(`${server.url}${path}`);
    const link = page.getByTestId(testid).first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    if (!href) throw new Error(`no link ${testid} on ${path}`);
    return href;
  }

  beforeAll(async () => {
    if (shotDir) mkdirSync(shotDir, { recursive: true });
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
    ids.request = await firstHref('/requests', 'request-link');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  const pages: Array<[string, () => string]> = [
    ['home', () => '/'],
    ['contracts', () => '/contracts'],
    ['a contract (rent account, household)', () => ids.contract],
    ['invoices', () => '/invoices'],
    ['an invoice', () => ids.invoice],
    ['documents', () => '/documents'],
    ['requests', () => '/requests'],
    ['a request', () => ids.request],
    ['new request', () => '/requests/new'],
    ['notices', () => '/notices'],
    ['contacts', () => '/contacts'],
    ['settings', () => '/settings'],
    ['change password', () => '/settings/password'],
    ['change e-mail', () => '/settings/email'],
    ['privacy', () => '/privacy'],
    ['terms', () => '/terms'],
  ];

  it.each(pages)('%s', async (name, path) => {
    await page.goto(`${server.url}${path()}`);
    await page.locator('main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    // Lists load after the heading; wait until no part of the page says it is still busy.
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    if (shotDir) {
      await page.screenshot({ path: `${shotDir}/${name.replace(/\W+/g, '-')}.png`, fullPage: true });
    }
    const problems = await page.evaluate(findLayoutProblems, { readableWidth });
    expect(problems).toEqual([]);
  });

  it('the rent account reads as entries, each in at most a few lines', async () => {
    await page.goto(`${server.url}${ids.contract}`);
    const ledger = page.getByTestId('ledger-table');
    await ledger.waitFor();
    const entries = ledger.getByTestId('ledger-entry');
    expect(await entries.count()).toBeGreaterThan(3);
    // Text and amount, then date and balance: two lines, three or four when the text wraps, where
    // the squeezed table took 10 to 20 lines an entry and the page 27,000 px.
    const lines = await entries.evaluateAll((rows) =>
      rows.map((row) => {
        const text = row.querySelector('td')!;
        return row.getBoundingClientRect().height / parseFloat(getComputedStyle(text).lineHeight);
      }),
    );
    expect(Math.max(...lines)).toBeLessThan(5.5);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(pageHeight).toBeLessThan(15_000);
  });
});

describe("the staff console's admin page fits a 360 px phone", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (shotDir) mkdirSync(shotDir, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'de-DE', viewport });
    page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.admin);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  // Issue 16: the SLA, on-call and staff tables made the page 680 px wide, 320 px more than the screen.
  it('admin', async () => {
    await page.goto(`${server.url}/staff/admin`);
    // Every section has loaded: the on-call rota comes with the teams, the contractors' form last.
    await page.locator('#admin-on-call').waitFor();
    await page.getByTestId('admin-contractors').locator('form').waitFor();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    if (shotDir) await page.screenshot({ path: `${shotDir}/staff-admin.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(viewport.width);
    const problems = await page.evaluate(findLayoutProblems, { readableWidth, tablesMayScroll: true });
    expect(problems).toEqual([]);
  });
});
