import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

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
    // Publishing notifies the house: first the question how many people get mail, push and SMS.
    const confirm = staff.getByTestId('notice-reach');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(
      /People with an account here: [1-9]\d*\. They get \d+ e-mails/,
    );
    expect(await axeViolations(staff)).toEqual([]);
    await staff.getByTestId('notice-reach-confirm').click();
    await staff.getByTestId('staff-notice-list').getByText('Aufzugswartung am Freitag').waitFor();

    await tenant.getByText('Aufzugswartung am Freitag').waitFor({ timeout: 15_000 });
    expect(tenant.url()).toMatch(/\/notices$/);
    expect(await axeViolations(staff)).toEqual([]);
  });

  it('publishes an incident only after showing whom it reaches; cancelling sends nothing', async () => {
    const staff = await signIn('/staff/login', DEMO_LOGINS.staff, /\/staff\/inbox/);
    await staff.goto(`${server.url}/staff/incidents`);
    const place = staff.locator('#incident-place option', { hasText: 'Musterstraße 1,' }).first();
    await place.waitFor({ state: 'attached' });
    await staff.locator('#incident-title').fill('Rohrbruch im Keller');
    await staff.locator('#incident-body').fill('Das Wasser ist bis 14 Uhr abgestellt.');
    await staff.locator('input[name="incident-kind"][value="emergency"]').check();
    await staff.locator('#incident-place').selectOption((await place.getAttribute('value')) ?? '');
    const publish = staff.locator('form.create button[type="submit"]');

    await publish.click();
    const dialog = staff.getByTestId('incident-reach');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/People with an account here: [1-9]\d*\./);
    expect(await dialog.textContent()).toContain('whatever they chose');
    await staff.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that asked, and nothing was published.
    expect(await publish.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await staff.getByText('Rohrbruch im Keller').count()).toBe(0);

    await publish.click();
    await dialog.waitFor();
    await staff.getByTestId('incident-reach-confirm').click();
    await staff.getByRole('heading', { name: 'Rohrbruch im Keller' }).waitFor();
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
