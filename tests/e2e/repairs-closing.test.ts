import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './helpers/a11y.ts';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/**
 * Closing a repair as the people do it: the contractor reports done, the tenant answers "fixed"
 * with four stars on a 360 px phone by keyboard, and the staff report lists the contractor's
 * first-time fix in its table.
 */
describe('closing a repair in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tenant: Page;
  let staff: Page;
  const shots = process.env.REPAIR_CLOSING_SHOTS;

  async function open(locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    tenant = await open('de-DE', 360);
    await tenant.goto(`${server.url}/login`);
    await tenant.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await tenant.getByTestId('login-password').fill(DEMO_PASSWORD);
    await tenant.getByTestId('login-submit').click();
    await tenant.getByTestId('home-greeting').waitFor();

    staff = await open('de-DE', 1440);
    await staff.goto(`${server.url}/staff/login`);
    await staff.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await staff.getByTestId('login-password').fill(DEMO_PASSWORD);
    await staff.getByTestId('login-submit').click();
    await staff.waitForURL(/\/staff\/inbox/);
    if (shots) mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('the tenant confirms the fix with a rating on the phone; the report counts it', async () => {
    const ticketId = await tenant.evaluate(async () => {
      const res = await fetch('/api/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'damage_report',
          fields: {
            location: 'flat',
            room: 'bathroom',
            component: 'tap',
            urgency: 'normal',
            permission_to_enter: true,
            availability: [{ date: '2030-01-10', from: '08:00', to: '12:00' }],
          },
          description: 'Der Wasserhahn im Bad tropft.',
          clientId: `e2e-closing-${Date.now()}`,
        }),
      });
      return ((await res.json()) as { ticket: { id: string } }).ticket.id;
    });

    // Staff dispatch the plumber; the contractor reports done through the job link.
    const done = await staff.evaluate(async (id) => {
      const list = (await (await fetch(`/api/staff/contractors`)).json()) as {
        contractors: { id: string; name: string }[];
      };
      const plumber = list.contractors.find((c) => c.name === 'Sprudel Sanitär GmbH');
      const dispatched = await fetch(`/api/staff/tickets/${id}/dispatch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contractorId: plumber!.id, force: true }),
      });
      const { job } = (await dispatched.json()) as { job: { url: string } };
      const token = job.url.split('/job/')[1]!;
      const res = await fetch(`/api/job/${token}/done`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'Dichtung getauscht.' }),
      });
      return res.status;
    }, ticketId);
    expect(done).toBe(200);

    await tenant.goto(`${server.url}/requests/${ticketId}`);
    const card = tenant.getByTestId('repair-confirmation-card');
    await card.waitFor();
    await card.getByRole('heading', { name: 'Ist es behoben?' }).waitFor();
    expect(await card.textContent()).toContain('Sprudel Sanitär GmbH');

    // By keyboard: "Ja" in the first group, then four stars in the rating group.
    await card.getByRole('radio', { name: 'Ja, es ist behoben' }).focus();
    await tenant.keyboard.press('Space');
    const stars = card.getByRole('group', { name: 'Wie zufrieden sind Sie mit der Reparatur?' });
    await stars.waitFor();
    expect(await stars.getByRole('radio').count()).toBe(5);
    await stars.getByRole('radio', { name: '1 Stern – sehr unzufrieden' }).focus();
    await tenant.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await tenant.keyboard.press('ArrowDown');
    expect(await stars.getByRole('radio', { name: '4 Sterne – zufrieden' }).isChecked()).toBe(true);
    await card.getByLabel('Anmerkung (freiwillig)').fill('Schnell und sauber.');
    const width = await tenant.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    expect(await axeViolations(tenant)).toEqual([]);
    if (shots) await card.screenshot({ path: `${shots}/tenant-question-360.png` });

    await card.getByTestId('repair-confirmation-send').click();
    const result = card.getByTestId('repair-confirmation-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('4 von 5');
    expect(await card.textContent()).toContain('Schnell und sauber.');
    // The request is resolved, live, without a reload.
    await tenant.getByTestId('request-status-badge').filter({ hasText: 'Erledigt' }).waitFor();
    if (shots) await tenant.screenshot({ path: `${shots}/tenant-answered-360.png`, fullPage: true });

    await staff.goto(`${server.url}/staff/reports`);
    const table = staff.getByTestId('report-repairs-table');
    await table.waitFor();
    const row = table.getByRole('row', { name: /Sprudel Sanitär GmbH/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // Jobs done, answered, first-time fixes, rate.
    // The percent sign follows a narrow no-break space in German: compared as a plain space.
    expect(cells.slice(0, 4).map((text) => text.replace(/\s+/gu, ' ').trim())).toEqual([
      '1',
      '1',
      '1',
      '100 %',
    ]);
    expect(await axeViolations(staff)).toEqual([]);
    if (shots) {
      await staff
        .getByRole('heading', { name: 'Reparaturen nach Handwerksbetrieb' })
        .scrollIntoViewIfNeeded();
      await staff.screenshot({ path: `${shots}/staff-report-1440.png`, fullPage: true });
    }
  });
});
