import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { AppointmentAnswer } from '../../shared/api/appointments.ts';

/**
 * Issue 20 item 1 as the two people do it: staff propose Thursday-like slots from the tenant's
 * window in the console, the tenant confirms one in the app on a 360 px phone, and the staff
 * workspace shows the confirmation live, without a reload.
 */
describe('repair appointments in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tenant: Page;
  let staff: Page;
  const shots = process.env.APPOINTMENT_SHOTS;

  async function open(locale: string, width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** Three days ahead on the Berlin calendar: inside every window the test gives. */
  const windowDate = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString().slice(0, 10);

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

  it('staff propose, the tenant confirms on the phone, the workspace shows it live', async () => {
    // The tenant reports a dripping tap with a window of 08:00–12:00.
    const ticketId = await tenant.evaluate(async (date) => {
      const res = await fetch('/api/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'damage_report',
          fields: {
            location: 'flat',
            room: 'kitchen',
            component: 'tap',
            urgency: 'normal',
            permission_to_enter: true,
            availability: [{ date, from: '08:00', to: '12:00' }],
          },
          description: 'Der Wasserhahn in der Küche tropft.',
          clientId: `e2e-appointment-${Date.now()}`,
        }),
      });
      return ((await res.json()) as { ticket: { id: string } }).ticket.id;
    }, windowDate);

    // Staff: the panel is prefilled with the window; they narrow it to 8–10 and propose.
    await staff.goto(`${server.url}/staff/tickets/${ticketId}`);
    const panel = staff.getByTestId('appointment-panel');
    await panel.waitFor({ state: 'attached' });
    // Beside the inbox the case is narrow: the side panels sit under "Falldetails".
    if (!(await panel.isVisible())) await staff.locator('details.details > summary').click();
    await panel.waitFor();
    const slot = panel.getByRole('group', { name: 'Termin 1' });
    expect(await slot.getByLabel('Datum').inputValue()).toBe(windowDate);
    expect(await slot.getByLabel('Von').inputValue()).toBe('08:00');
    await slot.getByLabel('Bis').fill('10:00');
    await panel.getByRole('button', { name: 'Termine vorschlagen' }).click();
    await panel.locator('[data-testid="appointment-state"][data-state="proposed"]').waitFor();
    if (shots) await staff.screenshot({ path: `${shots}/staff-proposed-1440.png`, fullPage: true });

    // The tenant, on a 360 px phone: one radio choice, "Termin bestätigen".
    await tenant.goto(`${server.url}/requests/${ticketId}`);
    const card = tenant.getByTestId('appointment-card');
    await card.waitFor();
    const choices = card.getByRole('group', { name: 'Wählen Sie einen Termin' }).getByRole('radio');
    expect(await choices.count()).toBe(1);
    expect(await card.textContent()).toMatch(/8–10 Uhr/);
    const width = await tenant.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    if (shots) await tenant.screenshot({ path: `${shots}/tenant-proposal-360.png`, fullPage: true });
    await choices.first().check();
    await card.getByTestId('appointment-confirm').click();
    await card.getByTestId('appointment-confirmed').waitFor();
    expect(await card.getByTestId('appointment-confirmed').textContent()).toMatch(/8–10 Uhr/);
    await card.getByRole('link', { name: 'Zum Kalender hinzufügen' }).waitFor();
    if (shots) await tenant.screenshot({ path: `${shots}/tenant-confirmed-360.png`, fullPage: true });

    // The staff workspace, not reloaded, shows the confirmation.
    await panel.locator('[data-testid="appointment-state"][data-state="confirmed"]').waitFor();
    expect(await panel.getByTestId('appointment-state').textContent()).toMatch(/Bestätigt: .*8–10 Uhr/);
    if (shots) await staff.screenshot({ path: `${shots}/staff-confirmed-1440.png`, fullPage: true });

    const stored = await staff.evaluate(async (id) => {
      const res = await fetch(`/api/staff/tickets/${id}/appointment`);
      return (await res.json()) as AppointmentAnswer;
    }, ticketId);
    expect(stored.appointment?.state).toBe('confirmed');
  });
});
