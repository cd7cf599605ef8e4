import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

const screenshots = process.env.SCREENSHOT_DIR;

/** Issue 15 item 8 in the browser: a form edited field by field, previewed, and filed by a tenant. */
describe('ticket type form editor', () => {
  let server: RunningServer;
  let browser: Browser;

  async function signIn(path: string, login: string, locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    await page.getByTestId('login-login').fill(login);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    return page;
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds a dependent select with three languages; the preview and the tenant app show it', async () => {
    const admin = await signIn('/staff/login', DEMO_LOGINS.admin, 'en-GB');
    await admin.waitForURL(/\/staff\/inbox/);
    await admin.goto(`${server.url}/staff/admin`);
    const open = admin.getByTestId('type-pet_permission-edit-form');
    await open.waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await open.click();

    await admin.getByTestId('type-pet_permission-add-field').click();
    const card = admin.locator('#type-pet_permission-form-editor .field-list > li').last();
    await card.locator('[data-testid$="-label-de"]').fill('Käfiggröße');
    await card.locator('[data-testid$="-label-en"]').fill('Cage size');
    await card.locator('[data-testid$="-label-sv"]').fill('Burstorlek');
    await card.locator('[data-testid$="-kind"]').selectOption('select');
    await card.locator('[data-testid$="-required"]').check();
    const labels = [
      ['Klein', 'Small', 'Liten'],
      ['Groß', 'Large', 'Stor'],
    ];
    for (const [index, [de, en, sv]] of labels.entries()) {
      if (index > 0) await card.locator('[data-testid$="-add-option"]').click();
      await card.locator(`[data-testid$="-option-${index}-de"]`).fill(de!);
      await card.locator(`[data-testid$="-option-${index}-en"]`).fill(en!);
      await card.locator(`[data-testid$="-option-${index}-sv"]`).fill(sv!);
    }
    await card.locator('[data-testid$="-parent"]').selectOption('species');
    await card.locator('[data-testid$="-when-small_animal"]').check();
    // Moved one up by keyboard and back: the buttons are real buttons in the tab order.
    await card.getByRole('button', { name: 'Move “Cage size” up' }).focus();
    await admin.keyboard.press('Enter');
    await admin.getByText('Moved to position 4.').waitFor({ state: 'attached' });

    // The preview is the tenant renderer: the new field appears only for small animals.
    const preview = admin.getByTestId('preview-pet_permission');
    await expect(preview.locator('#preview-pet_permission-kafiggrosse').count()).resolves.toBe(0);
    await preview.locator('#preview-pet_permission-species').selectOption('small_animal');
    await preview.locator('#preview-pet_permission-kafiggrosse').waitFor();
    expect(await preview.locator('#preview-pet_permission-kafiggrosse option').allTextContents()).toEqual([
      expect.any(String),
      'Small',
      'Large',
    ]);
    // It sits before "breed" (moved up), after the dog size.
    if (screenshots)
      await admin.screenshot({ path: `${screenshots}/admin-form-editor-1440.png`, fullPage: false });
    expect(await axeViolations(admin)).toEqual([]);

    const [saved] = await Promise.all([
      admin.waitForResponse((res) => res.url().endsWith('/api/staff/admin/ticket-types/pet_permission')),
      admin.getByTestId('type-pet_permission-save').click(),
    ]);
    expect(saved.status(), await saved.text()).toBe(200);
    await admin.getByTestId('admin-saved').waitFor();
    await admin.context().close();

    const tenant = await signIn('/login', DEMO_LOGINS.tenant, 'de-DE');
    await tenant.waitForURL((url) => !url.pathname.startsWith('/login'));
    await tenant.goto(`${server.url}/requests/new`);
    await tenant.getByTestId('type-pet_permission').check();
    await tenant.getByTestId('field-species').selectOption('small_animal');
    const cage = tenant.getByTestId('field-kafiggrosse');
    await cage.waitFor();
    expect(await tenant.locator('label[for="field-kafiggrosse"]').textContent()).toContain('Käfiggröße');
    expect(await cage.locator('option').allTextContents()).toContain('Groß');
    if (screenshots) await tenant.screenshot({ path: `${screenshots}/tenant-new-field.png` });
    await tenant.context().close();
  });
});
