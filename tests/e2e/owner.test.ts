import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from './helpers/a11y.ts';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Seed 003 in the browser, on a 360 px phone: an owner who rents nothing (Olaf) gets "Mein
 * Eigentum" instead of empty contracts and invoices; a tenant who also owns (Max) gets both; a
 * tenant who owns nothing (Erika) gets no owner entry. Screenshots go to OWNER_SHOTS when set.
 */
const viewport = { width: 360, height: 780 };
const shotDir = process.env.OWNER_SHOTS;

async function signIn(page: Page, url: string, login: string) {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-login').fill(login);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-greeting').waitFor();
}

const navHrefs = (page: Page) =>
  page.locator('#main-nav-list a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));

/** Waits until lists are in, then checks the page fits the phone and axe finds nothing. */
async function settledAndChecked(page: Page, shot: string) {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  if (shotDir) await page.screenshot({ path: `${shotDir}/${shot}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  expect(await axeViolations(page)).toEqual([]);
}

describe('owners in the browser (360 px)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (shotDir) mkdirSync(shotDir, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function phone(login: string) {
    const context = await browser.newContext({ locale: 'de-DE', viewport });
    const page = await context.newPage();
    await signIn(page, server.url, login);
    return { context, page };
  }

  it('an owner who rents nothing sees his property, Hausgeld account and WEG documents', async () => {
    const { context, page } = await phone(DEMO_LOGINS.owner);
    try {
      await page.getByTestId('home-property').waitFor();
      const hrefs = await navHrefs(page);
      expect(hrefs).toContain('/property');
      expect(hrefs).not.toContain('/contracts');
      expect(hrefs).not.toContain('/invoices');
      await settledAndChecked(page, 'owner-home');

      await page.goto(`${server.url}/property`);
      await expect.poll(() => page.getByTestId('ownership-card').count()).toBe(2);
      const documents = page.getByTestId('owner-document');
      await documents.first().waitFor();
      const text = await page.getByTestId('owner-document-list').innerText();
      expect(text).toContain('Wirtschaftsplan');
      expect(text).toContain('Einladung zur Eigentümerversammlung');
      expect(text).toContain('Protokoll');
      await settledAndChecked(page, 'owner-property');

      await page.getByTestId('ownership-account-link').first().click();
      await page.getByTestId('owner-account-heading').filter({ hasText: '5.01' }).waitFor();
      const entries = page.getByTestId('ledger-table').getByTestId('ledger-entry');
      await entries.first().waitFor();
      expect(await entries.count()).toBeGreaterThanOrEqual(24);
      await settledAndChecked(page, 'owner-account');
    } finally {
      await context.close();
    }
  });

  it('a tenant who also owns keeps contracts and invoices and sees only his own statement', async () => {
    const { context, page } = await phone(DEMO_LOGINS.neighbour);
    try {
      await expect.poll(() => navHrefs(page)).toContain('/property');
      const hrefs = await navHrefs(page);
      expect(hrefs).toEqual(expect.arrayContaining(['/contracts', '/invoices', '/property']));
      await page.goto(`${server.url}/property`);
      await page.getByTestId('owner-document').first().waitFor();
      expect(await page.getByTestId('ownership-card').count()).toBe(1);
      // His Hausgeldabrechnung is his alone; Olaf's (two flats) is not in his list.
      expect(await page.getByTestId('owner-document-personal').count()).toBe(1);
      const text = await page.getByTestId('owner-document-list').innerText();
      expect(text).toContain('Wohnung 5.08');
      expect(text).not.toContain('5.01');
      await settledAndChecked(page, 'owner-and-tenant-property');
    } finally {
      await context.close();
    }
  });

  it("a tenant who owns nothing gets no owner entry, and someone else's account is not found", async () => {
    const owner = await phone(DEMO_LOGINS.owner);
    await owner.page.goto(`${server.url}/property`);
    const href = await owner.page.getByTestId('ownership-account-link').first().getAttribute('href');
    await owner.context.close();

    const { context, page } = await phone(DEMO_LOGINS.tenant);
    try {
      await page.waitForLoadState('networkidle');
      expect(await navHrefs(page)).not.toContain('/property');
      expect(await page.getByTestId('home-property').count()).toBe(0);
      await page.goto(`${server.url}${href}`);
      await page.getByRole('alert').waitFor();
      expect(await page.getByTestId('ledger-table').count()).toBe(0);
      await settledAndChecked(page, 'foreign-ownership');
    } finally {
      await context.close();
    }
  });
});
