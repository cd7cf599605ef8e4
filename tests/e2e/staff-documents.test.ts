import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';

/**
 * Issue 15 item 9 in the browser: a document to one tenant is addressed by searching a contract
 * number in an accessible combobox (keyboard only), never by typing an internal id.
 */
describe('staff documents: the recipient search', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('picks a recipient by contract number with the keyboard and sends the document', async () => {
    await page.goto(`${server.url}/staff/documents`);
    await page.locator('#doc-place option').nth(1).waitFor({ state: 'attached' });
    await page.locator('#doc-title').fill('Hausordnung 2026');
    await page.locator('#doc-scope-kind').selectOption('contract');
    await page.locator('#doc-file').setInputFiles({
      name: 'Hausordnung.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(minimalPdf()),
    });

    const box = page.getByRole('combobox', { name: 'Recipient' });
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    // Without a choice the form names what is missing instead of sending.
    await page.locator('#doc-single-heading ~ button[type="submit"]').click();
    await page.getByText('Choose a recipient from the list.').waitFor();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);

    await box.pressSequentially(DEMO_CONTRACT_NUMBERS.tenant);
    const option = page.getByRole('option', { name: /Erika Mustermann/ });
    await option.waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);

    await box.press('ArrowDown');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(activeId).toBeTruthy();
    expect(await page.locator(`#${activeId}`).getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.inputValue()).toContain(DEMO_CONTRACT_NUMBERS.tenant);

    await page.locator('#doc-single-heading ~ button[type="submit"]').click();
    await page
      .getByRole('status')
      .getByText(/published/i)
      .waitFor();
    const row = page.locator('#doc-list-heading ~ *').getByText('Hausordnung 2026');
    await row.first().waitFor();
    await page.screenshot({ path: '/tmp/staff-documents-1440.png', fullPage: false });
  });

  it('Escape closes the list, and nobody outside the scope is offered', async () => {
    await page.goto(`${server.url}/staff/documents`);
    await page.locator('#doc-scope-kind').selectOption('person');
    const box = page.getByRole('combobox', { name: 'Recipient' });
    const options = page.getByRole('listbox', { name: 'Recipient', includeHidden: true }).getByRole('option');
    await box.pressSequentially('Mustermann');
    await options.first().waitFor();
    await box.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await box.fill('');
    await box.pressSequentially('zzzz-nobody');
    await page.getByText('No one found in your buildings.').waitFor({ state: 'attached' });
    expect(await options.count()).toBe(0);
  });
});
