import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

/** A folder to keep screenshots of each step in, for looking at the pages (optional). */
const shots = process.env.DISPATCH_SHOTS;

/** The mailed job link to `address`, from the server's .eml files; waits for the worker to send it. */
async function mailedLink(dataDir: string, address: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const dir = join(dataDir, 'mail');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((name) => name.endsWith('.eml'));
    } catch {
      // no mail yet
    }
    for (const name of files.sort().reverse()) {
      const text = readFileSync(join(dir, name), 'utf8').replace(/=\r?\n/g, '');
      if (!text.toLowerCase().includes(address)) continue;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/job\/[a-z2-7]+\.[A-Za-z0-9_-]{43})/.exec(text);
      if (match) return match[1]!;
    }
    if (Date.now() > deadline) throw new Error(`no job mail to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Issue 20 item 2 as the three people try it: a tenant's dripping tap, staff dispatch it to the
 * plumber in the console, the plumber opens the mailed link on a phone, accepts and reports done
 * with a photo; the staff workspace and the tenant's request page show each step without reload.
 */
describe('repairs: dispatch and the contractor’s job page', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let staff: Page;
  let tenant: Page;
  let ticketId = '';

  const open = async (locale: string, width: number, height = 900) => {
    const context = await browser.newContext({ locale, viewport: { width, height } });
    contexts.push(context);
    return await context.newPage();
  };

  beforeAll(async () => {
    if (shots) mkdirSync(shots, { recursive: true });
    server = await startDemoServer();
    browser = await launchBrowser();
    tenant = await open('de-DE', 390);
    await tenant.goto(`${server.url}/login`);
    await tenant.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await tenant.getByTestId('login-password').fill(DEMO_PASSWORD);
    await tenant.getByTestId('login-submit').click();
    await tenant.getByTestId('home-greeting').waitFor();
    ticketId = await tenant.evaluate(async () => {
      const res = await fetch('/api/tickets', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          type: 'damage_report',
          fields: {
            location: 'flat',
            room: 'bathroom',
            component: 'tap',
            urgency: 'normal',
            permission_to_enter: true,
            availability: [{ date: '2030-12-05', from: '08:00', to: '10:00' }],
          },
          title: 'Wasserhahn tropft',
          description: 'Der Wasserhahn im Bad tropft.',
          clientId: 'e2e-dispatch-0001',
        }),
      });
      return ((await res.json()) as { ticket: { id: string } }).ticket.id;
    });
    await tenant.goto(`${server.url}/requests/${ticketId}`);
    await tenant.getByTestId('request-detail-number').waitFor();

    staff = await open('de-DE', 1440);
    await staff.goto(`${server.url}/staff/login`);
    await staff.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await staff.getByTestId('login-password').fill(DEMO_PASSWORD);
    await staff.getByTestId('login-submit').click();
    await staff.waitForURL(/\/staff\/inbox/);
    await staff.goto(`${server.url}/staff/tickets/${ticketId}`);
    await staff.getByTestId('workspace').waitFor();
    await staff.locator('#dispatch-contractor').waitFor({ state: 'attached' });
    // Beside the inbox the side column folds under the answers: open it.
    if (!(await staff.locator('#dispatch-contractor').isVisible()))
      await staff.locator('details.details > summary').click();
    await staff.locator('#dispatch-contractor').waitFor();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('staff dispatch, the contractor accepts and reports done with a photo, everyone sees it live', async () => {
    // The picker offers the plumber serving Musterstraße 1 (and not the electrician).
    const options = await staff.locator('#dispatch-contractor option').allTextContents();
    expect(options).toContain('Sprudel Sanitär GmbH');
    expect(options).not.toContain('Elektro Blitz KG');
    await staff.locator('#dispatch-contractor').selectOption({ label: 'Sprudel Sanitär GmbH' });
    await staff.locator('#dispatch-note').fill('Schlüssel liegt beim Hausmeister.');
    await staff.getByRole('button', { name: 'Beauftragen' }).click();
    await staff.locator('[data-testid="dispatch-job"][data-state="dispatched"]').waitFor();
    await tenant
      .getByTestId('message-system')
      .filter({ hasText: 'Sprudel Sanitär GmbH ist beauftragt' })
      .waitFor();
    expect(await tenant.textContent('body')).not.toContain('Hausmeister');
    expect(await axeViolations(staff)).toEqual([]);
    if (shots) await staff.screenshot({ path: `${shots}/staff-dispatched-1440.png`, fullPage: true });

    const link = await mailedLink(server.dataDir, 'auftrag@sprudel-sanitaer.example');
    const contractor = await open('de-DE', 360, 780);
    const response = await contractor.goto(link);
    expect(response?.headers()['referrer-policy']).toBe('no-referrer');
    expect(await contractor.locator('meta[name="robots"]').getAttribute('content')).toContain('noindex');
    await contractor.getByRole('heading', { name: 'Wasserhahn tropft' }).waitFor();
    expect(await contractor.textContent('body')).toContain('Musterstraße 1');
    expect(await contractor.textContent('body')).toContain('Schlüssel liegt beim Hausmeister.');
    // No service worker on the job page.
    expect(await contractor.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
    expect(await axeViolations(contractor)).toEqual([]);
    if (shots) await contractor.screenshot({ path: `${shots}/job-360.png`, fullPage: true });

    await contractor.getByRole('button', { name: 'Auftrag annehmen' }).click();
    await contractor.getByTestId('job-state').filter({ hasText: 'Angenommen' }).waitFor();
    await staff.locator('[data-testid="dispatch-job"][data-state="accepted"]').waitFor();
    await tenant.getByTestId('message-system').filter({ hasText: 'angenommen' }).waitFor();

    // Accepted: the plumber proposes a time, prefilled from the tenant's window (Thu 5 Dec, 8–10).
    const slot = contractor.getByTestId('job-slot');
    await slot.first().waitFor();
    expect(await slot.count()).toBe(1);
    expect(await contractor.getByLabel('Datum', { exact: true }).inputValue()).toBe('2030-12-05');
    // Outside the window: the server's answer, in words, in the live region.
    await contractor.getByLabel('Von', { exact: true }).fill('14:00');
    await contractor.getByLabel('Bis', { exact: true }).fill('16:00');
    await contractor.getByRole('button', { name: 'Termine senden' }).click();
    await contractor.locator('#job-slots-error').filter({ hasText: 'außerhalb der Terminwünsche' }).waitFor();
    // A second slot comes and goes by keyboard.
    await contractor.getByRole('button', { name: 'Weiteren Termin hinzufügen' }).focus();
    await contractor.keyboard.press('Enter');
    expect(await slot.count()).toBe(2);
    // The new slot's date has the focus: the keyboard goes on where the slot is.
    expect(await contractor.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('date');
    await contractor.getByRole('button', { name: 'Weiteren Termin hinzufügen' }).click();
    expect(await slot.count()).toBe(3);
    // Three at most.
    expect(await contractor.getByRole('button', { name: 'Weiteren Termin hinzufügen' }).count()).toBe(0);
    if (shots) {
      await contractor.setViewportSize({ width: 320, height: 780 });
      await contractor.screenshot({ path: `${shots}/job-slots-three-320.png`, fullPage: true });
      await contractor.setViewportSize({ width: 360, height: 780 });
    }
    expect(await contractor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await contractor.getByRole('button', { name: 'Termin 3 entfernen' }).click();
    await contractor.getByRole('button', { name: 'Termin 2 entfernen' }).focus();
    await contractor.keyboard.press('Enter');
    expect(await slot.count()).toBe(1);
    await contractor.getByLabel('Von', { exact: true }).fill('08:00');
    await contractor.getByLabel('Bis', { exact: true }).fill('10:00');
    if (shots) await contractor.screenshot({ path: `${shots}/job-slots-form-360.png`, fullPage: true });
    expect(await axeViolations(contractor)).toEqual([]);
    await contractor.getByRole('button', { name: 'Termine senden' }).click();
    await contractor.getByText('Vorgeschlagen: Do 5. Dez., 8–10 Uhr').waitFor();
    // Sent: the form closes, the earlier error with it.
    expect(await contractor.locator('#job-slots-form').count()).toBe(0);
    expect(await contractor.getByText('außerhalb der Terminwünsche').count()).toBe(0);
    if (shots) await contractor.screenshot({ path: `${shots}/job-slots-proposed-360.png`, fullPage: true });

    // The tenant sees it live and confirms; the job page shows the confirmed time.
    const card = tenant.getByTestId('appointment-card');
    await card.getByLabel('Do 5. Dez., 8–10 Uhr').check();
    await card.getByTestId('appointment-confirm').click();
    await card.getByTestId('appointment-confirmed').waitFor();
    await contractor.reload();
    await contractor.getByText('Bestätigt: Do 5. Dez., 8–10 Uhr').waitFor();
    expect(await axeViolations(contractor)).toEqual([]);
    if (shots) await contractor.screenshot({ path: `${shots}/job-slots-confirmed-360.png`, fullPage: true });

    const photo = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 40 } },
    })
      .jpeg()
      .toBuffer();
    await contractor.locator('#job-done-note').fill('Dichtung getauscht, tropft nicht mehr.');
    await contractor
      .locator('#job-done-photos')
      .setInputFiles({ name: 'fertig.jpg', mimeType: 'image/jpeg', buffer: photo });
    await contractor.locator('.job-photo-state').filter({ hasText: 'Hochgeladen' }).waitFor();
    await contractor.getByRole('button', { name: 'Als erledigt melden' }).click();
    await contractor.getByTestId('job-state').filter({ hasText: 'Erledigt' }).waitFor();
    if (shots) await contractor.screenshot({ path: `${shots}/job-done-360.png`, fullPage: true });

    await staff.locator('[data-testid="dispatch-job"][data-state="done"]').waitFor();
    const doneLine = tenant.getByTestId('message-system').filter({ hasText: 'Dichtung getauscht' });
    await doneLine.waitFor();
    await doneLine.locator('img').first().waitFor();
    if (shots) await tenant.screenshot({ path: `${shots}/tenant-done-390.png`, fullPage: true });
    if (shots) await staff.screenshot({ path: `${shots}/staff-done-1440.png`, fullPage: true });
  });
});
