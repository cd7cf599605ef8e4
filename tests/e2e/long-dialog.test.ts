import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

const total = 120;
const bodyOf = (index: number) => `Nachricht ${index} im langen Dialog`;

/**
 * A request with a long dialog: the page shows the newest 50 messages, older ones load when the
 * tenant scrolls to the top of the dialog (or presses the button) without moving what is on screen,
 * live messages append once, and the tenant's own new message sends no read mark.
 */
describe('a long dialog in the tenant app', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let tenant: Page;
  let staffApi: APIRequestContext;
  let ticketId = '';
  /** Socket.IO frames the tenant page sent. */
  const sent: string[] = [];

  const messageCount = () => tenant.locator('[data-testid="message-list"] [data-message-id]').count();
  const post = async (api: APIRequestContext, path: string, data: unknown) => {
    const res = await api.post(`${server.url}${path}`, { data, headers: { origin: server.url } });
    expect(res.status(), path).toBeLessThan(300);
    return (await res.json()) as Record<string, { id: string; createdByUserId?: string }>;
  };

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    const tenantContext = await browser.newContext({
      locale: 'de-DE',
      viewport: { width: 390, height: 800 },
    });
    const staffContext = await browser.newContext();
    contexts.push(tenantContext, staffContext);
    staffApi = staffContext.request;
    const staffUser = (
      await post(staffApi, '/api/auth/login', { login: DEMO_LOGINS.staff, password: DEMO_PASSWORD })
    ).user!;

    tenant = await tenantContext.newPage();
    tenant.on('websocket', (socket) => socket.on('framesent', ({ payload }) => sent.push(String(payload))));
    await tenant.goto(`${server.url}/login`);
    await tenant.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await tenant.getByTestId('login-password').fill(DEMO_PASSWORD);
    await tenant.getByTestId('login-submit').click();
    await tenant.getByTestId('home-greeting').waitFor();

    const { ticket } = await post(tenantContext.request, '/api/tickets', {
      type: 'general_correspondence',
      fields: { correspondence_topic: 'other' },
      description: 'Ein Anliegen mit sehr langem Verlauf.',
      clientId: `long-dialog-${randomUUID()}`,
    });
    ticketId = ticket!.id;
    // The dialog of months, written straight into the store: every third message is the landlord's.
    const db = new Database(join(server.dataDir, 'portier.sqlite'));
    const insert = db.prepare(
      `insert into ticket_messages (id, ticket_id, author_user_id, body, visibility, kind, created_at)
       values (?, ?, ?, ?, 'public', 'message', ?)`,
    );
    const start = Date.now() - 2 * total * 60_000;
    db.transaction(() => {
      for (let index = 1; index <= total; index++) {
        const author = index % 3 === 0 ? staffUser.id : ticket!.createdByUserId!;
        insert.run(
          `long${String(index).padStart(4, '0')}${randomUUID().slice(0, 8)}`,
          ticketId,
          author,
          bodyOf(index),
          start + index * 60_000,
        );
      }
    })();
    db.close();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it('opens with the newest 50 messages and loads older ones on scrolling to the top, keeping the place', async () => {
    await tenant.goto(`${server.url}/requests/${ticketId}`);
    await tenant.getByText(bodyOf(total), { exact: true }).waitFor();
    expect(await messageCount()).toBe(50);
    expect(await tenant.getByText(bodyOf(1), { exact: true }).count()).toBe(0);

    // The reader scrolls up to the top of the dialog: the page before loads by itself.
    const oldestShown = tenant.getByText(bodyOf(total - 49), { exact: true });
    await tenant.getByTestId('dialog-older').scrollIntoViewIfNeeded();
    const before = (await oldestShown.boundingBox())!.y;
    await tenant.evaluate(() => window.scrollBy(0, -1));
    await expect.poll(messageCount).toBe(100);
    // What the reader looked at stays where it was; the older messages grew above it.
    await expect
      .poll(async () => Math.abs((await oldestShown.boundingBox())!.y - before))
      .toBeLessThanOrEqual(3);
    expect(await tenant.getByText(bodyOf(total - 50), { exact: true }).count()).toBe(1);
  });

  it('loads the rest with the button (keyboard) down to the first message, each message once', async () => {
    const button = tenant.getByTestId('dialog-load-older');
    await button.focus();
    await tenant.keyboard.press('Enter');
    await tenant.getByText(bodyOf(1), { exact: true }).waitFor();
    expect(await messageCount()).toBe(total);
    await tenant.getByTestId('dialog-older').waitFor({ state: 'detached' });
    const bodies = await tenant.getByTestId('message-body').allTextContents();
    expect(bodies).toEqual(Array.from({ length: total }, (_, index) => bodyOf(index + 1)));
  });

  it('appends a live reply once, and sends no read mark for the tenant’s own message', async () => {
    await tenant.getByTestId('reply-body').fill('Meine eigene neue Nachricht.');
    await tenant.getByTestId('reply-send').click();
    const own = tenant.locator('[data-testid="message"][data-message-id]', {
      hasText: 'Meine eigene neue Nachricht.',
    });
    await own.waitFor();
    const ownId = (await own.getAttribute('data-message-id'))!;

    // A staff reply afterwards: the tenant's page marks it read; frames leave a socket in order.
    const { message } = await post(staffApi, `/api/staff/tickets/${ticketId}/messages`, {
      body: 'Antwort der Hausverwaltung.',
      clientId: `long-dialog-staff-${randomUUID()}`,
    });
    const reply = tenant.locator(`[data-message-id="${message!.id}"]`);
    await reply.waitFor();
    expect(await reply.count()).toBe(1);
    expect(await messageCount()).toBe(total + 2);
    const reads = () => sent.filter((frame) => frame.includes('"read"'));
    await expect.poll(() => reads().some((frame) => frame.includes(message!.id))).toBe(true);
    expect(reads().filter((frame) => frame.includes(ownId))).toEqual([]);
  });
});
