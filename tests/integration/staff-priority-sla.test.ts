import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { insertPushSubscription } from '../../db/repositories/push-subscriptions.ts';
import { addBusinessHours, defaultBusinessHours } from '../../server/services/sla.ts';
import type { StaffTicketDto, TicketDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { emergencyAlerts, notifications, teams, users } = testTables;

/**
 * A priority changed by staff (PATCH, bulk, macro) takes the SLA of the new priority, counted from
 * the ticket's creation as at filing, and a ticket raised to urgent alerts like an emergency filed
 * as one: the on-call person outside business hours, by push and SMS, once per ticket.
 * The demo has no business_hours setting: Mon–Fri 08:00–17:00 Europe/Berlin; damage reports are
 * 1 h / 24 h around the clock when urgent, 24 h / 72 h in business hours otherwise.
 */
describe('priority changes: SLA and emergency alert', async () => {
  // Saturday 2026-03-14 10:00 in Berlin (CET): outside business hours.
  const filedAt = new Date('2026-03-14T09:00:00Z');
  let now = filedAt;
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'admin', 'staffMalmo'], {
    configure: (deps) => (deps.now = () => now),
  });
  let seq = 0;
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;
  let sabine: string;
  // Push and SMS always; mail too, as Sabine's stored choice for staff alerts has it.
  const alerted = ['email:sabine', 'push:sabine', 'sms:sabine'];

  beforeAll(async () => {
    sabine = await userId(DEMO_LOGINS.staff);
    const berlin = (await db.select().from(teams).where(eq(teams.name, 'Kundenservice Berlin')))[0]!.id;
    const admin = { cookie: session.admin };
    const members = await call(app, `/api/staff/admin/teams/${berlin}/members`, {
      method: 'PUT',
      ...admin,
      json: { userIds: [sabine, await userId(DEMO_LOGINS.admin)] },
    });
    expect(members.status).toBe(200);
    // Sabine is on call all weekend: outside business hours she alone is alerted.
    const rota = await call(app, `/api/staff/admin/teams/${berlin}/on-call`, {
      method: 'PUT',
      ...admin,
      json: {
        shifts: [6, 7].map((weekday) => ({
          kind: 'weekly',
          userId: sabine,
          weekday,
          start: '00:00',
          end: '00:00',
        })),
      },
    });
    expect(rota.status).toBe(200);
    await insertPushSubscription(db, {
      userId: sabine,
      endpoint: 'https://fcm.googleapis.com/fcm/send/priority-sla',
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      auth: 'tBHItJI5svbpez7KI4CCXg',
    });
  });

  const fileNormal = async () => {
    now = filedAt;
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'bathroom',
          component: 'water',
          urgency: 'normal',
          permission_to_enter: true,
        },
        description: 'Unter dem Waschbecken tropft es.',
        clientId: `priority-sla-${++seq}`,
      },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: TicketDto };
    expect(ticket.priority).toBe('normal');
    // 24 business hours from the weekend: Wednesday 14:00 CET.
    expect(ticket.firstResponseDueAt).toBe('2026-03-18T13:00:00.000Z');
    return ticket;
  };
  const staffPost = async (path: string, json: unknown, cookie = session.staff, method = 'POST') =>
    call(app, `/api/staff/tickets${path}`, { method, cookie, json });
  const patch = async (id: string, json: unknown, cookie = session.staff) =>
    staffPost(`/${id}`, json, cookie, 'PATCH');
  const patched = async (id: string, json: unknown) => {
    const res = await patch(id, json);
    expect(res.status).toBe(200);
    return ((await res.json()) as { ticket: StaffTicketDto }).ticket;
  };
  const alertRows = async (ticketId: string) =>
    (await db.select().from(notifications).where(eq(notifications.template, 'emergency_alert'))).filter(
      (row) => (row.data as { ticketId?: string }).ticketId === ticketId,
    );
  const channelsTo = async (ticketId: string) =>
    (await alertRows(ticketId))
      .map((row) => `${row.channel}:${row.userId === sabine ? 'sabine' : row.userId}`)
      .sort();

  it('makes a ticket raised to urgent due as an urgent one filed then and alerts the on-call person once', async () => {
    const filed = await fileNormal();
    expect(await alertRows(filed.id)).toEqual([]);
    // Raised an hour and a half later: due one hour after filing (already overdue), not in 24 h.
    now = new Date('2026-03-14T10:30:00Z');
    const raised = await patched(filed.id, { priority: 'urgent' });
    expect(raised.priority).toBe('urgent');
    expect(raised.firstResponseDueAt).toBe('2026-03-14T10:00:00.000Z');
    expect(raised.resolutionDueAt).toBe('2026-03-15T09:00:00.000Z');
    expect(await channelsTo(filed.id)).toEqual(alerted);
    expect(
      (await db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, filed.id)))[0],
    ).toMatchObject({ audience: 'on_call', recipientCount: 1 });

    // Lowered again: business-hour targets again; raised once more: no second alert.
    const lowered = await patched(filed.id, { priority: 'normal' });
    expect(lowered.firstResponseDueAt).toBe('2026-03-18T13:00:00.000Z');
    expect((await patch(filed.id, { priority: 'urgent' })).status).toBe(200);
    expect(await channelsTo(filed.id)).toEqual(alerted);
  });

  it('keeps a first response given in time and the time already waited for the tenant', async () => {
    const filed = await fileNormal();
    const reply = await staffPost(`/${filed.id}/messages`, {
      body: 'Wir schauen uns das an.',
      clientId: `priority-sla-reply-${seq}`,
    });
    expect(reply.status).toBe(201);
    // Waits for the tenant from Monday 09:00 to Monday 12:00 CET: three business hours.
    now = new Date('2026-03-16T08:00:00Z');
    expect((await patch(filed.id, { status: 'waiting_tenant', reason: 'Foto fehlt' })).status).toBe(200);
    now = new Date('2026-03-16T11:00:00Z');
    expect((await patch(filed.id, { status: 'in_progress' })).status).toBe(200);

    const raised = await patched(filed.id, { priority: 'high' });
    // First response stays as it was (given on Saturday, due on Wednesday).
    expect(raised.firstResponseDueAt).toBe('2026-03-18T13:00:00.000Z');
    const lowered = await patched(filed.id, { priority: 'normal' });
    // Back at normal: the due date as filed, moved by the three business hours waited.
    const asFiled = new Date(filed.resolutionDueAt!);
    expect(lowered.resolutionDueAt).toBe(
      addBusinessHours(asFiled, 3, defaultBusinessHours, 'Europe/Berlin').toISOString(),
    );
    expect(new Date(lowered.resolutionDueAt!).getTime() - asFiled.getTime()).toBe(3 * 3_600_000);
    // No alert: it never became urgent.
    expect(await alertRows(filed.id)).toEqual([]);
  });

  it('recomputes and alerts for every ticket of a bulk change and for a macro, once each', async () => {
    const first = await fileNormal();
    const second = await fileNormal();
    const third = await fileNormal();
    now = new Date('2026-03-14T09:20:00Z');
    const bulk = await staffPost('/bulk', { ids: [first.id, second.id], priority: 'urgent' });
    expect(bulk.status).toBe(200);
    const { tickets } = (await bulk.json()) as { tickets: StaffTicketDto[] };
    for (const ticket of tickets) expect(ticket.firstResponseDueAt).toBe('2026-03-14T10:00:00.000Z');
    expect(await channelsTo(first.id)).toEqual(alerted);
    expect(await channelsTo(second.id)).toEqual(alerted);

    const macro = await staffPost(`/${third.id}/macro`, {
      priority: 'urgent',
      assigneeId: sabine,
      message: { body: 'Wir kommen sofort.', clientId: `priority-sla-macro-${seq}` },
    });
    expect(macro.status).toBe(200);
    const { ticket } = (await macro.json()) as { ticket: StaffTicketDto };
    expect(ticket.resolutionDueAt).toBe('2026-03-15T09:00:00.000Z');
    expect(await channelsTo(third.id)).toEqual(alerted);
    // A second bulk change to urgent alerts nobody again.
    expect((await staffPost('/bulk', { ids: [first.id, third.id], priority: 'urgent' })).status).toBe(200);
    expect(await channelsTo(first.id)).toEqual(alerted);
    expect(await channelsTo(third.id)).toEqual(alerted);
  });

  it('changes nothing for a ticket outside the caller’s scope', async () => {
    const filed = await fileNormal();
    expect((await patch(filed.id, { priority: 'urgent' }, session.staffMalmo)).status).toBe(404);
    expect(
      (await staffPost('/bulk', { ids: [filed.id], priority: 'urgent' }, session.staffMalmo)).status,
    ).toBe(404);
    expect(await alertRows(filed.id)).toEqual([]);
    const stored = (await (
      await call(app, `/api/staff/tickets/${filed.id}`, { cookie: session.staff })
    ).json()) as { ticket: StaffTicketDto };
    expect(stored.ticket.priority).toBe('normal');
    expect(stored.ticket.firstResponseDueAt).toBe('2026-03-18T13:00:00.000Z');
  });
});
