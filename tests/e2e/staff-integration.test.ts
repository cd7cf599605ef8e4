import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/** Issue 14 items 1 and 3 in the browser: the admin's integration page (API keys, webhooks, import). */
describe('staff integration page in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let admin: Page;

  async function signIn(login: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(login);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
    return page;
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    admin = await signIn(DEMO_LOGINS.admin);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('creates an API key whose secret is shown once and works, then revokes it with a confirmation', async () => {
    await admin.getByRole('link', { name: 'Integration' }).click();
    await admin.waitForURL(/\/staff\/integration/);
    await admin.getByTestId('api-key-form').waitFor();
    expect(await axeViolations(admin)).toEqual([]);

    await admin.locator('#api-key-name').fill('ERP nightly load');
    await admin.getByLabel('Import', { exact: true }).check();
    await admin.getByTestId('api-key-create').click();
    const secretField = admin.getByTestId('api-key-secret-value');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await secretField.getAttribute('readonly')).not.toBeNull();
    await expect
      .poll(() => admin.getByTestId('api-key-secret').textContent())
      .toContain('you will not see this secret again');
    expect(await axeViolations(admin)).toEqual([]);

    const row = admin.getByTestId('api-key-row').filter({ hasText: 'ERP nightly load' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Never');
    // The key is a real one: the ERP's route takes it (an empty dry run answers 200).
    const answer = await fetch(`${server.url}/api/v1/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dryRun: true }),
    });
    expect(answer.status).toBe(200);

    // Once taken, the secret is gone from the page and does not come back with a reload.
    await admin.getByTestId('api-key-secret-done').click();
    expect(await admin.getByTestId('api-key-secret').count()).toBe(0);
    await admin.reload();
    await row.waitFor();
    expect(await admin.content()).not.toContain(secret);

    // Revoking asks first; cancelling keeps the key.
    await row.getByTestId('api-key-revoke').click();
    const dialog = admin.getByTestId('api-key-confirm');
    await dialog.waitFor({ state: 'visible' });
    expect(await axeViolations(admin)).toEqual([]);
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.count()).toBe(1);

    await row.getByTestId('api-key-revoke').click();
    await dialog.waitFor({ state: 'visible' });
    await admin.getByTestId('api-key-confirm-confirm').click();
    await admin.getByTestId('api-key-status').filter({ hasText: 'ERP nightly load' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const refused = await fetch(`${server.url}/api/v1/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dryRun: true }),
    });
    expect(refused.status).toBe(401);
  });

  it('shows the webhook and import parts without axe violations', async () => {
    await admin.getByTestId('integration-part-webhooks').click();
    await admin.getByTestId('webhook-form').or(admin.getByTestId('webhooks-unavailable')).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await admin.getByTestId('integration-part-import').click();
    await admin.getByTestId('import-form').waitFor();
    expect(await admin.getByTestId('import-apply').isDisabled()).toBe(true);
    expect(await axeViolations(admin)).toEqual([]);
  });

  it('does not show staff without the admin role the integration entry or page', async () => {
    const staff = await signIn(DEMO_LOGINS.staff);
    await staff.getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await staff.getByRole('link', { name: 'Integration' }).count()).toBe(0);
    await staff.goto(`${server.url}/staff/integration`);
    await staff.getByText('Only administrators can use this area.').waitFor();
    expect(await staff.getByTestId('api-key-form').count()).toBe(0);
  });
});
