import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, defaultBusinessHours, slaOf } from '../../server/services/sla.ts';
import { businessHoursSchema } from '../../shared/api/business-hours.ts';

const berlin = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const hours = (ms: number) => ms / 3_600_000;

describe('businessMsBetween (Mon–Fri 08:00–17:00, Europe/Berlin)', () => {
  it('counts the open part of one day', () => {
    // Monday 2026-03-09 10:00 → 14:00 CET.
    const ms = businessMsBetween(
      at('2026-03-09T09:00:00Z'),
      at('2026-03-09T13:00:00Z'),
      defaultBusinessHours,
      berlin,
    );
    expect(hours(ms)).toBe(4);
  });

  it('skips nights and the weekend: Friday 16:00 → Monday 10:00 is 3 h', () => {
    const ms = businessMsBetween(
      at('2026-03-06T15:00:00Z'),
      at('2026-03-09T09:00:00Z'),
      defaultBusinessHours,
      berlin,
    );
    expect(hours(ms)).toBe(3);
  });

  it('skips configured holidays (Easter 2026)', () => {
    const easter = { ...defaultBusinessHours, holidays: ['2026-04-03', '2026-04-06'] };
    // Thursday 2026-04-02 16:00 CEST → Tuesday 2026-04-07 09:00 CEST: 1 h + 1 h.
    const ms = businessMsBetween(at('2026-04-02T14:00:00Z'), at('2026-04-07T07:00:00Z'), easter, berlin);
    expect(hours(ms)).toBe(2);
  });

  it('follows daylight saving time', () => {
    // Friday 2026-03-27 16:00 CET → Monday 2026-03-30 09:00 CEST: 1 h + 1 h across the switch.
    const ms = businessMsBetween(
      at('2026-03-27T15:00:00Z'),
      at('2026-03-30T07:00:00Z'),
      defaultBusinessHours,
      berlin,
    );
    expect(hours(ms)).toBe(2);
    // On the switch day itself 01:00–05:00 local is only 3 real hours (02:00 does not exist).
    const night = { days: [7], start: '01:00', end: '05:00', holidays: [] };
    expect(
      hours(businessMsBetween(at('2026-03-28T12:00:00Z'), at('2026-03-30T00:00:00Z'), night, berlin)),
    ).toBe(3);
  });

  it('is zero for an empty or reversed span and inverts addBusinessMs', () => {
    const a = at('2026-03-06T15:30:00Z');
    expect(businessMsBetween(a, a, defaultBusinessHours, berlin)).toBe(0);
    expect(businessMsBetween(a, at('2026-03-01T00:00:00Z'), defaultBusinessHours, berlin)).toBe(0);
    const b = at('2026-03-11T10:17:00Z');
    const ms = businessMsBetween(a, b, defaultBusinessHours, berlin);
    expect(addBusinessMs(a, ms, defaultBusinessHours, berlin).toISOString()).toBe(b.toISOString());
  });
});

describe('slaOf while waiting for the tenant', () => {
  const now = at('2026-03-20T12:00:00Z');
  const waiting = {
    status: 'waiting_tenant',
    firstResponseDueAt: at('2026-03-10T11:00:00Z'),
    firstRespondedAt: at('2026-03-10T10:00:00Z'),
    resolutionDueAt: at('2026-03-12T11:00:00Z'),
    resolvedAt: null,
  };

  it('reports paused, never breached or due soon for the resolution clock', () => {
    const sla = slaOf(waiting, now);
    expect(sla.state).toBe('paused');
    expect(sla.resolution.breached).toBe(false);
    expect(slaOf({ ...waiting, resolutionDueAt: at('2026-03-20T12:05:00Z') }, now).state).toBe('paused');
  });

  it('still shows a missed first response', () => {
    expect(slaOf({ ...waiting, firstRespondedAt: null }, now).state).toBe('breached');
  });
});

describe('businessHoursSchema (shared with the admin editor)', () => {
  it('accepts a sane week and refuses bad ones with per-field codes', () => {
    expect(businessHoursSchema.safeParse(defaultBusinessHours).success).toBe(true);
    const codes = (input: unknown) => {
      const result = businessHoursSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
    };
    expect(codes({ ...defaultBusinessHours, start: '17:00', end: '08:00' })).toEqual([
      ['end', 'end_before_start'],
    ]);
    expect(codes({ ...defaultBusinessHours, days: [1, 1] })).toEqual([['days', 'duplicate_day']]);
    expect(codes({ ...defaultBusinessHours, holidays: ['2026-02-30'] })).toEqual([
      ['holidays.0', 'invalid_date'],
    ]);
    expect(codes({ ...defaultBusinessHours, holidays: ['2026-12-24', '2026-12-24'] })).toEqual([
      ['holidays', 'duplicate_holiday'],
    ]);
    expect(codes({ ...defaultBusinessHours, start: '8:00' })).toEqual([['start', 'invalid_time']]);
  });
});
