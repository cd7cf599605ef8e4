import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { readLatestMail } from '../helpers/auth.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_REGISTRATION_CODE } from '../../server/demo/demo-constants.ts';

type Messages = Record<string, string>;
const messages = (locale: string) =>
  JSON.parse(readFileSync(`shared/i18n/messages/${locale}.json`, 'utf8')) as Messages;
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

describe('accounts in the browser', () => {
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

  it('registers with the letter code, verifies through the mail and signs in', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    const email = 'neue.mieterin@example.org';
    const password = 'Lindenblüte-über-dem-Hof-7';

    await page.goto(`${server.url}/register`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('register-code').fill(DEMO_REGISTRATION_CODE);
    await page.getByTestId('register-email').fill(email);
    await page.getByTestId('register-password').fill(password);
    await page.getByTestId('register-password-repeat').fill(password);
    await page.getByTestId('register-accept-privacy').check();
    await page.getByTestId('register-accept-terms').check();
    // Electronic delivery is a choice: without one the form says so; paper is as good an answer.
    await page.getByTestId('register-submit').click();
    await page.locator('#register-delivery-error').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('register-delivery-paper').check();
    await page.getByTestId('register-submit').click();
    await page.getByTestId('register-done').waitFor();

    const mail = await readLatestMail(server.dataDir, email, { path: '/verify', timeoutMs: 10_000 });
    expect(mail.link).toContain(`${server.url}/verify?token=`);
    await page.goto(mail.link!);
    await page.getByTestId('verify-success').waitFor();

    // The link is single-use: opening it again fails visibly.
    const again = await context.newPage();
    await again.goto(mail.link!);
    await again.getByTestId('token-error').waitFor();
    await again.close();

    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  for (const locale of ['de', 'en', 'sv'] as const) {
    it(`lets the demo tenant sign in and greets her in ${locale}`, async () => {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      const text = messages(locale);
      await page.getByRole('heading', { level: 1, name: text.login_title }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(locale);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      const greeting = page.getByTestId('home-greeting');
      await greeting.waitFor();
      expect((await greeting.textContent())?.trim()).toBe(
        fill(text.home_greeting ?? '', { name: 'Erika Mustermann' }),
      );
      // Seed 000: the previous visit is shown after signing in.
      await page.getByTestId('home-last-visit').waitFor();
      await context.close();
    });
  }

  it('switches the language with the picker and keeps it after a reload', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { level: 1, name: messages('de').login_title }).waitFor();
    await page.getByTestId('language-picker').selectOption('sv');
    await page.getByRole('heading', { level: 1, name: messages('sv').login_title }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: messages('sv').login_title }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await context.close();
  });

  it('answers a wrong password with a message, not a crash', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill('not-the-password-at-all');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toContain(
      messages('en').error_invalid_credentials ?? '',
    );
    await context.close();
  });
});
