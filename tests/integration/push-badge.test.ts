import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { DeclarativePushMessage } from '../../shared/api/push.ts';
import type { HomeResponse } from '../../shared/api/home.ts';
import type { DocumentListResponse } from '../../shared/api/documents.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { ack, connected, liveSocket, startLiveServer, type LiveServer } from '../helpers/live.ts';
import {
  localPushServiceConfig,
  startPushEndpoint,
  type PushEndpoint,
  type TestSubscription,
} from '../helpers/push-endpoint.ts';

interface TicketDetail {
  ticket: { id: string };
  messages: { id: string }[];
}

/**
 * Issue 6 item 3 "app badge count": the push carries `app_badge` = requests with an unread staff
 * reply + unopened documents + unread important notices (server/notify/badge.ts), counted when the
 * worker sends, and the count drops once the tenant opens what was waiting.
 */
describe('app_badge in pushes', () => {
  let ctx: TestWorld;
  let app: App;
  let live: LiveServer;
  let endpoint: PushEndpoint;
  let phone: TestSubscription;
  let erika: string;
  let staff: string;

  const get = async <T>(path: string, cookie = erika) =>
    (await (await call(app, path, { cookie })).json()) as T;
  const homeBadge = async () => (await get<HomeResponse>('/api/home')).appBadge;

  /** Everything due goes out; returns the decrypted pushes that reached Erika's phone. */
  async function delivered(): Promise<DeclarativePushMessage[]> {
    await drainOutbox(ctx.deps);
    return endpoint.received
      .filter((r) => r.path === new URL(phone.endpoint).pathname)
      .map((r) => JSON.parse(phone.decrypt(r.body)) as DeclarativePushMessage);
  }

  async function testPushBadge(): Promise<number | undefined> {
    expect((await call(app, '/api/push/test', { cookie: erika, method: 'POST' })).status).toBe(202);
    const pushes = await delivered();
    expect(pushes).toHaveLength(1);
    return pushes[0]!.app_badge;
  }

  /** The tenant app's read mark: the socket `read` event the request page sends when shown. */
  async function readTicket(ticketId: string): Promise<void> {
    const { messages } = await get<TicketDetail>(`/api/tickets/${ticketId}`);
    const last = messages.at(-1);
    if (!last) return;
    const socket = liveSocket(live.url, { token: erika });
    try {
      await connected(socket);
      expect(await ack(socket, 'read', { ticketId, messageId: last.id })).toEqual({ ok: true });
    } finally {
      socket.disconnect();
    }
  }

  beforeAll(async () => {
    ctx = await createTestWorld(localPushServiceConfig);
    await seedDemo(ctx.deps);
    app = createApp(ctx.deps);
    live = await startLiveServer(ctx.deps);
    endpoint = await startPushEndpoint();
    erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    phone = endpoint.subscription('/erika-phone');
    const subscribed = await call(app, '/api/push/subscriptions', {
      cookie: erika,
      json: { endpoint: phone.endpoint, keys: phone.keys },
    });
    expect(subscribed.status).toBe(201);
    await drainOutbox(ctx.deps); // whatever the seed queued is not this test's business
    // A known start: every request read, so the badge is documents + important notices exactly.
    const { tickets } = await get<{ tickets: { id: string }[] }>('/api/tickets');
    for (const ticket of tickets) await readTicket(ticket.id);
  });
  afterAll(async () => {
    await live?.close();
    await endpoint?.close();
    await ctx?.close();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
  });

  it('counts unopened documents and unread important notices, as GET /api/home does', async () => {
    const { documents } = await get<DocumentListResponse>('/api/documents');
    const { notices } = await get<{ notices: { important: boolean; read: boolean }[] }>('/api/notices');
    const unopened = documents.filter((d) => !d.read).length;
    const importantUnread = notices.filter((n) => n.important && !n.read).length;
    expect(unopened).toBeGreaterThan(1);
    expect(importantUnread).toBeGreaterThan(0);

    expect(await testPushBadge()).toBe(unopened + importantUnread);
    expect(await homeBadge()).toBe(unopened + importantUnread);
  });

  it('rises with a staff reply and drops when the tenant reads it', async () => {
    const before = await homeBadge();
    const created = await call(app, '/api/tickets', {
      cookie: erika,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Where do I put the bulky waste?',
        clientId: 'badge-test-ticket-1',
      },
    });
    expect(created.status).toBe(201);
    const { ticket } = (await created.json()) as { ticket: { id: string } };
    const reply = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      cookie: staff,
      json: { body: 'In the yard on Thursdays.', clientId: 'badge-test-reply-1' },
    });
    expect(reply.status).toBe(201);

    // The reply's own push already counts the reply it announces.
    const pushes = await delivered();
    const replyPush = pushes.find((p) => p.notification.navigate.endsWith(`/requests/${ticket.id}`));
    expect(replyPush?.app_badge).toBe(before + 1);
    expect(await homeBadge()).toBe(before + 1);

    await readTicket(ticket.id);
    expect(await homeBadge()).toBe(before);
    endpoint.received.length = 0;
    expect(await testPushBadge()).toBe(before);
  });

  it('is counted when the worker sends, so a document opened meanwhile is already off', async () => {
    const before = await homeBadge();
    const { documents } = await get<DocumentListResponse>('/api/documents');
    const [first, second] = documents.filter((d) => !d.read);
    expect((await call(app, `/api/documents/${first!.id}/file`, { cookie: erika })).status).toBe(200);
    expect(await testPushBadge()).toBe(before - 1);

    endpoint.received.length = 0;
    expect((await call(app, '/api/push/test', { cookie: erika, method: 'POST' })).status).toBe(202);
    // Queued above; opened before the worker runs: the push says the newer, lower count.
    expect((await call(app, `/api/documents/${second!.id}/file`, { cookie: erika })).status).toBe(200);
    const pushes = await delivered();
    expect(pushes.map((p) => p.app_badge)).toEqual([before - 2]);
    expect(await homeBadge()).toBe(before - 2);
  });

  it('leaves the badge out of pushes to staff', async () => {
    const staffPhone = endpoint.subscription('/staff-phone');
    await call(app, '/api/push/subscriptions', {
      cookie: staff,
      json: { endpoint: staffPhone.endpoint, keys: staffPhone.keys },
    });
    expect((await call(app, '/api/push/test', { cookie: staff, method: 'POST' })).status).toBe(202);
    await drainOutbox(ctx.deps);
    const received = endpoint.received.find((r) => r.path === '/staff-phone');
    const message = JSON.parse(staffPhone.decrypt(received!.body)) as DeclarativePushMessage;
    expect(message.notification.title).toBeTruthy();
    expect(message).not.toHaveProperty('app_badge');
  });
});
