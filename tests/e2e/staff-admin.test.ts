import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/** Issue 5 items 7 and 8 in the browser: registration letters and branding, without axe violations. */
describe('staff onboarding and admin in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let admin: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    admin = await context.newPage();
    await admin.goto(`${server.url}/staff/login`);
    await admin.getByTestId('login-login').fill(DEMO_LOGINS.admin);
    await admin.getByTestId('login-password').fill(DEMO_PASSWORD);
    await admin.getByTestId('login-submit').click();
    await admin.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('prints registration letters for selected tenants as a PDF', async () => {
    await admin.goto(`${server.url}/staff/tenants`);
    const checkbox = admin.locator('tbody input[type="checkbox"]').first();
    await checkbox.waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await checkbox.check();
    const [response] = await Promise.all([
      admin.waitForResponse((res) => res.url().endsWith('/api/staff/registration-letters')),
      admin.locator('.actions button').first().click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    // The page reads the body as a blob; the size shows a document came back.
    expect(Number(response.headers()['content-length'])).toBeGreaterThan(1000);
    await admin.getByTestId('letters-ready').waitFor();
  });

  it('changes the branding name', async () => {
    await admin.goto(`${server.url}/staff/admin`);
    const name = admin.locator('#branding-name');
    await name.waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await name.fill('Wohnbau Nord eG');
    await admin.locator('form.branding button[type="submit"]').click();
    await admin.getByTestId('admin-saved').waitFor();
    const stored = await admin.evaluate(async () => {
      const res = await fetch('/api/staff/admin/branding');
      return ((await res.json()) as { branding: { name: string } }).branding.name;
    });
    expect(stored).toBe('Wohnbau Nord eG');

    // The tenant app (no session needed for the header) shows the new name after a reload.
    const visitor = await admin.context().browser()!.newPage();
    try {
      await visitor.goto(`${server.url}/login`);
      await visitor.locator('a.brand').filter({ hasText: 'Wohnbau Nord eG' }).waitFor();
      expect(await visitor.title()).toContain('Wohnbau Nord eG');
    } finally {
      await visitor.close();
    }
  });

  it('changes the closing time of the business hours; it is there after a reload', async () => {
    await admin.goto(`${server.url}/staff/admin`);
    const end = admin.locator('#hours-end');
    await end.waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await end.fill('16:30');
    await admin.getByRole('button', { name: 'Save business hours' }).click();
    await admin.getByTestId('hours-status').filter({ hasText: 'Business hours saved.' }).waitFor();
    await admin.reload();
    await admin.locator('#hours-end').waitFor();
    expect(await admin.locator('#hours-end').inputValue()).toBe('16:30');
  });

  it('styles every button of the admin page as a console button (no bare browser buttons)', async () => {
    await admin.setViewportSize({ width: 1440, height: 900 });
    await admin.goto(`${server.url}/staff/admin`);
    await admin.locator('#hours-end').waitFor();
    await admin.locator('#admin-teams ~ article').first().waitFor();
    const bare = await admin
      .locator('main button:not(.button)')
      .evaluateAll((buttons) => buttons.map((button) => button.outerHTML.slice(0, 120)));
    expect(bare).toEqual([]);
    // A bare button has the browser's grey face; a console button has the primary colour or a border.
    const faces = await admin
      .locator('main button.button')
      .evaluateAll((buttons) => buttons.map((button) => getComputedStyle(button).borderTopLeftRadius));
    expect(faces.length).toBeGreaterThan(10);
    expect(faces.every((radius) => radius !== '0px')).toBe(true);
    await admin.screenshot({ path: '/tmp/staff-admin-1440.png', fullPage: true });
  });

  it('lists the sections beside them: a link names the section in the URL, Back returns, a link opens it', async () => {
    await admin.setViewportSize({ width: 1440, height: 900 });
    await admin.goto(`${server.url}/staff/admin`);
    await admin.locator('#admin-teams ~ article').first().waitFor();
    const sections = admin.getByRole('navigation', { name: 'Admin sections' });
    const teams = sections.getByRole('link', { name: 'Teams' });
    await teams.focus();
    await admin.keyboard.press('Enter');
    await admin.waitForURL(/#admin-teams$/);
    await expect.poll(() => teams.getAttribute('aria-current')).toBe('location');
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('admin-teams');
    // The list stays in view while the sections scroll.
    expect(await sections.isVisible()).toBe(true);
    expect((await sections.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    expect(await axeViolations(admin)).toEqual([]);

    await admin.goBack();
    await admin.waitForURL((url) => url.hash === '');

    await admin.goto(`${server.url}/staff/admin#admin-replies`);
    await admin.locator('#admin-teams ~ article').first().waitFor();
    await expect
      .poll(() => sections.getByRole('link', { name: 'Canned replies' }).getAttribute('aria-current'))
      .toBe('location');
    expect(await admin.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  });
});
