import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TENANT_UNIT } from '../../server/demo/demo-constants.ts';
import { findPushSubscriptionByEndpoint } from '../../db/repositories/push-subscriptions.ts';
import type { DeclarativePushMessage } from '../../shared/api/push.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { localPushServiceConfig, startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.ts';
import { testTables } from '../helpers/tables.ts';

/**
 * Push on a staff member's own device: the console subscribes the browser through the same
 * `/api/push/subscriptions` as the tenant app, and an emergency alert reaches that subscription.
 */
describe('push on a staff device', async () => {
  const { teams, users } = testTables;
  const ctx = await createTestWorld(localPushServiceConfig);
  // Monday 10:30 in Berlin: in business hours the whole team is alerted.
  ctx.deps.now = () => new Date('2026-03-16T09:30:00Z');
  const app = createApp(ctx.deps);
  const { db } = ctx.deps;
  const session: Record<string, string> = {};
  let endpoint: PushEndpoint;
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;

  beforeAll(async () => {
    endpoint = await startPushEndpoint();
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'staff', 'admin'] as const)
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    const berlin = (await db.select().from(teams).where(eq(teams.name, 'Kundenservice Berlin')))[0]!.id;
    const members = await call(app, `/api/staff/admin/teams/${berlin}/members`, {
      method: 'PUT',
      cookie: session.admin,
      json: { userIds: [await userId(DEMO_LOGINS.staff)] },
    });
    expect(members.status).toBe(200);
  });
  afterAll(async () => {
    await endpoint.close();
    await ctx.close();
  });

  it('lets a staff session subscribe its browser and sends an on-call alert there', async () => {
    const key = await call(app, '/api/push/public-key', { cookie: session.staff });
    expect(key.status).toBe(200);
    const desk = endpoint.subscription('/staff-desk');
    const subscribed = await call(app, '/api/push/subscriptions', {
      cookie: session.staff,
      json: { endpoint: desk.endpoint, expirationTime: null, keys: desk.keys },
    });
    expect(subscribed.status).toBe(201);
    expect((await findPushSubscriptionByEndpoint(db, desk.endpoint))?.userId).toBe(
      await userId(DEMO_LOGINS.staff),
    );

    const filed = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'bathroom',
          component: 'water',
          urgency: 'emergency',
          permission_to_enter: true,
        },
        description: 'Wasserrohr geplatzt.',
        clientId: 'staff-push-emergency',
      },
    });
    expect(filed.status).toBe(201);
    const { ticket } = (await filed.json()) as { ticket: TicketDto };

    await drainOutbox(ctx.deps);
    const delivered = endpoint.received.filter((push) => push.path === '/staff-desk');
    expect(delivered).toHaveLength(1);
    const message = JSON.parse(desk.decrypt(delivered[0]!.body)) as DeclarativePushMessage;
    expect(message.notification.navigate).toBe(`http://portier.test/staff/tickets/${ticket.id}`);
    expect(`${message.notification.title} ${message.notification.body ?? ''}`).toContain(
      DEMO_TENANT_UNIT.unitNumber,
    );
  });

  it('lets the staff member turn push off on the device again', async () => {
    const desk = endpoint.subscription('/staff-desk-2');
    const body = { endpoint: desk.endpoint, expirationTime: null, keys: desk.keys };
    expect((await call(app, '/api/push/subscriptions', { cookie: session.staff, json: body })).status).toBe(
      201,
    );
    const off = await call(app, '/api/push/subscriptions', {
      method: 'DELETE',
      cookie: session.staff,
      json: { endpoint: desk.endpoint },
    });
    expect(off.status).toBe(204);
    expect(await findPushSubscriptionByEndpoint(db, desk.endpoint)).toBeUndefined();
  });
});
