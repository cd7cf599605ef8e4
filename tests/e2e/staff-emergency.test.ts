import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './helpers/a11y.ts';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TENANT_UNIT } from '../../server/demo/demo-constants.ts';

const messages = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Record<string, string>;
const de = (key: string) => {
  const text = messages[key];
  if (text === undefined) throw new Error(`no message de.${key}`);
  return text;
};

/** Screenshots to look at, outside the repository. */
const shot = (name: string) => join(tmpdir(), 'portier-shots', `staff-emergency-${name}`);

/**
 * Issue 15 item 6 across two browsers: the tenant reports a burst pipe as an emergency; the staff
 * console, open on another page, counts it at once (nav badge, tab title), the inbox lists it on
 * top with the urgent label, and the on-call staff member got the SMS naming building, unit and
 * the tenant's phone. Whether the demo runs in or outside business hours, Sabine Sommer is alerted:
 * she is the Berlin team's only member and its on-call person on nights and weekends.
 */
describe('an emergency reaches the staff console and the person on call', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tenant: Page;
  let staff: Page;
  const description = `Wasserrohr im Bad geplatzt, Wasser läuft durch die Decke (${Date.now()}).`;

  async function open(locale: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height } });
    contexts.push(context);
    return context.newPage();
  }
  const badge = () => staff.locator('.nav-badge');
  const badgeCount = async () =>
    (await badge().count()) === 0 ? 0 : Number((await badge().textContent())?.trim() ?? '0');

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    tenant = await open('de-DE', 390, 844);
    await tenant.goto(`${server.url}/login`);
    await tenant.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await tenant.getByTestId('login-password').fill(DEMO_PASSWORD);
    await tenant.getByTestId('login-submit').click();
    await tenant.getByTestId('home-greeting').waitFor();

    staff = await open('de-DE', 1440, 900);
    await staff.goto(`${server.url}/staff/login`);
    await staff.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await staff.getByTestId('login-password').fill(DEMO_PASSWORD);
    await staff.getByTestId('login-submit').click();
    await staff.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('counts the new emergency live on another console page and tops the inbox with the urgent label', async () => {
    // Staff are elsewhere in the console: the count must reach them there.
    // The count before: what the console loads on this page (not the inbox's, which the
    // navigation cancels), once it shows it.
    await staff.goto(`${server.url}/staff/notices`, { waitUntil: 'commit' });
    const counted = staff.waitForResponse((answer) => answer.url().includes('/api/staff/tickets/counts'));
    await staff.getByRole('heading', { level: 1 }).waitFor();
    const before = ((await (await counted).json()) as { counts: { unassigned: number } }).counts.unassigned;
    await expect.poll(badgeCount, { timeout: 10_000 }).toBe(before);

    await tenant.goto(`${server.url}/requests/new`);
    await tenant.getByTestId('type-damage_report').check();
    await tenant.getByTestId('field-location').selectOption('flat');
    await tenant.getByTestId('field-room').selectOption('bathroom');
    await tenant.getByTestId('field-component').selectOption('water');
    await tenant.getByTestId('field-urgency').selectOption('emergency');
    await tenant.getByTestId('field-permission_to_enter').getByRole('radio').first().check();
    await tenant.getByTestId('request-description').fill(description);
    await tenant.getByTestId('request-submit').click();
    // A planned water shut-off in the house may be offered first; a burst pipe is reported anyway.
    const created = tenant.getByTestId('request-created');
    const anyway = tenant.getByTestId('report-anyway');
    await created.or(anyway).first().waitFor();
    if (await anyway.isVisible()) await anyway.click();
    await created.waitFor();
    const number = /\d{4}-\d{6}/.exec((await created.textContent()) ?? '')?.[0] ?? '';
    expect(number).not.toBe('');

    // Live, without reload: the nav badge and the tab title go up by one.
    await expect.poll(badgeCount, { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => staff.title(), { timeout: 10_000 }).toMatch(new RegExp(`^\\(${before + 1}\\) `));
    const navLink = staff.getByRole('link', { name: new RegExp(de('staff_nav_inbox')) });
    expect(await navLink.textContent()).toContain(String(before + 1));
    await staff.screenshot({ path: shot('emergency-badge.png') });

    await navLink.click();
    await staff.waitForURL(/\/staff\/inbox/);
    // The list entry around the first ticket link: number, subject, priority label, SLA.
    const first = staff.locator('li', { has: staff.getByTestId('inbox-ticket') }).first();
    await first.waitFor();
    await expect.poll(async () => (await first.textContent()) ?? '', { timeout: 10_000 }).toContain(number);
    expect(await first.textContent()).toContain(de('staff_priority_urgent'));
    await staff.screenshot({ path: shot('emergency-inbox.png') });
    expect(await axeViolations(staff)).toEqual([]);
  });

  it('texts the person on call with building, unit and the tenant’s phone', async () => {
    const directory = join(server.dataDir, 'sms');
    const alert = () => {
      if (!existsSync(directory)) return '';
      const texts = readdirSync(directory)
        .filter((name) => name.endsWith('.txt'))
        .map((name) => readFileSync(join(directory, name), 'utf8'));
      return (
        texts.find(
          (text) => text.includes(DEMO_TENANT_UNIT.unitNumber) && text.includes('/staff/tickets/'),
        ) ?? ''
      );
    };
    await expect.poll(alert, { timeout: 15_000 }).not.toBe('');
    const text = alert();
    expect(text).toContain('To: +49 30 23125 010'); // Sabine Sommer
    expect(text).toContain(`${DEMO_TENANT_UNIT.street} ${DEMO_TENANT_UNIT.houseNumber}`);
    expect(text).toContain('+49 30 23125 102'); // Erika Mustermann's mobile
    expect(text).toContain(de('emergency_alert_body').split(' ')[0]!); // "Notfallmeldung"
  });

  it('lets an admin see and edit the SLA per priority and the on-call rota, without axe violations', async () => {
    const admin = await open('de-DE', 1440, 900);
    await admin.goto(`${server.url}/staff/login`);
    await admin.getByTestId('login-login').fill(DEMO_LOGINS.admin);
    await admin.getByTestId('login-password').fill(DEMO_PASSWORD);
    await admin.getByTestId('login-submit').click();
    await admin.waitForURL(/\/staff\/inbox/);
    await admin.goto(`${server.url}/staff/admin`);
    await admin.getByRole('heading', { name: de('emergency_rota_title') }).waitFor();
    await admin.getByRole('form', { name: 'Kundenservice Berlin' }).waitFor();
    const urgent = admin.getByRole('spinbutton', {
      name: `${de('emergency_sla_first_response')}, ${de('staff_priority_urgent')}`,
    });
    await expect.poll(() => urgent.count()).toBeGreaterThan(0);
    expect(await urgent.first().inputValue()).toBe('1');
    await admin.getByRole('heading', { name: de('emergency_sla_title') }).scrollIntoViewIfNeeded();
    await admin.screenshot({ path: shot('admin-sla.png') });
    await admin.getByRole('heading', { name: de('emergency_rota_title') }).scrollIntoViewIfNeeded();
    await admin.screenshot({ path: shot('admin-rota.png') });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.screenshot({ path: shot('admin-rota-phone.png') });
    expect(await axeViolations(admin)).toEqual([]);
  });
});
