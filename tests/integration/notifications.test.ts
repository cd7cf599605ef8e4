import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { inTransaction } from '../../db/transaction.ts';
import { findAccountByLoginEmail, updateUser, type Account } from '../../db/repositories/users.ts';
import { updatePersonContact } from '../../db/repositories/persons.ts';
import { listContractPlacementsOfPerson } from '../../db/repositories/access.ts';
import { listNotificationsOfUser, type NotificationRow } from '../../db/repositories/notifications.ts';
import { notifyIncident, notifyNotice } from '../../server/notify/domain.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs, readLatestMail } from '../helpers/auth.ts';
import { localPushServiceConfig, startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.ts';

const damage = {
  type: 'damage_report',
  fields: {
    location: 'flat',
    room: 'kitchen',
    component: 'tap',
    urgency: 'normal',
    permission_to_enter: true,
  },
  description: 'Der Wasserhahn in der Küche tropft.',
};

describe('notifications from the domain', async () => {
  const ctx = await createTestWorld(localPushServiceConfig);
  const app = createApp(ctx.deps);
  const session: Record<string, string> = {};
  let tenant: Account;
  let member: Account;
  let endpoint: PushEndpoint;
  let clientIds = 0;
  afterAll(async () => {
    await endpoint.close();
    await ctx.close();
  });
  beforeAll(async () => {
    endpoint = await startPushEndpoint();
    await seedDemo(ctx.deps);
    await drainOutbox(ctx.deps);
    for (const who of ['tenant', 'householdMember', 'staff'] as const)
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    tenant = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!;
    member = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.householdMember))!;
    await updateUser(ctx.deps.db, tenant.user.id, { language: 'en' });
  });

  const rowsOf = async (account: Account, template: string): Promise<NotificationRow[]> =>
    (await listNotificationsOfUser(ctx.deps.db, account.user.id)).filter((row) => row.template === template);

  const fileTicket = async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: { ...damage, clientId: `notify-ticket-${++clientIds}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
  };

  const staffMessage = (ticketId: string, body: string, internal = false) =>
    call(app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.staff,
      json: { body, internal, clientId: `notify-staff-${++clientIds}` },
    });

  it('mails the ticket confirmation in the recipient language with a deep link to the request', async () => {
    const ticket = await fileTicket();
    const mail = await readLatestMail(ctx, DEMO_LOGINS.tenant);
    expect(mail.subject).toBe(`Your request ${ticket.number} was received`);
    expect(mail.text).toContain(`http://portier.test/requests/${ticket.id}`);
    expect(mail.text).toMatch(/^Message-ID: <notification-[a-z0-9]+@portier\.test>/m);
    expect((await rowsOf(tenant, 'ticket_received')).map((row) => row.channel)).toEqual(['email']);
  });

  it('tells the tenant of a status change made in the staff console', async () => {
    const ticket = await fileTicket();
    const before = (await rowsOf(tenant, 'ticket_status')).length;
    const res = await call(app, `/api/staff/tickets/${ticket.id}`, {
      cookie: session.staff,
      method: 'PATCH',
      json: { status: 'in_progress', reason: 'Technician ordered' },
    });
    expect(res.status).toBe(200);
    const rows = await rowsOf(tenant, 'ticket_status');
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)!.data).toMatchObject({ ticketId: ticket.id, status: 'in_progress' });
  });

  it('mails every public staff reply to the household, never an internal note', async () => {
    const ticket = await fileTicket();
    const secret = 'Interne Notiz: Mieterin wirkt unzuverlässig.';
    expect((await staffMessage(ticket.id, secret, true)).status).toBe(201);
    expect((await staffMessage(ticket.id, 'Der Installateur kommt am Dienstag.')).status).toBe(201);
    await drainOutbox(ctx.deps);

    const replies = (await rowsOf(tenant, 'ticket_reply')).filter((row) => row.data.ticketId === ticket.id);
    expect(replies.map((row) => row.channel)).toEqual(['email']);
    expect(JSON.stringify(replies)).not.toContain('Interne Notiz');
    const memberReplies = (await rowsOf(member, 'ticket_reply')).filter(
      (row) => row.data.ticketId === ticket.id,
    );
    expect(memberReplies).toHaveLength(1);
    expect(memberReplies[0]!.language).toBe(member.user.language);

    const mail = await readLatestMail(ctx, DEMO_LOGINS.tenant);
    expect(mail.subject).toBe(`New reply to your request ${ticket.number}`);
    expect(mail.text).toContain('Der Installateur kommt am Dienstag.');
    expect(mail.text).toContain(`http://portier.test/requests/${ticket.id}`);
    const everything = readdirSync(join(ctx.dataDir, 'mail'))
      .map((file) => readFileSync(join(ctx.dataDir, 'mail', file), 'utf8'))
      .join('\n');
    expect(everything).not.toContain('unzuverl');
  });

  it("follows each user's channel choice per category", async () => {
    const sub = endpoint.subscription('/tenant-phone');
    expect(
      (
        await call(app, '/api/push/subscriptions', {
          cookie: session.tenant,
          json: { endpoint: sub.endpoint, keys: sub.keys },
        })
      ).status,
    ).toBe(201);
    const current = (await (
      await call(app, '/api/settings/notifications', { cookie: session.tenant })
    ).json()) as {
      preferences: Record<string, Record<string, boolean>>;
    };
    const preferences = {
      ...current.preferences,
      ticket_replies: { email: false, push: true, sms: false, post: false },
    };
    expect(
      (
        await call(app, '/api/settings/notifications', {
          method: 'PUT',
          cookie: session.tenant,
          json: { preferences },
        })
      ).status,
    ).toBe(200);

    const ticket = await fileTicket();
    expect((await staffMessage(ticket.id, 'Bitte schicken Sie uns ein Foto.')).status).toBe(201);
    const replies = (await rowsOf(tenant, 'ticket_reply')).filter((row) => row.data.ticketId === ticket.id);
    expect(replies.map((row) => row.channel)).toEqual(['push']);
    // The confirmation follows the e-mail choice of the category as well.
    expect(
      (await rowsOf(tenant, 'ticket_received')).filter((row) => row.data.ticketId === ticket.id),
    ).toEqual([]);

    endpoint.received.length = 0;
    await drainOutbox(ctx.deps);
    const [push] = endpoint.received;
    const message = JSON.parse(sub.decrypt(push!.body)) as {
      notification: { navigate: string; lang: string };
    };
    expect(message.notification).toMatchObject({
      navigate: `http://portier.test/requests/${ticket.id}`,
      lang: 'en',
    });
  });

  const buildingOfTenant = async () =>
    (await listContractPlacementsOfPerson(ctx.deps.db, tenant.user.personId))[0]!.buildingId;

  const choose = async (category: string, channels: Record<string, boolean>) => {
    const current = (await (
      await call(app, '/api/settings/notifications', { cookie: session.tenant })
    ).json()) as {
      preferences: Record<string, Record<string, boolean>>;
    };
    const res = await call(app, '/api/settings/notifications', {
      method: 'PUT',
      cookie: session.tenant,
      json: { preferences: { ...current.preferences, [category]: channels } },
    });
    expect(res.status).toBe(200);
  };

  it('pushes normal notices at most once an hour per user; e-mail every time, important ones always', async () => {
    await choose('notices', { email: true, push: true, sms: false, post: false });
    let now = new Date('2026-06-01T08:00:00Z');
    const post = async (important: boolean, n: number) =>
      await inTransaction(
        ctx.deps.db,
        async (tx) =>
          await notifyNotice(tx, {
            notice: { id: `notice-${n}`, title: `Aushang ${n}`, body: 'Text', important },
            scope: { buildingIds: [await buildingOfTenant()] },
            now,
          }),
      );
    const channelsOf = async (n: number) =>
      (await rowsOf(tenant, 'notice_published'))
        .filter((row) => row.data.noticeId === `notice-${n}`)
        .map((row) => row.channel)
        .sort();
    await post(false, 1);
    now = new Date(now.getTime() + 20 * 60_000);
    await post(false, 2);
    await post(true, 3);
    now = new Date(now.getTime() + 61 * 60_000);
    await post(false, 4);
    expect(await channelsOf(1)).toEqual(['email', 'push']);
    expect(await channelsOf(2)).toEqual(['email']);
    expect(await channelsOf(3)).toEqual(['email', 'push']);
    expect(await channelsOf(4)).toEqual(['email', 'push']);
  });

  it('texts and pushes an emergency incident whatever the choices; a planned one follows them', async () => {
    await updatePersonContact(ctx.deps.db, tenant.user.personId, { mobile: '+491701234567' }, new Date());
    await choose('incidents', { email: false, push: false, sms: false, post: false });
    const publish = async (kind: 'planned' | 'emergency') =>
      await inTransaction(
        ctx.deps.db,
        async (tx) =>
          await notifyIncident(tx, {
            incident: {
              id: `incident-${kind}`,
              title: 'Wasser abgestellt',
              body: 'Rohrbruch im Keller.',
              kind,
            },
            scope: { buildingIds: [await buildingOfTenant()] },
            now: new Date(),
          }),
      );
    await publish('planned');
    await publish('emergency');
    const channels = async (kind: string) =>
      (await rowsOf(tenant, 'incident_published'))
        .filter((row) => row.data.incidentId === `incident-${kind}`)
        .map((row) => row.channel)
        .sort();
    expect(await channels('planned')).toEqual([]);
    expect(await channels('emergency')).toEqual(['push', 'sms']);

    await drainOutbox(ctx.deps);
    const sms = (await rowsOf(tenant, 'incident_published')).find((row) => row.channel === 'sms')!;
    const text = readFileSync(join(ctx.dataDir, 'sms', `${sms.id}.txt`), 'utf8');
    expect(text).toContain('To: +491701234567');
    expect(text).toContain('Outage in your building: Wasser abgestellt');
    expect(text).toContain('http://portier.test/requests');
  });
});
