import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { testTables } from '../helpers/tables.ts';
import { insertContractor } from '../../db/repositories/contractors.ts';
import { listNotificationsOfUser } from '../../db/repositories/notifications.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { issueJobLink } from '../../server/services/repairs/job-link.ts';
import {
  proposeSlotsByContractor,
  queueAppointmentReminders,
} from '../../server/services/repairs/appointments.ts';
import type { AppointmentAnswer, AppointmentDto } from '../../shared/api/appointments.ts';
import { call, listMails } from '../helpers/auth.ts';
import { LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { appointments } = testTables;

/**
 * Issue 20 item 1: staff propose one to three slots inside the tenant's windows (or outside by an
 * explicit choice), the tenant confirms one and gets a calendar invitation, asks to move it, staff
 * cancel it; a reminder goes out once the day before; everyone sees every step live.
 */
// The demo seed and six sign-ins take a while on a busy machine.
vi.setConfig({ hookTimeout: 120_000 });

describe('repair appointments', async () => {
  // Tuesday 1 December 2026, 10:00 in Berlin.
  let clock = new Date('2026-12-01T09:00:00Z');
  const { ctx, app, db, session } = await staffWorld(
    ['tenant', 'neighbour', 'householdMember', 'staff', 'staffMalmo', 'admin'],
    { configure: (deps) => (deps.now = () => clock) },
  );
  let seq = 0;

  /** A dripping tap with one window: Thursday 3 December, 08:00–12:00 Berlin (07:00–11:00 UTC). */
  const fileTicket = async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'kitchen',
          component: 'tap',
          urgency: 'normal',
          permission_to_enter: true,
          availability: [{ date: '2026-12-03', from: '08:00', to: '12:00' }],
        },
        description: 'Der Wasserhahn in der Küche tropft.',
        clientId: `appointment-${++seq}-xxxx`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
  };
  const contractor = async () =>
    (
      await insertContractor(db, {
        name: 'Firma Muster Sanitär',
        language: 'de',
        active: true,
        createdAt: clock,
        updatedAt: clock,
      })
    ).id;

  const propose = (ticketId: string, json: unknown, cookie = session.staff) =>
    call(app, `/api/staff/tickets/${ticketId}/appointment`, { cookie, json });
  const inWindow = [
    { start: '2026-12-03T07:00:00Z', end: '2026-12-03T09:00:00Z' },
    { start: '2026-12-03T09:00:00Z', end: '2026-12-03T11:00:00Z' },
  ];
  const appointmentOf = async (ticketId: string, cookie = session.tenant) => {
    const res = await call(app, `/api/tickets/${ticketId}/appointment`, { cookie });
    expect(res.status).toBe(200);
    return (await res.json()) as AppointmentAnswer;
  };
  const errorOf = async (res: Response) => [
    res.status,
    ((await res.json()) as { error: { code: string } }).error.code,
  ];
  const userId = async (login: string) => (await findAccountByLoginEmail(db, login))!.user.id;

  it('refuses slots outside the windows unless staff choose so, and replaces an open proposal', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticket = await fileTicket();
    const outside = [{ start: '2026-12-03T13:00:00Z', end: '2026-12-03T15:00:00Z' }];
    expect(await errorOf(await propose(ticket.id, { slots: outside }))).toEqual([400, 'outside_windows']);
    expect(await errorOf(await propose(ticket.id, { slots: [] }))).toEqual([400, 'validation_failed']);
    expect(await errorOf(await propose(ticket.id, { slots: [...inWindow, ...inWindow] }))).toEqual([
      400,
      'validation_failed',
    ]);
    const past = [{ start: '2026-11-30T07:00:00Z', end: '2026-11-30T09:00:00Z' }];
    expect(await errorOf(await propose(ticket.id, { slots: past, outsideWindows: true }))).toEqual([
      400,
      'slot_in_past',
    ]);
    expect(
      await errorOf(await propose(ticket.id, { slots: inWindow, contractorId: 'no-such-contractor' })),
    ).toEqual([400, 'unknown_contractor']);

    const forced = await propose(ticket.id, { slots: outside, outsideWindows: true });
    expect(forced.status).toBe(201);
    const first = ((await forced.json()) as { appointment: AppointmentDto }).appointment;
    expect(first).toMatchObject({ state: 'proposed', outsideWindows: true });

    const res = await propose(ticket.id, { slots: inWindow, contractorId: await contractor() });
    expect(res.status).toBe(201);
    const { appointment } = await appointmentOf(ticket.id);
    expect(appointment).toMatchObject({ state: 'proposed', contractorName: 'Firma Muster Sanitär' });
    expect(appointment!.id).not.toBe(first.id);
    expect(appointment!.slots.map((slot) => slot.start)).toEqual([
      '2026-12-03T07:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
    ]);
    const old = (await db.select().from(appointments).where(eq(appointments.id, first.id)))[0]!;
    expect(old.state).toBe('cancelled');
    expect(
      (await db.select().from(appointments).where(eq(appointments.id, appointment!.id)))[0]!.sequence,
    ).toBe(1);

    // The tenant hears of the proposal; the dialog has its line on the building's clock.
    const rows = (await listNotificationsOfUser(db, await userId(DEMO_LOGINS.tenant))).filter(
      (row) => row.template === 'appointment_proposed',
    );
    expect(rows.length).toBeGreaterThan(0);
    const detail = (await (
      await call(app, `/api/tickets/${ticket.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: { body: string }[];
    };
    expect(detail.messages.map((message) => message.body)).toContainEqual(
      expect.stringContaining('Do 3. Dez., 8–10 Uhr · Do 3. Dez., 10–12 Uhr'),
    );
  });

  it("answers 404 for someone else's ticket on every route, 403 to a read-only member", async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticket = await fileTicket();
    expect((await propose(ticket.id, { slots: inWindow })).status).toBe(201);
    const { appointment } = await appointmentOf(ticket.id);
    const slotId = appointment!.slots[0]!.id;
    const tenantRoutes = (id: string) =>
      [
        [`/api/tickets/${id}/appointment`, undefined],
        [`/api/tickets/${id}/appointment.ics`, undefined],
        [`/api/tickets/${id}/appointment/confirm`, { slotId }],
        [`/api/tickets/${id}/appointment/move`, { reason: 'Bin verreist' }],
      ] as const;
    for (const [path, json] of tenantRoutes(ticket.id)) {
      const res = await call(app, path, { cookie: session.neighbour, ...(json && { json }) });
      expect([path, res.status]).toEqual([path, 404]);
    }
    for (const [path, json] of tenantRoutes('no-such-ticket')) {
      const res = await call(app, path, { cookie: session.tenant, ...(json && { json }) });
      expect([path, res.status]).toEqual([path, 404]);
    }
    const staffRoutes = [
      { method: 'GET', json: undefined },
      { method: 'POST', json: { slots: inWindow } },
      { method: 'DELETE', json: { reason: 'Handwerker krank' } },
    ];
    for (const { method, json } of staffRoutes) {
      const foreign = await call(app, `/api/staff/tickets/${ticket.id}/appointment`, {
        method,
        cookie: session.staffMalmo,
        ...(json && { json }),
      });
      expect([method, foreign.status]).toEqual([method, 404]);
      const missing = await call(app, '/api/staff/tickets/no-such-ticket/appointment', {
        method,
        cookie: session.staff,
        ...(json && { json }),
      });
      expect([method, missing.status]).toEqual([method, 404]);
      const tenant = await call(app, `/api/staff/tickets/${ticket.id}/appointment`, {
        method,
        cookie: session.tenant,
        ...(json && { json }),
      });
      expect([method, tenant.status]).toEqual([method, 403]);
    }

    // Jonas reads the household's appointment but may not answer it (seed 003 `read`).
    const seen = await appointmentOf(ticket.id, session.householdMember);
    expect(seen.appointment?.id).toBe(appointment!.id);
    expect(seen.canAnswer).toBe(false);
    expect((await appointmentOf(ticket.id)).canAnswer).toBe(true);
    for (const [path, json] of tenantRoutes(ticket.id).slice(2)) {
      const res = await call(app, path, { cookie: session.householdMember, json });
      expect([path, ...(await errorOf(res))]).toEqual([path, 403, 'read_only']);
    }
    // Bad input is a 4xx.
    const badSlot = await call(app, `/api/tickets/${ticket.id}/appointment/confirm`, {
      cookie: session.tenant,
      json: { slotId: 'nope' },
    });
    expect(await errorOf(badSlot)).toEqual([400, 'unknown_slot']);
    const noReason = await call(app, `/api/tickets/${ticket.id}/appointment/move`, {
      cookie: session.tenant,
      json: { reason: '   ' },
    });
    expect(noReason.status).toBe(400);
    expect(appointment!.state).toBe('proposed');
  });

  it('confirms with a live update to staff and tenant and an invitation in Berlin time', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticket = await fileTicket();
    expect((await propose(ticket.id, { slots: inWindow, contractorId: await contractor() })).status).toBe(
      201,
    );
    const { appointment } = await appointmentOf(ticket.id);
    await drainOutbox(ctx.deps);
    const before = new Set(listMails(ctx.dataDir, DEMO_LOGINS.tenant));

    const server = await startLiveServer(ctx.deps);
    const staff = new LiveClient(server.url, session.staff!);
    const tenant = new LiveClient(server.url, session.tenant!);
    const confirmedIn = (client: LiveClient) =>
      client
        .ofType('appointment.updated')
        .some(
          (event) =>
            (event.data as { appointment: AppointmentDto }).appointment.id === appointment!.id &&
            (event.data as { appointment: AppointmentDto }).appointment.state === 'confirmed',
        );
    try {
      await Promise.all([staff.connect(), tenant.connect()]);
      const res = await call(app, `/api/tickets/${ticket.id}/appointment/confirm`, {
        cookie: session.tenant,
        json: { slotId: appointment!.slots[0]!.id },
      });
      expect(res.status).toBe(200);
      await waitFor(() => confirmedIn(staff), 5000, 'staff hear the confirmation');
      await waitFor(() => confirmedIn(tenant), 5000, 'the tenant hears the confirmation');
    } finally {
      staff.disconnect();
      tenant.disconnect();
      await server.close();
    }
    // Confirming twice is a conflict, not a second booking.
    const again = await call(app, `/api/tickets/${ticket.id}/appointment/confirm`, {
      cookie: session.tenant,
      json: { slotId: appointment!.slots[1]!.id },
    });
    expect(await errorOf(again)).toEqual([409, 'not_proposed']);

    const detail = (await (
      await call(app, `/api/tickets/${ticket.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: { body: string }[];
    };
    expect(detail.messages.map((message) => message.body)).toContain(
      'Termin: Do 3. Dez., 8–10 Uhr, Firma Muster Sanitär',
    );

    await drainOutbox(ctx.deps);
    const fresh = listMails(ctx.dataDir, DEMO_LOGINS.tenant).filter((file) => !before.has(file));
    const parsed = await Promise.all(
      fresh.map(async (file) => await simpleParser(readFileSync(join(ctx.dataDir, 'mail', file)))),
    );
    const invitation = parsed.find((mail) => mail.attachments.some((a) => a.contentType === 'text/calendar'));
    expect(invitation, 'a mail with an .ics attachment').toBeTruthy();
    const ics = invitation!.attachments
      .find((a) => a.contentType === 'text/calendar')!
      .content.toString('utf8');
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).toMatch(/DTSTART;TZID=Europe\/Berlin:20261203T080000/);
    expect(ics).toMatch(/DTEND;TZID=Europe\/Berlin:20261203T100000/);

    // The same invitation to download, for anyone who sees the ticket.
    const download = await call(app, `/api/tickets/${ticket.id}/appointment.ics`, { cookie: session.tenant });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/calendar');
    expect(await download.text()).toMatch(/DTSTART;TZID=Europe\/Berlin:20261203T080000/);

    // The reminder: not before 09:00 the day before, then once, never again.
    const tenantId = await userId(DEMO_LOGINS.tenant);
    const prefs = (await (
      await call(app, '/api/settings/notifications', { cookie: session.tenant })
    ).json()) as {
      preferences: Record<string, Record<string, boolean>>;
    };
    prefs.preferences.ticket_replies!.sms = true;
    const put = await call(app, '/api/settings/notifications', {
      method: 'PUT',
      cookie: session.tenant,
      json: { preferences: prefs.preferences },
    });
    expect(put.status).toBe(200);
    const reminders = async () =>
      (await listNotificationsOfUser(db, tenantId)).filter(
        (row) => row.template === 'appointment_reminder' && JSON.stringify(row.data).includes(ticket.id),
      );
    clock = new Date('2026-12-02T06:30:00Z'); // 07:30 in Berlin, the day before
    expect(await queueAppointmentReminders(ctx.deps)).toBe(0);
    clock = new Date('2026-12-02T09:00:00Z'); // 10:00 in Berlin, the day before
    expect(await queueAppointmentReminders(ctx.deps)).toBeGreaterThanOrEqual(1);
    const queued = await reminders();
    expect(queued.map((row) => row.channel)).toEqual(['sms']);
    expect(await queueAppointmentReminders(ctx.deps)).toBe(0);
    clock = new Date('2026-12-02T20:00:00Z');
    expect(await queueAppointmentReminders(ctx.deps)).toBe(0);
    expect((await reminders()).length).toBe(1);
    const stored = (await db.select().from(appointments).where(eq(appointments.id, appointment!.id)))[0]!;
    expect(stored.reminderSentAt?.toISOString()).toBe('2026-12-02T09:00:00.000Z');
  });

  it('lets the tenant ask to move it and staff cancel it, each heard by the other side', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticket = await fileTicket();
    const staffId = await userId(DEMO_LOGINS.staff);
    // Assigned to the staff member, who hears of a move request.
    const assign = await call(app, `/api/staff/tickets/${ticket.id}`, {
      method: 'PATCH',
      cookie: session.staff,
      json: { assigneeId: staffId },
    });
    expect(assign.status).toBe(200);
    expect((await propose(ticket.id, { slots: inWindow })).status).toBe(201);
    const { appointment } = await appointmentOf(ticket.id);
    await call(app, `/api/tickets/${ticket.id}/appointment/confirm`, {
      cookie: session.tenant,
      json: { slotId: appointment!.slots[1]!.id },
    });

    const move = await call(app, `/api/tickets/${ticket.id}/appointment/move`, {
      cookie: session.tenant,
      json: { reason: 'Ich muss an dem Tag arbeiten.' },
    });
    expect(move.status).toBe(200);
    const staffView = (await (
      await call(app, `/api/staff/tickets/${ticket.id}/appointment`, { cookie: session.staff })
    ).json()) as AppointmentAnswer;
    expect(staffView.appointment).toMatchObject({
      state: 'move_requested',
      moveReason: 'Ich muss an dem Tag arbeiten.',
    });
    const staffRows = (await listNotificationsOfUser(db, staffId)).filter(
      (row) => row.template === 'appointment_move_requested',
    );
    expect(staffRows.length).toBeGreaterThan(0);

    const cancel = await call(app, `/api/staff/tickets/${ticket.id}/appointment`, {
      method: 'DELETE',
      cookie: session.staff,
      json: { reason: 'Der Handwerker ist krank.' },
    });
    expect(cancel.status).toBe(200);
    const seen = await appointmentOf(ticket.id);
    expect(seen.appointment).toMatchObject({ state: 'cancelled', cancelReason: 'Der Handwerker ist krank.' });
    const tenantRows = (await listNotificationsOfUser(db, await userId(DEMO_LOGINS.tenant))).filter(
      (row) => row.template === 'appointment_cancelled' && JSON.stringify(row.data).includes(ticket.id),
    );
    expect(tenantRows.length).toBeGreaterThan(0);
    // Nothing open is left to cancel or confirm.
    const twice = await call(app, `/api/staff/tickets/${ticket.id}/appointment`, {
      method: 'DELETE',
      cookie: session.staff,
      json: { reason: 'Nochmal' },
    });
    expect(await errorOf(twice)).toEqual([409, 'no_appointment']);
    const download = await call(app, `/api/tickets/${ticket.id}/appointment.ics`, { cookie: session.tenant });
    expect(download.status).toBe(404);
  });

  it('takes slots from a contractor only inside the windows', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticket = await fileTicket();
    const contractorId = await contractor();
    const link = { id: 'job-link-x', ticketId: ticket.id, contractorId };
    await expect(
      proposeSlotsByContractor(ctx.deps, link, {
        slots: [{ start: '2026-12-03T13:00:00Z', end: '2026-12-03T15:00:00Z' }],
      }),
    ).rejects.toMatchObject({ code: 'outside_windows' });
    // Inside the windows, through a genuine link: a proposal by the contractor's company.
    const { link: issued } = await issueJobLink(ctx.deps, {
      ticketId: ticket.id,
      contractorId,
      createdByUserId: null,
    });
    const proposed = await proposeSlotsByContractor(ctx.deps, issued, { slots: inWindow });
    expect(proposed).toMatchObject({
      state: 'proposed',
      byContractor: true,
      outsideWindows: false,
      contractorName: 'Firma Muster Sanitär',
    });
    expect((await appointmentOf(ticket.id)).appointment?.id).toBe(proposed.id);
  });
});
