import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_INCIDENT_TITLE, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Deleting a notice and closing an incident ask in the console's own dialog, never the browser's
 * `window.confirm`: Escape cancels and returns focus to the asking button; after the change the
 * focus lands on the list heading when the button is gone.
 */
describe('console confirmations', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const nativeDialogs: string[] = [];

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      nativeDialogs.push(dialog.message());
      void dialog.dismiss();
    });
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

  const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

  it('deletes a notice only after the console dialog confirms it', async () => {
    await page.goto(`${server.url}/staff/notices`);
    const list = page.getByTestId('staff-notice-list');
    const item = list.locator('li', { hasText: 'Hoffest im Musterquartier' });
    const remove = item.getByRole('button', { name: 'Delete' });
    await remove.waitFor();

    await remove.click();
    const dialog = page.getByTestId('notice-delete');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Hoffest im Musterquartier');
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await remove.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await item.count()).toBe(1);

    await remove.click();
    await page.getByTestId('notice-delete-confirm').click();
    await item.waitFor({ state: 'detached' });
    await dialog.waitFor({ state: 'hidden' });
    // The asking button went with its notice: focus is on the list's heading.
    expect(await focusedText()).toBe('Notices in your buildings');
    expect(nativeDialogs).toEqual([]);
  });

  it('closes an incident only after the console dialog confirms it', async () => {
    await page.goto(`${server.url}/staff/incidents`);
    const card = page.locator('article', {
      has: page.getByRole('heading', { name: DEMO_INCIDENT_TITLE }),
    });
    const close = card.getByRole('button', { name: 'Close incident' });
    await close.waitFor();

    await close.click();
    const dialog = page.getByTestId('incident-close');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(DEMO_INCIDENT_TITLE);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await close.evaluate((el) => el === document.activeElement)).toBe(true);

    await close.click();
    await page.getByTestId('incident-close-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await close.waitFor({ state: 'detached' });
    expect(await focusedText()).toBe('Incidents');
    expect(nativeDialogs).toEqual([]);
  });
});
