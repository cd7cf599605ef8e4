import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type BrowserContext, type Page } from 'playwright-core';
import { axeViolations } from './helpers/a11y.ts';
import { launchPhoneProfile, type PhoneProfile } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LANDLORD, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

const messages = JSON.parse(readFileSync('shared/i18n/messages/en.json', 'utf8')) as Record<string, string>;
const en = (key: string) => {
  const text = messages[key];
  if (text === undefined) throw new Error(`no message en.${key}`);
  return text;
};

/** Screenshots to look at, outside the repository. */
const shotDir = join(tmpdir(), 'portier-shots');
const shot = (name: string) => join(shotDir, `tenant-emergency-repairs-${name}`);

/** A photo as a phone's camera hands it over (shrinking it on the device needs no network). */
const photo = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 40, g: 90, b: 180 } } })
    .jpeg({ quality: 85 })
    .toBuffer();

async function chooseBurstPipe(page: Page, urgency: string) {
  await page.getByTestId('type-damage_report').check();
  await page.getByTestId('field-location').selectOption('flat');
  await page.getByTestId('field-room').selectOption('bathroom');
  await page.getByTestId('field-component').selectOption('water');
  await page.getByTestId('field-urgency').selectOption(urgency);
  await page.getByTestId('field-permission_to_enter').getByRole('radio').first().check();
}

/** Files the form and answers the "already known" question with "report anyway" if it comes. */
async function submitAnyway(page: Page) {
  await page.getByTestId('request-submit').click();
  const created = page.getByTestId('request-created');
  const anyway = page.getByTestId('report-anyway');
  await created.or(anyway).first().waitFor();
  if (await anyway.isVisible()) await anyway.click();
  await created.waitFor();
}

/**
 * Issue 16 items 4 and 5 on a phone (360 px, a real profile with the service worker): the emergency
 * number before sending, contacts and the new-request form offline after a visit of the home page
 * only, a photo waiting for the network without an error, a visit window problem said at its field,
 * and the dialog as a chat with the staff member's first name and read marks.
 */
