import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/** Where the screenshots land; set SCREENSHOT_DIR to keep them for a look. */
const shots = process.env.SCREENSHOT_DIR;
const VIEWPORTS = [
  { name: 'phone', width: 360, height: 780 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

/** Issue 16 "payment truth" in the browser: each invoice says what the tenant has to do, nothing more. */
describe('invoice payment in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    if (shots) mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(login: string, locale: string, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ locale, viewport });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(login);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    return { context, page };
  }

  /** Nothing wider than the screen: the copy buttons and the IBAN wrap instead of scrolling sideways. */
  async function expectNoSidewaysScroll(page: Page) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  }

  async function shoot(page: Page, name: string) {
    if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }

  async function openInvoice(page: Page, index: number) {
    await page.goto(`${server.url}/invoices`);
    await page.getByTestId('invoice-item').first().waitFor();
    await page.getByTestId('invoice-link').nth(index).click();
    await page.getByTestId('invoice-payment-text').waitFor();
  }

  for (const viewport of VIEWPORTS) {
    it(`direct debit, returned debit, paid and the mandate for Erika (de, ${viewport.name})`, async () => {
      const { context, page } = await signIn(DEMO_LOGINS.tenant, 'de-DE', viewport);
      try {
        await page.goto(`${server.url}/invoices`);
        await page.getByTestId('invoice-item').first().waitFor();
        const lines = await page.getByTestId('invoice-payment-line').allTextContents();
        expect(lines[0]).toMatch(/abgebucht/);
        expect(lines[1]).toMatch(/zurückgegeben/);
        await shoot(page, `invoices-de-${viewport.name}`);

        await openInvoice(page, 0);
        expect(await page.getByTestId('invoice-payment').getAttribute('data-kind')).toBe('direct_debit');
        expect(await page.getByTestId('invoice-payment-text').textContent()).toMatch(/von DE•• •••• 2740/);
        // Nothing to transfer: no landlord account either.
        expect(await page.getByTestId('invoice-transfer').count()).toBe(0);
        expect(await page.getByTestId('invoice-qr').count()).toBe(0);
        expect(await page.getByText(/überweisen/).count()).toBe(0);
        await expectNoSidewaysScroll(page);
        expect(await axeViolations(page)).toEqual([]);
        await shoot(page, `invoice-debit-de-${viewport.name}`);

        await openInvoice(page, 1);
        await page.getByTestId('invoice-returned-what').waitFor();
        await page.getByTestId('invoice-qr').waitFor();
        expect(await page.getByTestId('invoice-iban').textContent()).toBe('DE02 1203 0000 0000 2020 51');
        await expectNoSidewaysScroll(page);
        expect(await axeViolations(page)).toEqual([]);
        await shoot(page, `invoice-returned-de-${viewport.name}`);

        await page.goto(`${server.url}/invoices`);
        await page.getByTestId('invoices-unpaid-only').uncheck({ force: true });
        await page.waitForFunction(
          () => document.querySelectorAll('[data-testid="invoice-item"]').length > 2,
        );
        await page.getByTestId('invoice-link').nth(2).click();
        const paid = page.getByTestId('invoice-payment');
        await paid.waitFor();
        expect(await paid.getAttribute('data-kind')).toBe('paid');
        expect(await page.getByTestId('invoice-qr').count()).toBe(0);
        expect(await page.getByTestId('invoice-transfer').count()).toBe(0);
        await shoot(page, `invoice-paid-de-${viewport.name}`);

        await page.getByRole('link', { name: DEMO_CONTRACT_NUMBERS.tenant }).click();
        await page.getByTestId('contract-mandate').waitFor();
        expect(await page.getByTestId('contract-iban').textContent()).toContain('DE•• •••• 2740');
        expect(await page.getByTestId('contract-mandate-reference').textContent()).toBe(
          `M-${DEMO_CONTRACT_NUMBERS.tenant}-01`,
        );
        expect(await axeViolations(page)).toEqual([]);
        await page.getByTestId('contract-mandate').scrollIntoViewIfNeeded();
        if (shots)
          await page
            .locator('section', { has: page.getByTestId('contract-mandate') })
            .screenshot({ path: join(shots, `contract-mandate-de-${viewport.name}.png`) });
      } finally {
        await context.close();
      }
    });

    it(`standing order: amount, due date and "check it", no QR code (de, ${viewport.name})`, async () => {
      // Max pays by standing order; open his newest invoice as it looks before its due date.
      const db = new Database(join(server.dataDir, 'portier.sqlite'));
      db.prepare(
        `UPDATE invoices SET paid_at = NULL, paid_amount = NULL, due_on = date('now', '+10 days') WHERE id = (
           SELECT i.id FROM invoices i JOIN contracts c ON c.id = i.contract_id
           WHERE c.number = ? ORDER BY i.period_start DESC LIMIT 1)`,
      ).run(DEMO_CONTRACT_NUMBERS.neighbour);
      db.close();
      const { context, page } = await signIn(DEMO_LOGINS.neighbour, 'de-DE', viewport);
      try {
        await openInvoice(page, 0);
        expect(await page.getByTestId('invoice-payment').getAttribute('data-kind')).toBe('standing_order');
        expect(await page.getByTestId('invoice-payment-text').textContent()).toMatch(/Dauerauftrag zahlt/);
        await page.getByTestId('invoice-standing-order-check').waitFor();
        expect(await page.getByTestId('invoice-iban').textContent()).toBe('DE02 1203 0000 0000 2020 51');
        expect(await page.getByTestId('invoice-qr').count()).toBe(0);
        expect(await page.getByText(/Bitte überweisen/).count()).toBe(0);
        expect(await page.getByTestId('invoice-status').textContent()).toContain('Dauerauftrag');
        await expectNoSidewaysScroll(page);
        expect(await axeViolations(page)).toEqual([]);
        await shoot(page, `invoice-standing-order-de-${viewport.name}`);
      } finally {
        await context.close();
      }
    });

    it(`SEK: bankgiro, OCR and copy buttons for an open avi, none once paid (sv, ${viewport.name})`, async () => {
      // The demo lease is paid up; open its newest avi, as a tenant who has not paid yet sees it.
      const db = new Database(join(server.dataDir, 'portier.sqlite'));
      db.prepare(
        `UPDATE invoices SET paid_at = NULL, paid_amount = NULL WHERE id = (
           SELECT i.id FROM invoices i JOIN contracts c ON c.id = i.contract_id
           WHERE c.number = ? ORDER BY i.period_start DESC LIMIT 1)`,
      ).run(DEMO_CONTRACT_NUMBERS.malmoCommercial);
      db.close();
      const { context, page } = await signIn(DEMO_LOGINS.butik, 'sv-SE', viewport);
      try {
        await openInvoice(page, 0);
        expect(await page.getByTestId('invoice-payment').getAttribute('data-kind')).toBe('transfer');
        expect(await page.getByTestId('invoice-bankgiro').textContent()).toBe('5050-1055');
        await page.getByTestId('invoice-ocr-line').waitFor();
        await page.getByTestId('invoice-qr').waitFor();
        expect(await page.getByTestId('invoice-copy-reference').textContent()).toContain('Kopiera');
        await expectNoSidewaysScroll(page);
        expect(await axeViolations(page)).toEqual([]);
        await shoot(page, `invoice-transfer-sv-${viewport.name}`);

        await page.goto(`${server.url}/invoices`);
        await page.getByTestId('invoices-unpaid-only').uncheck({ force: true });
        await page.waitForFunction(
          () => document.querySelectorAll('[data-testid="invoice-item"]').length > 1,
        );
        await page.getByTestId('invoice-link').nth(1).click();
        const paid = page.getByTestId('invoice-payment');
        await paid.waitFor();
        expect(await paid.getAttribute('data-kind')).toBe('paid');
        expect(await page.getByTestId('invoice-ocr-line').count()).toBe(0);
        await shoot(page, `invoice-paid-sv-${viewport.name}`);
      } finally {
        await context.close();
      }
    });
  }
});
