import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import { findSetting } from '../../db/repositories/settings.ts';
import type { BusinessHours } from '../../shared/api/business-hours.ts';
import type { TicketWorkspaceDto } from '../../shared/api/staff.ts';
import { addBusinessHours, defaultBusinessHours } from '../../server/services/sla.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { auditEntries, ticketTypes } = testTables;

describe('admin: business hours (GET/PUT /api/staff/admin/business-hours)', async () => {
  // Monday 2026-03-09 09:00 CET.
  const now = new Date('2026-03-09T08:00:00Z');
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'admin'], {
    configure: (deps) => (deps.now = () => now),
  });
  const path = '/api/staff/admin/business-hours';
  const put = (json: unknown, who = 'admin') =>
    call(app, path, { method: 'PUT', json, cookie: session[who] });
  const read = async () => {
    const res = await call(app, path, { cookie: session.admin });
    expect(res.status).toBe(200);
    return ((await res.json()) as { businessHours: BusinessHours }).businessHours;
  };

  it('answers the defaults, then stores a change (sorted), audits it, and new tickets follow it', async () => {
    expect(await read()).toEqual(defaultBusinessHours);
    const hours = { days: [3, 1, 2], start: '10:00', end: '12:30', holidays: ['2026-03-10', '2026-01-01'] };
    const res = await put(hours);
    expect(res.status).toBe(200);
    const stored = { days: [1, 2, 3], start: '10:00', end: '12:30', holidays: ['2026-01-01', '2026-03-10'] };
    expect(await res.json()).toEqual({ businessHours: stored });
    expect(await read()).toEqual(stored);
    const audit = await db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.action, 'admin.business_hours_changed'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: 'setting', entityId: 'business_hours' });

    const created = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Wann wird der Aufzug gewartet?',
        clientId: 'business-hours-1',
      },
    });
    expect(created.status).toBe(201);
    const { id } = ((await created.json()) as { ticket: { id: string } }).ticket;
    const ws = (await (
      await call(app, `/api/staff/tickets/${id}`, { cookie: session.staff })
    ).json()) as TicketWorkspaceDto;
    const type = (
      await db.select().from(ticketTypes).where(eq(ticketTypes.id, 'general_correspondence'))
    )[0]!;
    const expected = addBusinessHours(now, type.slaFirstResponseHours, stored, 'Europe/Berlin');
    expect(ws.sla.firstResponse.dueAt).toBe(expected.toISOString());
    expect(expected.getTime()).not.toBe(
      addBusinessHours(now, type.slaFirstResponseHours, defaultBusinessHours, 'Europe/Berlin').getTime(),
    );
  });

  it('refuses staff (403) and anonymous callers (401)', async () => {
    expect((await call(app, path, { cookie: session.staff })).status).toBe(403);
    expect((await put(defaultBusinessHours, 'staff')).status).toBe(403);
    expect((await call(app, path)).status).toBe(401);
    expect((await call(app, path, { method: 'PUT', json: defaultBusinessHours })).status).toBe(401);
  });

  it('answers 400 with per-field codes for bad bodies and changes nothing', async () => {
    const before = await findSetting(db, 'business_hours');
    const bad: [unknown, Record<string, string>][] = [
      [{ ...defaultBusinessHours, start: '17:00', end: '08:00' }, { end: 'end_before_start' }],
      [{ ...defaultBusinessHours, days: [1, 1] }, { days: 'duplicate_day' }],
      [{ ...defaultBusinessHours, days: [] }, { days: 'too_small' }],
      [{ ...defaultBusinessHours, days: [8] }, { 'days.0': 'too_big' }],
      [{ ...defaultBusinessHours, start: '25:00' }, { start: 'invalid_time' }],
      [{ ...defaultBusinessHours, holidays: ['2026-02-30'] }, { 'holidays.0': 'invalid_date' }],
      [
        { ...defaultBusinessHours, holidays: ['2026-12-24', '2026-12-24'] },
        { holidays: 'duplicate_holiday' },
      ],
      [{ ...defaultBusinessHours, holidays: Array.from({ length: 201 }, (_, i) => `2030-01-${i}`) }, {}],
      [{ ...defaultBusinessHours, extra: true }, {}],
    ];
    for (const [body, fields] of bad) {
      const res = await put(body);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { code: string; fields?: Record<string, string> } })
        .error;
      expect(error.code).toBe('validation_failed');
      expect(error.fields).toMatchObject(fields);
    }
    expect(await findSetting(db, 'business_hours')).toEqual(before);
  });
});
