import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

type Messages = Record<string, string>;
const load = (locale: string) =>
  JSON.parse(readFileSync(`shared/i18n/messages/${locale}.json`, 'utf8')) as Messages;
/** A message the test names must exist: a typo fails loudly instead of matching `undefined`. */
const lookup = (all: Messages, locale: string) => (key: string) => {
  const text = all[key];
  if (text === undefined) throw new Error(`no message ${locale}.${key}`);
  return text;
};
const de = lookup(load('de'), 'de');
const en = lookup(load('en'), 'en');

/** Issue 3 in the browser: contracts, invoices with QR and PDF, documents, language switch, axe. */
describe('self-service pages in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the one-glance summary on the start page', async () => {
    await page.getByTestId('home-summary').waitFor();
    expect(await page.getByTestId('home-summary').getByRole('link').count()).toBeGreaterThanOrEqual(4);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lists the contract and opens it with rent components, masked IBAN and rent account', async () => {
    await page.goto(`${server.url}/contracts`);
    await page.getByTestId('contract-link').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('contract-link').first().click();
    const rent = page.getByTestId('rent-components');
    await rent.waitFor();
    const rentText = (await rent.textContent()) ?? '';
    expect(rentText).toContain(de('rent_component_net_rent'));
    expect(rentText).toContain('Zuschlag Einbauküche'); // the landlord's own label wins
    expect((await page.getByTestId('rent-components-total').textContent())?.trim()).toBe('835,50\u00a0€');

    // The direct-debit mandate shows the account as short mask, as the invoices do (issue 16).
    const iban = (await page.getByTestId('contract-iban').textContent()) ?? '';
    expect(iban).toContain('DE•• ••••');
    expect(iban).toContain('2740'); // the last four digits, as the bank shows them
    expect(iban).not.toMatch(/DE\d{2}\s?\d{4}/); // never the full number

    // Seed 000: balance with a word, not colour alone; the ledger as a table with balance after each entry.
    expect(await page.getByTestId('contract-balance').textContent()).toContain(de('balance_arrears'));
    await page.getByTestId('ledger-table').waitFor();
    expect(await page.getByTestId('ledger-table').locator('tbody tr').count()).toBeGreaterThan(3);
    await page.getByTestId('household').waitFor();
    expect(await page.getByTestId('household-access').count()).toBe(1); // the main tenant manages Jonas
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows unpaid invoices by default, all on request, and an invoice with QR code and PDF', async () => {
    await page.goto(`${server.url}/invoices`);
    const items = page.getByTestId('invoice-item');
    await items.first().waitFor();
    const unpaidOnly = page.getByTestId('invoices-unpaid-only');
    expect(await unpaidOnly.isChecked()).toBe(true);
    expect(await items.count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    await unpaidOnly.uncheck({ force: true }); // drawn as a switch over the native checkbox
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="invoice-item"]').length > 2);
    expect(await items.count()).toBe(24);
    await unpaidOnly.check({ force: true });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="invoice-item"]').length === 2);

    // The newest invoice will be (or was) debited: no QR code, no transfer text (issue 16).
    await page.getByTestId('invoice-link').first().click();
    const payment = page.getByTestId('invoice-payment');
    await payment.waitFor();
    expect(await payment.getAttribute('data-kind')).toBe('direct_debit');
    expect(await page.getByTestId('invoice-qr').count()).toBe(0);
    expect(await page.getByTestId('invoice-debit-account').textContent()).toContain('DE•• •••• 2740');
    expect(await axeViolations(page)).toEqual([]);

    // The older one's debit came back: what happened, then a transfer with QR code and copy buttons.
    await page.goto(`${server.url}/invoices`);
    await page.getByTestId('invoice-link').nth(1).click();
    await page.getByTestId('invoice-returned-what').waitFor();
    expect(await page.getByTestId('invoice-copy-iban').isVisible()).toBe(true);
    const qr = page.getByTestId('invoice-qr');
    await qr.waitFor({ state: 'visible' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.getAttribute('alt')).toBeTruthy();
    expect(await page.getByText(de('invoice_qr_caption')).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // The PDF link, fetched with the page's session: a real PDF with the QR embedded as an image.
    const pdfLink = page.getByTestId('invoice-pdf');
    expect(await pdfLink.getAttribute('target')).toBeNull(); // same tab
    const href = (await pdfLink.getAttribute('href')) ?? '';
    const pdf = await page.request.get(new URL(href, server.url).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('/Subtype /Image');
  });

  it('lists documents newest first with unread markers and opens one', async () => {
    await page.goto(`${server.url}/documents`);
    const items = page.getByTestId('document-item');
    await items.first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const newBefore = await page.getByTestId('document-new').count();
    expect(newBefore).toBeGreaterThan(0);

    // Filter chips are toggle buttons.
    const chips = page.getByTestId('document-filter');
    expect(await chips.first().getAttribute('aria-pressed')).toBe('true');
    await chips.nth(1).click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="document-filter"]')[1]?.getAttribute('aria-pressed') ===
        'true',
    );
    await chips.first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="document-item"]').length > 1);

    const first = items.first();
    const link = first.getByTestId('document-link');
    const href = (await link.getAttribute('href')) ?? '';
    const file = await page.request.get(new URL(href, server.url).href);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Opening it from the list: the browser loads the PDF and the list no longer marks it new.
    const response = page.waitForResponse((answer) => answer.url().endsWith(href));
    await link.click({ modifiers: [] }).catch(() => undefined); // a PDF may become a download in headless mode
    expect((await response).headers()['content-type']).toBe('application/pdf');
    await page.goto(`${server.url}/documents`);
    await items.first().waitFor();
    expect(await page.getByTestId('document-new').count()).toBe(newBefore - 1);
  });

  it('shows contact data, notification channels and devices in the settings', async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('profile-form').waitFor();
    await page.getByTestId('notification-form').waitFor();
    const push = page.getByTestId('notification-documents-push');
    const before = await push.isChecked();
    await push.setChecked(!before);
    await page.getByTestId('notification-form').getByRole('button').click();
    await page.getByText(de('notifications_saved')).waitFor();
    await page.reload();
    await page.getByTestId('notification-form').waitFor();
    expect(await page.getByTestId('notification-documents-push').isChecked()).toBe(!before);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the contact persons with phone and mail links', async () => {
    await page.goto(`${server.url}/contacts`);
    await page.locator('a[href^="tel:"]').first().waitFor();
    expect(await page.locator('a[href^="mailto:"]').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('switches to English', async () => {
    await page.goto(`${server.url}/invoices`);
    await page.getByRole('heading', { level: 1, name: de('nav_invoices') }).waitFor();
    await page.getByTestId('language-picker').selectOption('en');
    await page.getByRole('heading', { level: 1, name: en('nav_invoices') }).waitFor();
    await page.getByText(en('invoices_unpaid_only')).waitFor();
    expect((await page.getByTestId('invoice-item').first().textContent()) ?? '').toContain('€835.50');
  });

  it('gives a household member with read access no household controls', async () => {
    const member = await browser.newContext({ locale: 'de-DE' });
    const memberPage = await member.newPage();
    await memberPage.goto(`${server.url}/login`);
    await memberPage.getByTestId('login-login').fill(DEMO_LOGINS.householdMember);
    await memberPage.getByTestId('login-password').fill(DEMO_PASSWORD);
    await memberPage.getByTestId('login-submit').click();
    await memberPage.getByTestId('home-greeting').waitFor();
    await memberPage.goto(`${server.url}/contracts`);
    await memberPage.getByTestId('contract-link').first().click();
    await memberPage.getByTestId('household').getByRole('table').waitFor();
    expect(await memberPage.getByTestId('household-access').count()).toBe(0);
    expect(await memberPage.getByTestId('household').locator('form').count()).toBe(0);
    await member.close();
  });

  it('offers a read-only member no request form and no reply box, and says why once (360 px)', async () => {
    const member = await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 780 } });
    const memberPage = await member.newPage();
    try {
      await memberPage.goto(`${server.url}/login`);
      await memberPage.getByTestId('login-login').fill(DEMO_LOGINS.householdMember);
      await memberPage.getByTestId('login-password').fill(DEMO_PASSWORD);
      await memberPage.getByTestId('login-submit').click();
      await memberPage.getByTestId('home-greeting').waitFor();

      await memberPage.goto(`${server.url}/requests`);
      await memberPage.getByTestId('request-link').first().waitFor();
      expect(await memberPage.getByTestId('request-new').count()).toBe(0);
      expect(await memberPage.getByTestId('request-read-only').textContent()).toBe(de('req_read_only'));
      expect(await axeViolations(memberPage)).toEqual([]);
      if (process.env.SCREENSHOT_DIR)
        await memberPage.screenshot({ path: `${process.env.SCREENSHOT_DIR}/requests-read-only-360.png` });

      await memberPage.getByTestId('request-link').first().click();
      await memberPage.getByTestId('request-read-only').waitFor();
      expect(await memberPage.getByTestId('request-read-only').textContent()).toBe(de('req_reply_read_only'));
      expect(await memberPage.locator('textarea').count()).toBe(0);
      expect(await axeViolations(memberPage)).toEqual([]);
      if (process.env.SCREENSHOT_DIR)
        await memberPage.screenshot({
          path: `${process.env.SCREENSHOT_DIR}/request-read-only-360.png`,
          fullPage: true,
        });
    } finally {
      await member.close();
    }
  });
});
