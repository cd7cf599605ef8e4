import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import type { AppointmentAnswer, AppointmentDto } from '../../shared/api/appointments.ts';
import type { JobDto, JobPageDto } from '../../shared/api/dispatch.ts';
import { call } from '../helpers/auth.ts';
import { LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { contractors } = testTables;

/**
 * The contractor proposes the visit's times from the job link (`POST /api/job/:token/slots`):
 * only for an accepted job, only inside the tenant's windows, only for the link's own ticket; the
 * tenant confirms, and the job page shows where the appointment stands without the tenant's words.
 */
// The demo seed and the sign-ins take a while on a busy machine.
vi.setConfig({ hookTimeout: 120_000 });

describe('repairs: the contractor proposes appointment slots from the job link', async () => {
  // Tuesday 1 December 2026, 10:00 in Berlin.
  let clock = new Date('2026-12-01T09:00:00Z');
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff'], {
    configure: (deps) => (deps.now = () => clock),
  });
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
        clientId: `job-slots-${++seq}-xxxx`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket.id;
  };

  const contractorId = async (name: string) =>
    (await db.select({ id: contractors.id }).from(contractors).where(eq(contractors.name, name)))[0]!.id;

  /** Dispatches the ticket; the token is the tail of the link staff copy. */
  const dispatch = async (ticketId: string, name = 'Sprudel Sanitär GmbH') => {
    const res = await call(app, `/api/staff/tickets/${ticketId}/dispatch`, {
      cookie: session.staff,
      json: { contractorId: await contractorId(name), force: true },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { job } = (await res.json()) as { job: JobDto };
    return { id: job.id, token: job.url!.split('/job/')[1]! };
  };

  let probe = 0;
  /** Wrong tokens count as guesses per address: each probe from an address of its own. */
  const probeIp = () => `10.30.${Math.floor(++probe / 250)}.${probe % 250}`;
  const job = (token: string, path = '', json?: unknown, ip?: string) =>
    call(app, `/api/job/${token}${path}`, { ...(json === undefined ? {} : { json }), ip });
  const slots = (token: string, json: unknown, ip?: string) => job(token, '/slots', json, ip);
  const page = async (token: string) => ((await (await job(token)).json()) as { job: JobPageDto }).job;
  const errorOf = async (res: Response) => [
    res.status,
    ((await res.json()) as { error: { code: string } }).error.code,
  ];
  const appointmentOf = async (ticketId: string) =>
    (
      (await (
        await call(app, `/api/tickets/${ticketId}/appointment`, { cookie: session.tenant })
      ).json()) as AppointmentAnswer
    ).appointment;

  const thursday8to10 = { start: '2026-12-03T07:00:00Z', end: '2026-12-03T09:00:00Z' };
  const thursday10to12 = { start: '2026-12-03T09:00:00Z', end: '2026-12-03T11:00:00Z' };
  const thursdayAfternoon = { start: '2026-12-03T13:00:00Z', end: '2026-12-03T15:00:00Z' };

  it('refuses bad bodies and a job not yet accepted; proposes inside the windows once accepted', async () => {
    const ticketId = await fileTicket();
    const { token } = await dispatch(ticketId);
    const before = await page(token);
    expect(before.appointment).toBeNull();
    expect(before.timeZone).toBe('Europe/Berlin');

    // JSON and the schema first (strict: nothing of staff's proposal), then the job's state.
    const raw = await call(app, `/api/job/${token}/slots`, {
      rawBody: JSON.stringify({ slots: [thursday8to10] }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(raw.status).toBe(415);
    const broken = await call(app, `/api/job/${token}/slots`, {
      rawBody: '{"slots": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(await errorOf(broken)).toEqual([400, 'invalid_json']);
    for (const body of [
      {},
      { slots: [] },
      { slots: [thursday8to10, thursday10to12, thursday8to10, thursday10to12] },
      { slots: [thursdayAfternoon], outsideWindows: true },
      { slots: [thursday8to10], contractorId: await contractorId('Elektro Blitz KG') },
      { slots: [{ start: 'Thursday', end: 'later' }] },
      { slots: [{ start: thursday8to10.end, end: thursday8to10.start }] },
    ])
      expect(await errorOf(await slots(token, body)), JSON.stringify(body)).toEqual([
        400,
        'validation_failed',
      ]);
    expect(await errorOf(await slots(token, { slots: [thursday8to10] }))).toEqual([409, 'job_not_accepted']);
    expect(await appointmentOf(ticketId)).toBeNull();

    expect((await job(token, '/accept', {})).status).toBe(200);
    expect(await errorOf(await slots(token, { slots: [thursdayAfternoon] }))).toEqual([
      400,
      'outside_windows',
    ]);
    expect(await errorOf(await slots(token, { slots: [thursday8to10, thursdayAfternoon] }))).toEqual([
      400,
      'outside_windows',
    ]);
    expect(await appointmentOf(ticketId)).toBeNull();
  });

  it('reaches the tenant and staff live; the tenant confirms; the page shows it without the tenant’s words', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticketId = await fileTicket();
    const { token } = await dispatch(ticketId);
    expect((await job(token, '/accept', {})).status).toBe(200);

    const server = await startLiveServer(ctx.deps);
    const staff = new LiveClient(server.url, session.staff!);
    let proposed: JobPageDto;
    try {
      await staff.connect();
      const res = await slots(token, { slots: [thursday8to10] });
      expect(res.status, await res.clone().text()).toBe(201);
      proposed = ((await res.json()) as { job: JobPageDto }).job;
      await waitFor(
        () =>
          staff.ofType('appointment.updated').some((event) => {
            const data = event.data as { ticketId: string; appointment: AppointmentDto };
            return data.ticketId === ticketId && data.appointment.state === 'proposed';
          }),
        5000,
        'staff hear the proposal',
      );
    } finally {
      staff.disconnect();
      await server.close();
    }
    expect(proposed.appointment).toEqual({
      state: 'proposed',
      slots: [{ ...thursday8to10Iso(), label: 'Do 3. Dez., 8–10 Uhr' }],
      confirmed: null,
      byContractor: true,
    });

    const appointment = (await appointmentOf(ticketId))!;
    expect(appointment).toMatchObject({
      state: 'proposed',
      byContractor: true,
      contractorName: 'Sprudel Sanitär GmbH',
      outsideWindows: false,
    });
    expect(appointment.slots.map(({ start, end }) => ({ start, end }))).toEqual([thursday8to10Iso()]);

    const confirm = await call(app, `/api/tickets/${ticketId}/appointment/confirm`, {
      cookie: session.tenant,
      json: { slotId: appointment.slots[0]!.id },
    });
    expect(confirm.status).toBe(200);
    expect((await page(token)).appointment).toEqual({
      state: 'confirmed',
      slots: [{ ...thursday8to10Iso(), label: 'Do 3. Dez., 8–10 Uhr' }],
      confirmed: { ...thursday8to10Iso(), label: 'Do 3. Dez., 8–10 Uhr' },
      byContractor: true,
    });

    // The tenant asks for another time: the contractor learns that, not why.
    const move = await call(app, `/api/tickets/${ticketId}/appointment/move`, {
      cookie: session.tenant,
      json: { reason: 'Da habe ich einen Arzttermin' },
    });
    expect(move.status).toBe(200);
    const moved = await page(token);
    expect(moved.appointment).toMatchObject({ state: 'move_requested', confirmed: null });
    expect(JSON.stringify(moved)).not.toContain('Arzttermin');

    // …and proposes again: the new proposal replaces the old one.
    const again = await slots(token, { slots: [thursday10to12] });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { job: JobPageDto }).job.appointment).toMatchObject({
      state: 'proposed',
      slots: [{ label: 'Do 3. Dez., 10–12 Uhr' }],
    });
    expect((await appointmentOf(ticketId))!.slots.map((slot) => slot.start)).toEqual([
      '2026-12-03T09:00:00.000Z',
    ]);

    // Once the work is reported done the job is closed for proposals too.
    expect((await job(token, '/done', { note: 'Dichtung getauscht.' })).status).toBe(200);
    expect(await errorOf(await slots(token, { slots: [thursday8to10] }))).toEqual([409, 'job_closed']);
  });

  it('reaches only its own ticket; another contractor’s appointment stays hidden', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ownTicket = await fileTicket();
    const otherTicket = await fileTicket();
    // Staff booked the other ticket with the electrician.
    const staffProposal = await call(app, `/api/staff/tickets/${otherTicket}/appointment`, {
      cookie: session.staff,
      json: { slots: [thursday10to12], contractorId: await contractorId('Elektro Blitz KG') },
    });
    expect(staffProposal.status).toBe(201);
    const otherBefore = (await appointmentOf(otherTicket))!;
    // On the own ticket an earlier proposal names the electrician too: not the plumber's business.
    expect(
      (
        await call(app, `/api/staff/tickets/${ownTicket}/appointment`, {
          cookie: session.staff,
          json: { slots: [thursday10to12], contractorId: await contractorId('Elektro Blitz KG') },
        })
      ).status,
    ).toBe(201);

    const { token } = await dispatch(ownTicket);
    expect((await job(token, '/accept', {})).status).toBe(200);
    expect((await page(token)).appointment).toBeNull();

    expect((await slots(token, { slots: [thursday8to10] })).status).toBe(201);
    expect((await appointmentOf(ownTicket))!).toMatchObject({
      state: 'proposed',
      contractorName: 'Sprudel Sanitär GmbH',
    });
    // The other ticket's appointment is untouched.
    expect(await appointmentOf(otherTicket)).toEqual(otherBefore);
  });

  it('answers 409 job_closed after a decline', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticketId = await fileTicket();
    const { token } = await dispatch(ticketId);
    expect((await job(token, '/decline', { reason: 'Kein Personal frei' })).status).toBe(200);
    expect(await errorOf(await slots(token, { slots: [thursday8to10] }))).toEqual([409, 'job_closed']);
    expect(await appointmentOf(ticketId)).toBeNull();
  });

  it('answers 404 for forged, malformed, revoked and expired tokens before looking at the body', async () => {
    clock = new Date('2026-12-01T09:00:00Z');
    const ticketId = await fileTicket();
    const { token, id } = await dispatch(ticketId);
    expect((await job(token, '/accept', {})).status).toBe(200);
    const [linkId, signature] = token.split('.') as [string, string];
    const flipped = `${linkId}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const good = { slots: [thursday8to10] };
    for (const candidate of [flipped, `${linkId}.${'A'.repeat(43)}`, 'garbage', `${token}x`]) {
      for (const body of [good, { nonsense: true }]) {
        const res = await slots(candidate, body, probeIp());
        expect(await errorOf(res), candidate).toEqual([404, 'not_found']);
      }
      const raw = await call(app, `/api/job/${candidate}/slots`, {
        rawBody: 'not json',
        headers: { 'content-type': 'text/plain' },
        ip: probeIp(),
      });
      expect(raw.status).toBe(404);
    }

    // Expired: fourteen days on, the link is gone.
    clock = new Date('2026-12-16T09:00:00Z');
    expect(await errorOf(await slots(token, good, probeIp()))).toEqual([404, 'not_found']);
    clock = new Date('2026-12-01T09:00:00Z');

    // Revoked by staff.
    const withdrawn = await call(app, `/api/staff/tickets/${ticketId}/dispatch/${id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(withdrawn.status).toBe(200);
    expect(await errorOf(await slots(token, good, probeIp()))).toEqual([404, 'not_found']);
    expect(await appointmentOf(ticketId)).toBeNull();
  });

  function thursday8to10Iso() {
    return { start: '2026-12-03T07:00:00.000Z', end: '2026-12-03T09:00:00.000Z' };
  }
});
