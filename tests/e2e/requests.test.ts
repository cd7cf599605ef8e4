import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

const messages = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Record<string, string>;
const de = (key: string) => {
  const text = messages[key];
  if (text === undefined) throw new Error(`no message de.${key}`);
  return text;
};

/** A camera-sized JPEG (4000×3000), so the client-side shrink has work to do. */
const photo = () =>
  sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 180, g: 90, b: 40 } } })
    .jpeg({ quality: 90 })
    .toBuffer();

async function signIn(page: Page, url: string, login: string) {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-login').fill(login);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-greeting').waitFor();
}

/**
 * A damage report with a photo, the live dialog and the not-yours case, in the browser. Every case
 * that looks at a request files its own (through the API, as the form would), so each one runs
 * alone and in any order.
 */
describe('requests in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let tenant: BrowserContext;
  let page: Page;

  /** The signed-in tenant's own new request with one photo. */
  async function fileRequest(description: string): Promise<{ id: string; number: string; path: string }> {
    const headers = { Origin: server.url };
    const small = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 180, g: 90, b: 40 } },
    })
      .jpeg()
      .toBuffer();
    const upload = await page.request.post(`${server.url}/api/uploads`, {
      headers,
      multipart: { file: { name: 'kitchen-tap.jpg', mimeType: 'image/jpeg', buffer: small } },
    });
    expect(upload.status()).toBe(201);
    const { attachment } = (await upload.json()) as { attachment: { id: string } };
    const created = await page.request.post(`${server.url}/api/tickets`, {
      headers,
      data: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'kitchen',
          component: 'tap',
          urgency: 'normal',
          permission_to_enter: true,
        },
        description,
        attachmentIds: [attachment.id],
        clientId: `e2e-${randomUUID()}`,
      },
    });
    expect(created.status()).toBe(201);
    const { ticket } = (await created.json()) as { ticket: { id: string; number: string } };
    return { ...ticket, path: `/requests/${encodeURIComponent(ticket.id)}` };
  }

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    tenant = await browser.newContext({ locale: 'de-DE', viewport: { width: 390, height: 844 } });
    page = await tenant.newPage();
    await signIn(page, server.url, DEMO_LOGINS.tenant);
  });
  afterAll(async () => {
    await tenant?.close();
    await browser?.close();
    await server?.stop();
  });

  it('files a damage report with a photo and shows the confirmation with a number', async () => {
    await page.goto(`${server.url}/requests/new`);
    await page.getByTestId('type-damage_report').check();
    await page.getByTestId('field-location').selectOption('flat');
    await page.getByTestId('field-room').selectOption('kitchen');
    await page.getByTestId('field-component').selectOption('tap');
    await page.getByTestId('field-urgency').selectOption('normal');
    await page.getByTestId('field-permission_to_enter').getByRole('radio').first().check();
    await page.getByTestId('request-description').fill('Der Wasserhahn in der Küche tropft seit gestern.');
    await page.getByTestId('request-attachments-photos').setInputFiles({
      name: 'kitchen-tap.jpg',
      mimeType: 'image/jpeg',
      buffer: await photo(),
    });
    await page.locator('[data-testid="request-attachments-item"][data-status="done"]').waitFor();
    expect(await page.locator('[data-testid="request-attachments-item"] img').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('request-submit').click();
    const created = page.getByTestId('request-created');
    await created.waitFor();
    const link = page.getByTestId('request-created-link');
    const ticketNumber = /\d{4}-\d{6}/.exec((await created.textContent()) ?? '')?.[0] ?? '';
    expect(ticketNumber).not.toBe('');
    expect(await link.getAttribute('href')).toMatch(/^\/requests\/[^/]+$/);
    await link.click();
    await page.getByTestId('request-detail-number').waitFor();
    expect(await page.getByTestId('request-detail-number').textContent()).toBe(ticketNumber);
  });

  it('lists a new request in My requests with its status as text, and finds it by its number', async () => {
    const { number: ticketNumber } = await fileRequest('Die Spülmaschine läuft aus.');
    await page.goto(`${server.url}/requests`);
    const item = page.getByTestId('request-item').filter({ hasText: ticketNumber });
    await item.waitFor();
    expect(await item.textContent()).toContain(de('ticket_status_new'));
    // Seed 004: the landlord's incident for the building sits on top of the list.
    expect(await page.getByTestId('incidents').textContent()).toContain(de('incident_heading'));
    expect(await page.getByTestId('incident').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('request-q').fill(ticketNumber);
    await page.getByTestId('request-q').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="request-item"]').length === 1);
    await page.getByTestId('request-link').first().click();
    await page.getByTestId('request-detail-number').waitFor();
    expect(await page.getByTestId('request-detail-number').textContent()).toBe(ticketNumber);
  });

  it('opens a request with the photo thumbnail and keeps a reply once after reload', async () => {
    const { number: ticketNumber, path } = await fileRequest('Der Wasserhahn in der Küche tropft.');
    await page.goto(`${server.url}${path}`);
    await page.getByTestId('request-detail-number').waitFor();
    expect(await page.getByTestId('request-detail-number').textContent()).toBe(ticketNumber);
    const thumbnail = page.getByTestId('attachment-thumbnail');
    await thumbnail.waitFor();
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="attachment-thumbnail"]');
      return image?.complete === true && image.naturalWidth > 0;
    });
    expect(await axeViolations(page)).toEqual([]);

    const reply = 'Ich bin ab 16 Uhr zu Hause.';
    await page.getByTestId('reply-body').fill(reply);
    await page.getByTestId('reply-send').click();
    const mine = page.getByTestId('message-body').filter({ hasText: reply });
    await mine.waitFor();
    expect(await page.getByTestId('message-outgoing').count()).toBe(0);
    await page.reload();
    await page.getByTestId('message-list').waitFor();
    await mine.first().waitFor();
    expect(await mine.count()).toBe(1);
  });

  it('shows a staff reply live, without reload', async () => {
    const { id: ticketId, path } = await fileRequest('Die Haustür schließt nicht mehr.');
    await page.goto(`${server.url}${path}`);
    // A new request has no messages yet: the reply box says the dialog is open.
    await page.getByTestId('reply-body').waitFor();
    const staff = await browser.newContext();
    try {
      const headers = { Origin: server.url };
      const login = await staff.request.post(`${server.url}/api/auth/login`, {
        headers,
        data: { login: DEMO_LOGINS.staff, password: DEMO_PASSWORD },
      });
      expect(login.status()).toBe(200);
      const body = 'Unser Handwerker kommt morgen zwischen 8 und 12 Uhr.';
      const answer = await staff.request.post(
        `${server.url}/api/staff/tickets/${encodeURIComponent(ticketId)}/messages`,
        { headers, data: { body, clientId: `e2e-staff-${Date.now()}` } },
      );
      expect(answer.status()).toBe(201);
      const staffMessage = page
        .locator('[data-testid="message"][data-author="staff"]')
        .filter({ hasText: body });
      await staffMessage.waitFor();
      expect(await staffMessage.textContent()).toContain(de('req_author_staff'));
    } finally {
      await staff.close();
    }
  });

  it('keeps a damage report written offline with its photo and files it once when back online', async () => {
    const marker = `Offline geschrieben ${Date.now()}: Heizkörper im Bad bleibt kalt.`;
    // Online first: the pages' code and the ticket types load now, as they would have on an earlier visit.
    await page.goto(`${server.url}/requests`);
    await page.getByTestId('request-new').click();
    // A client-side navigation to a page whose code loads on demand: the title changes and focus lands
    // on the new page's heading once it is there (screen readers announce it).
    await page.waitForFunction(() => document.activeElement?.matches('#main h1') === true);
    expect(await page.title()).toContain(de('req_new'));
    await page.getByTestId('type-damage_report').check();
    await page.getByTestId('field-location').selectOption('flat');
    await page.getByTestId('field-room').selectOption('kitchen');
    await page.getByTestId('field-component').selectOption('tap');
    await page.getByTestId('field-urgency').selectOption('normal');
    await page.getByTestId('field-permission_to_enter').getByRole('radio').first().check();

    await tenant.setOffline(true);
    try {
      await page.getByTestId('offline-banner').getByText(de('offline_banner_title')).waitFor();
      await page.getByTestId('request-description').fill(marker);
      await page.getByTestId('request-attachments-photos').setInputFiles({
        name: 'heizkoerper.jpg',
        mimeType: 'image/jpeg',
        buffer: await photo(),
      });
      // Shrunk on the device, then the upload fails for want of a network: the photo stays in the draft.
      await page.locator('[data-testid="request-attachments-item"][data-status="failed"]').waitFor();
      await page.getByTestId('request-submit').click();
      const queued = page.getByTestId('request-queued');
      await queued.waitFor();
      expect(await queued.getAttribute('role')).toBe('status');
      expect(await queued.textContent()).toContain(de('req_queued_heading'));

      await queued.getByRole('link', { name: de('req_queued_link') }).click();
      const waiting = page.getByTestId('request-pending').filter({ hasText: marker });
      await waiting.waitFor();
      expect(await waiting.getByTestId('request-waiting').textContent()).toBe(de('req_waiting_to_send'));
    } finally {
      await tenant.setOffline(false);
    }

    // Back online: the queue uploads the photo, files the report, and the list shows the real request.
    await page.getByTestId('request-pending').filter({ hasText: marker }).waitFor({ state: 'detached' });
    const staff = await browser.newContext();
    try {
      const headers = { Origin: server.url };
      const login = await staff.request.post(`${server.url}/api/auth/login`, {
        headers,
        data: { login: DEMO_LOGINS.staff, password: DEMO_PASSWORD },
      });
      expect(login.status()).toBe(200);
      const search = `${server.url}/api/staff/tickets?q=${encodeURIComponent(marker)}`;
      const found = (await (await staff.request.get(search)).json()) as {
        tickets: { id: string; number: string }[];
      };
      expect(found.tickets).toHaveLength(1);
      const ticket = found.tickets[0]!;
      const workspace = (await (
        await staff.request.get(`${server.url}/api/staff/tickets/${encodeURIComponent(ticket.id)}`)
      ).json()) as { attachments: { mime: string }[] };
      expect(workspace.attachments).toHaveLength(1);
      expect(workspace.attachments[0]?.mime).toMatch(/^image\//);
      await page.getByTestId('request-item').filter({ hasText: ticket.number }).waitFor();
    } finally {
      await staff.close();
    }
  });

  it('keeps a reply written offline and sends it once when back online', async () => {
    const { path } = await fileRequest('Im Bad fällt eine Fliese ab.');
    await page.goto(`${server.url}${path}`);
    await page.getByTestId('reply-body').waitFor();
    const reply = `Offline geantwortet ${Date.now()}`;
    await tenant.setOffline(true);
    try {
      await page.getByTestId('offline-banner').getByText(de('offline_banner_title')).waitFor();
      await page.getByTestId('reply-body').fill(reply);
      await page.getByTestId('reply-send').click();
      const waiting = page.getByTestId('message-outgoing').filter({ hasText: reply });
      await waiting.getByTestId('message-waiting').waitFor();
    } finally {
      await tenant.setOffline(false);
    }
    const sent = page.getByTestId('message-body').filter({ hasText: reply });
    await sent.waitFor();
    await page.getByTestId('message-outgoing').filter({ hasText: reply }).waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('message-list').waitFor();
    await sent.first().waitFor();
    expect(await sent.count()).toBe(1);
  });

  it('shows the notice board with pinned notices first and unread markers', async () => {
    await page.goto(`${server.url}/notices`);
    await page.getByTestId('notice').first().waitFor();
    expect(await page.getByTestId('notice').first().getByTestId('notice-pinned').count()).toBe(1);
    expect(await page.getByTestId('notice-unread').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('explains to a read-only household member why there is no form', async () => {
    const member = await browser.newContext({ locale: 'de-DE' });
    try {
      const other = await member.newPage();
      await signIn(other, server.url, DEMO_LOGINS.householdMember);
      await other.goto(`${server.url}/requests/new`);
      await other.getByTestId('request-read-only').waitFor();
      expect(await other.getByTestId('request-submit').count()).toBe(0);
    } finally {
      await member.close();
    }
  });

  it("answers the neighbour's look at the tenant's request with not found", async () => {
    const { path } = await fileRequest('Der Briefkasten klemmt.');
    const neighbour = await browser.newContext({ locale: 'de-DE' });
    try {
      const other = await neighbour.newPage();
      await signIn(other, server.url, DEMO_LOGINS.neighbour);
      await other.goto(`${server.url}${path}`);
      const alert = other.getByRole('alert').filter({ hasText: de('error_not_found') });
      await alert.waitFor();
      expect(await other.getByTestId('request-detail-number').count()).toBe(0);
    } finally {
      await neighbour.close();
    }
  });
});