describe('emergencies and repairs on the phone', () => {
  let server: RunningServer;
  let profile: PhoneProfile;
  let context: BrowserContext;
  let page: Page;
  const telHref = `tel:${DEMO_LANDLORD.phone.replace(/[^\d+]/g, '')}`;

  beforeAll(async () => {
    mkdirSync(shotDir, { recursive: true });
    server = await startDemoServer();
    profile = await launchPhoneProfile('emergency-repairs');
    context = profile.context;
    page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`${server.url}/login`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
  });
  afterAll(async () => {
    await profile?.close();
    await server?.stop();
  });

  it('after the home page only, offers the form, the emergency number and the contacts offline', async () => {
    // The worker keeps the form's definitions and the contacts once the app started online with a session.
    await expect
      .poll(
        () =>
          page.evaluate(async () =>
            Promise.all(
              ['/api/ticket-types', '/api/contracts', '/api/contacts'].map(
                async (path) => (await caches.match(path)) !== undefined,
              ),
            ),
          ),
        { timeout: 15_000 },
      )
      .toEqual([true, true, true]);

    await context.setOffline(true);
    try {
      await page.goto(`${server.url}/requests/new`);
      await chooseBurstPipe(page, 'normal');
      expect(await page.getByTestId('emergency-call').count()).toBe(0);
      await page.getByTestId('field-urgency').selectOption('emergency');
      // At once, before sending, and from the offline copy of the contacts.
      const call = page.getByTestId('emergency-call-link');
      await call.waitFor();
      expect(await call.getAttribute('href')).toBe(telHref);
      expect(await page.getByTestId('emergency-call').textContent()).toContain(en('emergency_call_heading'));
      expect(await page.locator('a[href="tel:112"]').count()).toBe(1);

      // A photo chosen offline waits for the network: said plainly, no error.
      await page.getByTestId('request-attachments-photos').setInputFiles({
        name: 'pipe.jpg',
        mimeType: 'image/jpeg',
        buffer: await photo(),
      });
      const waiting = page.getByTestId('request-attachments-waiting');
      await waiting.waitFor();
      expect(await waiting.textContent()).toContain(en('req_upload_offline'));
      expect(await page.getByTestId('request-attachments-list').getByRole('alert').count()).toBe(0);
      await page.getByTestId('request-description').fill('Water is pouring through the bathroom ceiling.');
      await page.screenshot({ path: shot('form-offline-emergency.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      await page.getByTestId('request-submit').click();
      await page.getByTestId('request-queued').waitFor();

      await page.goto(`${server.url}/contacts`);
      const contactsCall = page.getByTestId('contacts-emergency-link');
      await contactsCall.waitFor();
      expect(await contactsCall.getAttribute('href')).toBe(telHref);
      expect(await page.getByTestId('offline-as-of').textContent()).not.toBe('');
      await page.screenshot({ path: shot('contacts-offline.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });

  it('sends with an empty visit window row, and says at the field what is wrong with a filled one', async () => {
    await page.goto(`${server.url}/requests/new`);
    await chooseBurstPipe(page, 'normal');
    await page.getByRole('button', { name: en('req_window_add') }).click();
    await page.getByTestId('request-description').fill('The bathroom tap drips.');
    await page.getByRole('button', { name: en('req_window_add') }).click();
    // The second row is filled, with its end before its start.
    const dates = page.locator('input[type="date"]');
    await dates.nth(1).fill('2030-03-04');
    const times = page.locator('input[type="time"]');
    await times.nth(2).fill('12:00');
    await times.nth(3).fill('08:00');
    await page.getByTestId('request-submit').click();

    const problem = page.getByTestId('field-availability-error');
    await problem.waitFor();
    // The empty row is no answer and went; the problem names the row shown, and says what is wrong.
    expect(await dates.count()).toBe(1);
    expect((await problem.textContent())?.trim()).toBe(
      en('req_window_problem').replace('{number}', '1').replace('{problem}', en('validation_invalid_window')),
    );
    // Focus is on the input the problem is about: that row's end.
    expect(
      await page.evaluate(() => {
        const active = document.activeElement as HTMLInputElement | null;
        return { type: active?.type, invalid: active?.getAttribute('aria-invalid'), value: active?.value };
      }),
    ).toEqual({ type: 'time', invalid: 'true', value: '08:00' });
    await page.screenshot({ path: shot('window-problem.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Mended, it is sent.
    await times.nth(1).fill('14:00');
    await submitAnyway(page);
    expect(await page.getByTestId('request-created-title').textContent()).toContain(
      en('ticket_type_damage_report'),
    );
  });

  it('shows the dialog as a chat: the staff member by first name, read marks on the tenant’s messages', async () => {
    await page.getByTestId('request-created-link').click();
    await page.getByTestId('request-detail-number').waitFor();
    const reply = 'I am at home from 4 pm.';
    await page.getByTestId('reply-body').fill(reply);
    await page.getByTestId('reply-send').click();
    const mine = page.locator('[data-testid="message"][data-author="customer"]').filter({ hasText: reply });
    await mine.waitFor();
    expect(await mine.getByTestId('message-receipt').getAttribute('data-read')).toBe('false');

    const api = await request.newContext();
    try {
      const headers = { Origin: server.url };
      const login = await api.post(`${server.url}/api/auth/login`, {
        headers,
        data: { login: DEMO_LOGINS.staff, password: DEMO_PASSWORD },
      });
      expect(login.status()).toBe(200);
      const ticketId = page.url().split('/').at(-1) ?? '';
      const body = 'Our plumber comes tomorrow between 8 and 12.';
      const answer = await api.post(
        `${server.url}/api/staff/tickets/${encodeURIComponent(ticketId)}/messages`,
        { headers, data: { body, clientId: `e2e-staff-${Date.now()}` } },
      );
      expect(answer.status()).toBe(201);
      const staffMessage = page
        .locator('[data-testid="message"][data-author="staff"]')
        .filter({ hasText: body });
      await staffMessage.waitFor();
      await expect
        .poll(async () => (await staffMessage.textContent()) ?? '', { timeout: 10_000 })
        .toContain(en('req_author_staff_named').replace('{name}', 'Sabine'));
      // Answering, staff read the dialog: the tenant's message is marked read.
      await expect
        .poll(() => mine.getByTestId('message-receipt').getAttribute('data-read'), { timeout: 10_000 })
        .toBe('true');
      expect(await mine.getByTestId('message-receipt').textContent()).toContain(en('req_read_mark_read'));
      await page.screenshot({ path: shot('dialog-chat.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await api.dispose();
    }
  });
});
