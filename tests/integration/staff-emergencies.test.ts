import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_TENANT_UNIT } from '../../server/demo/demo-constants.ts';
import { insertPushSubscription } from '../../db/repositories/push-subscriptions.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import type { OnCallRotaDto, SlaTableResponse, SlaTypeDto } from '../../shared/api/emergencies.ts';
import type { InboxPage } from '../../shared/api/staff.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { inboxFullScans } from '../helpers/inbox-full-scans.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { emergencyAlerts, notifications, teams, users } = testTables;

/**
 * Emergencies (issue 15 item 6): an emergency answer makes a ticket urgent with its own 24/7 SLA,
 * alerts the team in business hours and only the on-call person outside them (push and SMS, once),
 * and heads the inbox. The demo has no business_hours setting: Mon–Fri 08:00–17:00 Europe/Berlin.
 */
describe('emergencies', async () => {
  // Saturday 2026-03-14 10:00 in Berlin (CET): outside business hours.
  let now = new Date('2026-03-14T09:00:00Z');
  const { app, db, ctx, session } = await staffWorld(['tenant', 'staff', 'admin', 'staffMalmo'], {
    configure: (deps) => (deps.now = () => now),
  });
  let seq = 0;
  /** The demo accounts' user ids, read once after the seed. */
  const userIds = new Map<string, string>();
  const userId = (login: string) => userIds.get(login)!;
  let berlin: string;

  beforeAll(async () => {
    for (const row of await db.select({ id: users.id, login: users.loginEmail }).from(users))
      userIds.set(row.login, row.id);
    berlin = (await db.select().from(teams).where(eq(teams.name, 'Kundenservice Berlin')))[0]!.id;
    // Two members, so "the whole team" and "the person on call" differ.
    const members = await call(app, `/api/staff/admin/teams/${berlin}/members`, {
      method: 'PUT',
      cookie: session.admin,
      json: { userIds: [userId(DEMO_LOGINS.staff), userId(DEMO_LOGINS.admin)] },
    });
    expect(members.status).toBe(200);
    // Both have a device: the alert pushes to it regardless of their stored choices.
    for (const login of [DEMO_LOGINS.staff, DEMO_LOGINS.admin]) {
      await insertPushSubscription(db, {
        userId: userId(login),
        endpoint: `https://fcm.googleapis.com/fcm/send/emergency-${login}`,
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      });
    }
  });

  const report = async (urgency: string, clientId = `emergency-${++seq}`) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'bathroom',
          component: 'water',
          urgency,
          permission_to_enter: true,
        },
        description: 'Wasserrohr geplatzt, Wasser läuft ins Bad.',
        clientId,
      },
    });
    expect([200, 201]).toContain(res.status);
    return { status: res.status, ticket: ((await res.json()) as { ticket: TicketDto }).ticket };
  };
  const alertRows = async (ticketId: string) =>
    (await db.select().from(notifications).where(eq(notifications.template, 'emergency_alert'))).filter(
      (row) => (row.data as { ticketId?: string }).ticketId === ticketId,
    );
  const recipientsOf = (rows: Awaited<ReturnType<typeof alertRows>>, channel: string) =>
    rows
      .filter((row) => row.channel === channel)
      .map((row) => row.userId)
      .sort();
  const putRota = (team: string, body: unknown, cookie = session.admin) =>
    call(app, `/api/staff/admin/teams/${team}/on-call`, { method: 'PUT', cookie, json: body });

  it('lets admins keep a rota per team and refuses bad, foreign and unknown input', async () => {
    const sabine = userId(DEMO_LOGINS.staff);
    const weekendAndNights = {
      shifts: [
        ...[1, 2, 3, 4, 5].map((weekday) => ({
          kind: 'weekly',
          userId: sabine,
          weekday,
          start: '17:00',
          end: '08:00',
        })),
        { kind: 'weekly', userId: sabine, weekday: 6, start: '00:00', end: '00:00' },
        { kind: 'weekly', userId: sabine, weekday: 7, start: '00:00', end: '00:00' },
      ],
    };
    const res = await putRota(berlin, weekendAndNights);
    expect(res.status).toBe(200);
    const { rota } = (await res.json()) as { rota: OnCallRotaDto };
    expect(rota.shifts).toHaveLength(7);
    // Saturday: only Sabine would be alerted now.
    expect(rota.alertsNow).toEqual({ audience: 'on_call', userIds: [sabine] });

    const bad = [
      { shifts: [{ kind: 'weekly', userId: sabine, weekday: 8, start: '17:00', end: '08:00' }] },
      { shifts: [{ kind: 'weekly', userId: sabine, weekday: 1, start: '25:00', end: '08:00' }] },
      { shifts: [{ kind: 'dates', userId: sabine, startDate: '2026-03-20', endDate: '2026-03-19' }] },
      { shifts: [{ kind: 'dates', userId: sabine, startDate: '2026-02-30', endDate: '2026-03-02' }] },
      { shifts: [{ kind: 'nightly', userId: sabine }] },
      { shifts: 'all of them' },
    ];
    for (const body of bad) expect((await putRota(berlin, body)).status).toBe(400);
    // Lars works for Malmö: he cannot be on call for Berlin.
    const foreign = await putRota(berlin, {
      shifts: [
        { kind: 'weekly', userId: userId(DEMO_LOGINS.staffMalmo), weekday: 1, start: '17:00', end: '08:00' },
      ],
    });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      'shifts.0.userId': 'not_team_member',
    });
    expect((await putRota('no-such-team', { shifts: [] })).status).toBe(404);
    expect(
      (await call(app, '/api/staff/admin/teams/no-such-team/on-call', { cookie: session.admin })).status,
    ).toBe(404);
    expect((await putRota(berlin, { shifts: [] }, session.staff)).status).toBe(403);
    expect(
      (await call(app, `/api/staff/admin/teams/${berlin}/on-call`, { cookie: session.staff })).status,
    ).toBe(403);
    // Nothing of the refused attempts was stored.
    const stored = (await (
      await call(app, `/api/staff/admin/teams/${berlin}/on-call`, { cookie: session.admin })
    ).json()) as { rota: OnCallRotaDto };
    expect(stored.rota.shifts).toHaveLength(7);
  });

  it('makes an emergency answer urgent with the 24/7 SLA, a normal one keeps business hours', async () => {
    const emergency = (await report('emergency')).ticket;
    expect(emergency.priority).toBe('urgent');
    // Saturday 10:00: the urgent clock runs through the weekend (1 h / 24 h around the clock).
    expect(emergency.firstResponseDueAt).toBe('2026-03-14T10:00:00.000Z');
    expect(emergency.resolutionDueAt).toBe('2026-03-15T09:00:00.000Z');
    const normal = (await report('normal')).ticket;
    expect(normal.priority).toBe('normal');
    // 24 business hours from the weekend: Mon 9 h + Tue 9 h + Wed 6 h → Wednesday 14:00 CET.
    expect(normal.firstResponseDueAt).toBe('2026-03-18T13:00:00.000Z');
  });

  it('alerts only the on-call person outside business hours, by push and SMS naming building, unit and phone', async () => {
    const { ticket } = await report('emergency');
    const rows = await alertRows(ticket.id);
    const sabine = userId(DEMO_LOGINS.staff);
    expect(recipientsOf(rows, 'push')).toEqual([sabine]);
    expect(recipientsOf(rows, 'sms')).toEqual([sabine]);
    expect(
      (await db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, ticket.id)))[0],
    ).toMatchObject({
      audience: 'on_call',
      recipientCount: 1,
    });

    await drainOutbox(ctx.deps);
    const smsRow = rows.find((row) => row.channel === 'sms')!;
    const sms = readFileSync(join(ctx.dataDir, 'sms', `${smsRow.id}.txt`), 'utf8');
    expect(sms).toContain('To: +49 30 23125 010'); // Sabine's number
    expect(sms).toContain(`${DEMO_TENANT_UNIT.street} ${DEMO_TENANT_UNIT.houseNumber}`);
    expect(sms).toContain(DEMO_TENANT_UNIT.unitNumber);
    expect(sms).toContain('+49 30 23125 102'); // Erika's mobile
    expect(sms).toContain(ticket.number);
    expect(sms).toContain(`/staff/tickets/${ticket.id}`);
  });

  it('alerts the whole team in business hours', async () => {
    now = new Date('2026-03-16T09:30:00Z'); // Monday 10:30 CET
    try {
      const { ticket } = await report('emergency');
      const team = [userId(DEMO_LOGINS.staff), userId(DEMO_LOGINS.admin)].sort();
      expect(recipientsOf(await alertRows(ticket.id), 'sms')).toEqual(team);
      expect(recipientsOf(await alertRows(ticket.id), 'push')).toEqual(team);
      // Monday 10:30: the urgent SLA still counts wall-clock hours.
      expect(ticket.firstResponseDueAt).toBe('2026-03-16T10:30:00.000Z');
    } finally {
      now = new Date('2026-03-14T09:00:00Z');
    }
  });

  it('alerts once per ticket: a retried request and later messages alert nobody again', async () => {
    const first = await report('emergency', 'emergency-retry');
    const before = (await alertRows(first.ticket.id)).length;
    expect(before).toBeGreaterThan(0);
    const again = await report('emergency', 'emergency-retry');
    expect(again.status).toBe(200);
    expect(again.ticket.id).toBe(first.ticket.id);
    const message = await call(app, `/api/tickets/${first.ticket.id}/messages`, {
      cookie: session.tenant,
      json: { body: 'Es wird mehr Wasser!', clientId: 'emergency-retry-message' },
    });
    expect(message.status).toBe(201);
    expect(await alertRows(first.ticket.id)).toHaveLength(before);
    expect(
      await db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, first.ticket.id)),
    ).toHaveLength(1);
  });

  it('heads every inbox view with open urgent tickets and pages across them without gaps', async () => {
    // A newer, non-urgent ticket: by activity alone it would come first.
    now = new Date('2026-03-14T09:30:00Z');
    const later = (await report('normal')).ticket;
    const inbox = async (query: string) => {
      const res = await call(app, `/api/staff/tickets${query}`, { cookie: session.staff });
      expect(res.status).toBe(200);
      return (await res.json()) as InboxPage;
    };
    for (const view of ['all', 'unassigned']) {
      const { tickets } = await inbox(`?view=${view}&limit=200`);
      const firstOther = tickets.findIndex((t) => t.priority !== 'urgent');
      expect(firstOther).toBeGreaterThan(0);
      expect(tickets.slice(firstOther).some((t) => t.priority === 'urgent' && t.status !== 'closed')).toBe(
        false,
      );
      expect(tickets.findIndex((t) => t.id === later.id)).toBe(firstOther);
      // The row carries what the list shows: priority and the SLA due time.
      expect(tickets[0]!.sla.firstResponse.dueAt).toBeTruthy();
    }
    const all = (await inbox('?view=all&limit=200')).tickets.map((t) => t.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await inbox(
        `?view=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.tickets.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    // The urgent tier reads through an index, never the whole table.
    const { plan, fullScans } = await inboxFullScans(
      db,
      'all',
      { buildingIds: null, userId: 'x', now },
      { urgentOpen: true },
    );
    expect(fullScans, plan.join(' | ')).toEqual([]);
  });

  it('lets admins set SLA per type and priority; new tickets follow; bad input is refused', async () => {
    const table = (await (
      await call(app, '/api/staff/admin/sla', { cookie: session.admin })
    ).json()) as SlaTableResponse;
    const damage = table.types.find((type) => type.typeId === 'damage_report')!;
    expect(damage.priorities.urgent).toEqual({ firstResponseHours: 1, resolutionHours: 24, clock: 'always' });
    expect(damage.priorities.normal).toBeNull();

    const put = (typeId: string, body: unknown, cookie = session.admin) =>
      call(app, `/api/staff/admin/sla/${typeId}`, { method: 'PUT', cookie, json: body });
    const priorities = {
      ...damage.priorities,
      urgent: { firstResponseHours: 2, resolutionHours: 12, clock: 'always' },
    };
    const res = await put('damage_report', { priorities });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: SlaTypeDto }).type.priorities.urgent?.firstResponseHours).toBe(2);
    const ticket = (await report('emergency')).ticket;
    expect(ticket.firstResponseDueAt).toBe(new Date(now.getTime() + 2 * 3_600_000).toISOString());
    expect(ticket.resolutionDueAt).toBe(new Date(now.getTime() + 12 * 3_600_000).toISOString());

    const wrong = [
      {
        priorities: {
          ...priorities,
          urgent: { firstResponseHours: 30, resolutionHours: 12, clock: 'always' },
        },
      },
      {
        priorities: {
          ...priorities,
          urgent: { firstResponseHours: 0, resolutionHours: 12, clock: 'always' },
        },
      },
      {
        priorities: {
          ...priorities,
          urgent: { firstResponseHours: 1, resolutionHours: 12, clock: 'sometimes' },
        },
      },
      { priorities: { urgent: null } },
      { priorities: { ...priorities, critical: null } },
    ];
    for (const body of wrong) expect((await put('damage_report', body)).status).toBe(400);
    expect((await put('no_such_type', { priorities })).status).toBe(404);
    expect((await put('damage_report', { priorities }, session.staff)).status).toBe(403);
    expect((await call(app, '/api/staff/admin/sla', { cookie: session.staff })).status).toBe(403);
  });

  it('keeps the alert out of tenants’ notification settings', async () => {
    const res = await call(app, '/api/settings/notifications', { cookie: session.tenant });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).not.toContain('staff_alerts');
    // And no tenant ever received an emergency alert.
    const tenantRows = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, 'emergency_alert'),
          inArray(notifications.userId, [userId(DEMO_LOGINS.tenant)]),
        ),
      );
    expect(tenantRows).toEqual([]);
    expect(readdirSync(join(ctx.dataDir, 'sms')).length).toBeGreaterThan(0);
  });
});
