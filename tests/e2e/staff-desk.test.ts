import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TICKET_SUBJECTS } from '../../server/demo/demo-constants.ts';

type Messages = Record<string, string>;
const de = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Messages;
const generatedCount = 40;

/**
 * Issue 15 in the browser: the service desk at desktop sizes with the demo data plus 40 more
 * tickets — a dense inbox, the case beside it with the tenant's answers and the composer in view,
 * bulk assign and merge from the workspace, no axe violations.
 */
describe('staff service desk', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const generated: { id: string; number: string }[] = [];

  async function api(cookie: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { origin: server.url, 'content-type': 'application/json', cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  }

  async function cookieOf(login: string) {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ login, password: DEMO_PASSWORD }),
    });
    return /portier_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  }

  async function signIn(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width, height } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
    await page.getByRole('button', { name: new RegExp(de.staff_view_all!) }).click();
    await page.getByTestId('inbox-ticket').first().waitFor();
    return page;
  }

  /** Rows whose whole box lies inside the window: what a staff member sees without scrolling. */
  const rowsInFirstScreen = (page: Page) =>
    page.evaluate(
      () =>
        [...document.querySelectorAll('[data-testid="inbox-row"]')].filter((row) => {
          const box = row.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }).length,
    );

  const inView = (page: Page, selector: string) =>
    page.evaluate((target) => {
      const element = document.querySelector(target);
      if (!element) return false;
      const box = element.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    }, selector);

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    const tenant = await cookieOf(DEMO_LOGINS.tenant);
    for (let index = 0; index < generatedCount; index++) {
      const { status, json } = await api(tenant, '/tickets', {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: `Testanliegen Nummer ${index + 1}: bitte um Rückmeldung.`,
        clientId: `desk-e2e-${index}-${Date.now()}`,
      });
      expect(status).toBe(201);
      generated.push((json as { ticket: { id: string; number: string } }).ticket);
    }
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  for (const [width, height] of [
    [1440, 900],
    [1920, 1080],
  ] as const) {
    it(`shows at least 12 tickets and a damage report's answers with the composer at ${width}×${height}`, async () => {
      const page = await signIn(width, height);
      expect(await rowsInFirstScreen(page)).toBeGreaterThanOrEqual(12);
      expect(await axeViolations(page)).toEqual([]);

      await page
        .getByTestId('inbox-ticket')
        .filter({ hasText: DEMO_TICKET_SUBJECTS.leakingTap })
        .first()
        .click();
      await page.waitForURL(/\/staff\/tickets\//);
      const answers = page.getByTestId('ticket-answers');
      await answers.waitFor();
      // Every answer labelled in German: permission to enter, pets, the visit windows as dates.
      for (const key of ['field_permission_to_enter', 'field_pets_at_home', 'field_availability']) {
        expect(await answers.textContent()).toContain(de[key]);
      }
      expect(await answers.locator('[data-field="availability"] dd').textContent()).toMatch(/08:00–12:00/);
      // The list stays beside the case.
      expect(await rowsInFirstScreen(page)).toBeGreaterThanOrEqual(12);
      expect(await inView(page, '[data-testid="ticket-answers"]')).toBe(true);
      expect(await inView(page, '#reply')).toBe(true);
      expect(await inView(page, 'form.reply button[type="submit"]')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `/tmp/staff-desk-${width}.png` });
    });
  }

  it('assigns 10 tickets in one step and merges a duplicate from the workspace', async () => {
    const page = await signIn(1440, 900);
    const staffCookie = await cookieOf(DEMO_LOGINS.staff);
    const chosen = generated.slice(0, 10);
    await page.getByRole('searchbox').fill('Testanliegen');
    await page.getByRole('searchbox').press('Enter');
    for (const ticket of chosen) {
      const row = page.getByTestId('inbox-row').filter({ hasText: ticket.number });
      await row.getByRole('checkbox').check();
    }
    const bar = page.getByTestId('bulk-bar');
    await bar.waitFor();
    await page.getByTestId('bulk-assignee').selectOption({ label: 'Sabine Sommer' });
    await page.getByTestId('bulk-assign-apply').click();
    await bar.waitFor({ state: 'detached' });
    for (const ticket of chosen) {
      const { json } = await api(staffCookie, `/staff/tickets/${ticket.id}`);
      expect((json as { ticket: { assigneeId: string | null } }).ticket.assigneeId).not.toBeNull();
    }

    const [duplicate, target] = [generated[20]!, generated[21]!];
    await page
      .getByTestId('inbox-row')
      .filter({ hasText: duplicate.number })
      .getByTestId('inbox-ticket')
      .click();
    await page.getByTestId('ticket-answers').waitFor();
    await page.getByTestId('merge-open').click();
    const dialog = page.getByTestId('case-links-dialog');
    await dialog.locator('#merge-search').fill(target.number);
    await dialog.locator('#merge-search').press('Enter');
    await dialog.getByRole('radio', { name: new RegExp(target.number) }).check();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('case-links-confirm').click();
    await page.getByTestId('merged-into').waitFor();
    expect(await page.getByTestId('merged-into').textContent()).toContain(target.number);
    await page.screenshot({ path: '/tmp/staff-desk-merged.png' });
  });
});
