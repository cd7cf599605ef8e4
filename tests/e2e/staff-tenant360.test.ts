import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

type Messages = Record<string, string>;
const german = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Messages;
/** The demo tenant (API.md): her record is reached from the tenants page. */
const tenantName = 'Erika Mustermann';
/** Where the page images go for a person to look at (nothing compares them automatically). */
const shots = join(tmpdir(), 'portier-screenshots');

/** Issue 15 item 5 in the browser: the tenant record and the read-only view as the tenant. */
describe('staff tenant 360° in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', viewport });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('opens a tenant record from the tenants page, then views as the tenant, read-only', async () => {
    const page = await signIn({ width: 1440, height: 900 });
    await page.goto(`${server.url}/staff/tenants`);
    await page.getByTestId('tenant-record-link').filter({ hasText: tenantName }).first().click();
    await page.waitForURL(/\/staff\/tenants\/[^/]+$/);

    await expect.poll(() => page.getByTestId('record-name').textContent()).toBe(tenantName);
    const contracts = page.getByTestId('record-contracts');
    expect(await contracts.textContent()).toContain(DEMO_CONTRACT_NUMBERS.tenant);
    expect(await contracts.textContent()).toContain('Musterstraße 1');
    const account = page.getByTestId('record-account');
    expect(await account.textContent()).toMatch(/€/);
    expect(await account.textContent()).toContain(german.tenant360_balance);
    expect(await page.getByTestId('record-household').textContent()).toContain(german.tenant360_access_read);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'tenant-record-1440.png'), fullPage: true });

    await page.getByTestId('record-view-as').click();
    await page.waitForURL(/\/staff\/tenants\/[^/]+\/view$/);
    const banner = page.getByTestId('view-as-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(tenantName);
    const view = page.getByTestId('tenant-view');
    expect(await view.textContent()).toContain(DEMO_CONTRACT_NUMBERS.tenant);
    // Read-only: the view offers nothing to press.
    expect(await view.locator('button, input, select, textarea, form').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'tenant-view-as-1440.png'), fullPage: true });
  });

  /** Wide tables scroll inside their own region; the page itself never scrolls sideways (WCAG 1.4.10). */
  const pageOverflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it('works on a phone', async () => {
    const page = await signIn({ width: 390, height: 844 });
    await page.goto(`${server.url}/staff/tenants`);
    const link = page.getByTestId('tenant-record-link').filter({ hasText: tenantName }).first();
    const href = await link.getAttribute('href');
    await page.goto(`${server.url}${href}`);
    await expect.poll(() => page.getByTestId('record-name').textContent()).toBe(tenantName);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'tenant-record-390.png'), fullPage: true });

    await page.goto(`${server.url}${href}/view`);
    await page.getByTestId('view-as-banner').waitFor();
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'tenant-view-as-390.png'), fullPage: true });
  });
});
