import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { TicketTypeForm } from '../../shared/ticket-types.ts';

/**
 * A label an admin wrote in the form editor for a shipped field shows wherever the tenant's answers
 * are labelled: the new-request form, the request's own page and the console's case, in the
 * reader's language; a language the admin left empty keeps the built-in label.
 */
describe('form labels written by an admin', () => {
  let server: RunningServer;
  let browser: Browser;

  async function signIn(path: string, login: string, locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}${path}`);
    await page.getByTestId('login-login').fill(login);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
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

  it('shows the admin’s label for a shipped field in the tenant app and the console', async () => {
    const admin = await signIn('/staff/login', DEMO_LOGINS.admin, 'de-DE');
    // The room field relabelled in German and Swedish only; its "bathroom" option in German.
    const status = await admin.evaluate(async () => {
      const list = (await (await fetch('/api/staff/admin/ticket-types')).json()) as {
        ticketTypes: { id: string; form: TicketTypeForm }[];
      };
      const form = list.ticketTypes.find((type) => type.id === 'damage_report')!.form;
      const fields = form.fields.map((field) =>
        field.name === 'room'
          ? {
              ...field,
              label: { de: 'Betroffener Raum', sv: 'Berört rum' },
              optionLabels: { ...field.optionLabels, bathroom: { de: 'Badezimmer mit WC' } },
            }
          : field,
      );
      const res = await fetch('/api/staff/admin/ticket-types/damage_report', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ form: { ...form, fields } }),
      });
      return res.status;
    });
    expect(status).toBe(200);

    for (const [locale, label, option] of [
      ['de-DE', 'Betroffener Raum', 'Badezimmer mit WC'],
      ['en-GB', 'Room', 'Bathroom'],
    ] as const) {
      const tenant = await signIn('/login', DEMO_LOGINS.tenant, locale);
      await tenant.goto(`${server.url}/requests/new`);
      await tenant.getByTestId('type-damage_report').check();
      await tenant.getByTestId('field-location').selectOption('flat');
      await tenant.locator('label[for="field-room"]').waitFor();
      expect(await tenant.locator('label[for="field-room"]').textContent()).toContain(label);
      expect(await tenant.getByTestId('field-room').locator('option').allTextContents()).toContain(option);

      // The request's own page: a damage report of the demo with a room answer.
      const id = await tenant.evaluate(async () => {
        const { tickets } = (await (await fetch('/api/tickets')).json()) as {
          tickets: { id: string; type: string; fields: Record<string, unknown> }[];
        };
        return tickets.find((ticket) => ticket.type === 'damage_report' && ticket.fields.room)?.id;
      });
      expect(id).toBeTruthy();
      await tenant.goto(`${server.url}/requests/${id}`);
      const answers = tenant.getByTestId('request-fields');
      await answers.getByText(label, { exact: true }).waitFor();
      await tenant.context().close();

      if (locale === 'de-DE') {
        await admin.goto(`${server.url}/staff/tickets/${id}`);
        const caseAnswers = admin.getByTestId('ticket-answers');
        await caseAnswers.locator('[data-field="room"] dt', { hasText: label }).waitFor();
      }
    }
    await admin.context().close();
  });
});
