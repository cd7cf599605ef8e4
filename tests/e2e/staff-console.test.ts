import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

type Messages = Record<string, string>;
const message = (key: string) =>
  ['de', 'en', 'sv'].map((locale) => {
    const all = JSON.parse(readFileSync(`shared/i18n/messages/${locale}.json`, 'utf8')) as Messages;
    const text = all[key];
    if (text === undefined) throw new Error(`no message ${locale}.${key}`);
    return text;
  });
/** Sabine Sommer is the demo staff member (server/demo/staff.ts). */
const staffName = 'Sabine Sommer';
const said = (key: string) => message(key).map((text) => text.replace('{names}', staffName));

/** Issue 5 in the browser: two staff on one ticket see each other viewing and typing; replies arrive live. */
describe('staff console in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let admin: Page;

  async function signIn(login: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
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
    staff = await signIn(DEMO_LOGINS.staff);
    admin = await signIn(DEMO_LOGINS.admin);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the inbox with views, counts and tickets, without axe violations', async () => {
    await staff.getByRole('button', { pressed: false }).first().waitFor();
    // "All in my scope" always has the demo tickets.
    await staff.getByRole('button', { name: new RegExp(message('staff_view_all')[0]!) }).click();
    await staff.getByTestId('inbox-ticket').first().waitFor();
    expect(await staff.getByTestId('inbox-ticket').count()).toBeGreaterThan(0);
    expect(await axeViolations(staff)).toEqual([]);

    // A search of only words too short to look up is explained at the field, not sent.
    const search = staff.getByRole('searchbox');
    await search.fill('zz');
    await search.press('Enter');
    const hint = message('staff_search_too_short').map((text) => text.replace('{count}', '3'));
    await expectText(staff.getByTestId('inbox-search-too-short'), hint);
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(staff)).toEqual([]);
    await search.fill('');
    await search.press('Enter');
    await staff.getByTestId('inbox-search-too-short').waitFor({ state: 'detached' });
  });

  it('lets the second agent see the first viewing and typing, and the reply live', async () => {
    await staff.getByTestId('inbox-ticket').first().click();
    await staff.waitForURL(/\/staff\/tickets\//);
    await staff.locator('#reply').waitFor();

    await admin.goto(staff.url());
    await admin.locator('#reply').waitFor();
    const presence = admin.getByTestId('presence');
    await expectText(presence, said('staff_viewing'));

    await staff.locator('#reply').pressSequentially('Wir kümmern uns darum.');
    await expectText(presence, said('staff_typing'));

    await staff.locator('form.reply button[type="submit"]').click();
    await expectText(admin.getByTestId('messages'), ['Wir kümmern uns darum.']);
    expect(await axeViolations(admin)).toEqual([]);
  });
});

/** Waits until the element's text contains one of the expected strings (any language). */
async function expectText(locator: ReturnType<Page['locator']>, anyOf: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = (await locator.textContent()) ?? '';
    if (anyOf.some((expected) => text.includes(expected))) return;
    if (Date.now() > deadline) throw new Error(`"${text}" contains none of ${JSON.stringify(anyOf)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
