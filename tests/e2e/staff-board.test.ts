import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../db/seed/demo-constants.ts';

/** Issue 5 items 4–6 in the browser: staff publishes a notice, the tenant's open board shows it live. */
describe('staff notice board, incidents and documents in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signIn(loginPath: string, login: string, landed: RegExp): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}${loginPath}`);
    await page.getByTestId('login-login').fill(login);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(landed);
    return page;
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('publishes a notice in the console; the tenant board shows it without reload', async () => {
    const tenant = await signIn('/login', DEMO_LOGINS.tenant, /\/($|home)/);
    await tenant.goto(`${server.url}/notices`);
    await tenant.getByRole('heading', { level: 1 }).waitFor();

    const staff = await signIn('/staff/login', DEMO_LOGINS.staff, /\/staff\/inbox/);
    await staff.goto(`${server.url}/staff/notices`);
    await staff
      .locator('#notice-place option', { hasText: 'Musterstraße 1,' })
      .waitFor({ state: 'attached' });
    await staff.locator('#notice-title').fill('Aufzugswartung am Freitag');
    await staff.locator('#notice-body').fill('Der Aufzug ist von 9 bis 11 Uhr außer Betrieb.');
    const option = await staff
      .locator('#notice-place option', { hasText: 'Musterstraße 1,' })
      .first()
      .getAttribute('value');
    await staff.locator('#notice-place').selectOption(option ?? '');
    await staff.locator('form.notice-form button[type="submit"]').click();
    await staff.getByTestId('staff-notice-list').getByText('Aufzugswartung am Freitag').waitFor();

    await tenant.getByText('Aufzugswartung am Freitag').waitFor({ timeout: 15_000 });
    expect(tenant.url()).toMatch(/\/notices$/);
    expect(await axeViolations(staff)).toEqual([]);
  });

  it('has no axe violations on the incidents and documents pages', async () => {
    const staff = await signIn('/staff/login', DEMO_LOGINS.staff, /\/staff\/inbox/);
    await staff.goto(`${server.url}/staff/incidents`);
    await staff.locator('#incident-place option').nth(1).waitFor({ state: 'attached' });
    expect(await axeViolations(staff)).toEqual([]);
    await staff.goto(`${server.url}/staff/documents`);
    await staff.locator('#doc-place option').nth(1).waitFor({ state: 'attached' });
    expect(await axeViolations(staff)).toEqual([]);
  });
});
