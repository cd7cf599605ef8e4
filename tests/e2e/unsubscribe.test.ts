import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { readLatestMail } from '../helpers/auth.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Issue 17: the unsubscribe link of a notification mail, opened in a browser. The page asks, the
 * button turns that topic's e-mail off, and the tenant's settings page shows it off.
 */
describe('unsubscribing from a notification mail', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks on GET, turns the topic off on the button, and the settings page shows it off', async () => {
    // The tenant files a request: its confirmation is a notification mail of "replies to requests".
    const headers = { origin: server.url, 'content-type': 'application/json' };
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ login: DEMO_LOGINS.tenant, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const filed = await fetch(`${server.url}/api/tickets`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify({
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'kitchen',
          component: 'tap',
          urgency: 'normal',
          permission_to_enter: true,
        },
        description: 'Der Wasserhahn in der Küche tropft.',
        clientId: 'e2e-unsubscribe-1',
      }),
    });
    expect(filed.status).toBe(201);

    // The newest mail whose unsubscribe token names that topic (the demo mails other topics too).
    const topicOf = (url: string) =>
      Buffer.from(url.split('/').pop()!.split('.')[0]!, 'base64url').toString().split('|')[1];
    let link: string | undefined;
    for (let tries = 0; !link && tries < 40; tries++) {
      const mail = await readLatestMail(server.dataDir, DEMO_LOGINS.tenant, { timeoutMs: 10_000 });
      const found = /^List-Unsubscribe:\s*<([^>]+)>/m.exec(mail.text)?.[1]; // folded or not (RFC 5322)
      if (found && topicOf(found) === 'ticket_replies') link = found;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(link).toMatch(/\/api\/unsubscribe\//);

    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'E-Mails abbestellen' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/unsubscribe-confirm-360.png', fullPage: true });
    await page.getByRole('button', { name: 'E-Mails abbestellen' }).click();
    await page.getByRole('heading', { level: 1, name: 'E-Mails abbestellt' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Antworten auf Anliegen');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/unsubscribe-done-360.png', fullPage: true });

    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.url}/settings`);
    const repliesByMail = page.getByTestId('notification-ticket_replies-email');
    await repliesByMail.waitFor();
    expect(await repliesByMail.isChecked()).toBe(false);
    expect(await page.getByTestId('notification-documents-email').isChecked()).toBe(true);
    await context.close();
  }, 120_000);
});
