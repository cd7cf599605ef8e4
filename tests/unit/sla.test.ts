import { describe, expect, it } from 'vitest';
import { addBusinessHours, defaultBusinessHours, slaOf } from '../../server/services/sla.ts';
import { fillPlaceholders } from '../../shared/api/staff.ts';

const berlin = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);

describe('SLA in business hours (Mon–Fri 08:00–17:00, Europe/Berlin)', () => {
  it('counts only open hours: Friday 16:00 + 4 h is Monday 11:00', () => {
    // 2026-03-06 is a Friday; 16:00 CET = 15:00 UTC.
    expect(addBusinessHours(at('2026-03-06T15:00:00Z'), 4, defaultBusinessHours, berlin).toISOString()).toBe(
      '2026-03-09T10:00:00.000Z',
    );
  });

  it('starts at opening time when filed at night or on a weekend', () => {
    // Saturday 2026-03-07 22:00 CET → Monday 08:00 + 2 h = 10:00 CET.
    expect(addBusinessHours(at('2026-03-07T21:00:00Z'), 2, defaultBusinessHours, berlin).toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    );
  });

  it('spans several days: 48 business hours from Monday 08:00', () => {
    // 48 h = 5 full days of 9 h (45 h) + 3 h → the following Monday 11:00 CET.
    expect(addBusinessHours(at('2026-03-09T07:00:00Z'), 48, defaultBusinessHours, berlin).toISOString()).toBe(
      '2026-03-16T10:00:00.000Z',
    );
  });

  it('follows daylight saving time and skips configured holidays', () => {
    // Friday 2026-03-27 16:00 CET + 2 h → Monday 2026-03-30 09:00 CEST (07:00 UTC) after the switch.
    expect(addBusinessHours(at('2026-03-27T15:00:00Z'), 2, defaultBusinessHours, berlin).toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    const easter = { ...defaultBusinessHours, holidays: ['2026-04-03', '2026-04-06'] };
    // Thursday 2026-04-02 16:00 CEST + 2 h → Tuesday 2026-04-07 09:00 CEST.
    expect(addBusinessHours(at('2026-04-02T14:00:00Z'), 2, easter, berlin).toISOString()).toBe(
      '2026-04-07T07:00:00.000Z',
    );
  });

  it('flags breaches and reports the worst state', () => {
    const now = at('2026-03-10T12:00:00Z');
    const base = {
      status: 'in_progress',
      firstResponseDueAt: at('2026-03-10T11:00:00Z'),
      firstRespondedAt: null,
      resolutionDueAt: at('2026-03-20T11:00:00Z'),
      resolvedAt: null,
    };
    expect(slaOf(base, now)).toMatchObject({ state: 'breached', firstResponse: { breached: true } });
    const answered = { ...base, firstRespondedAt: at('2026-03-10T10:00:00Z') };
    expect(slaOf(answered, now)).toMatchObject({ state: 'ok', firstResponse: { breached: false } });
    const soon = { ...answered, resolutionDueAt: at('2026-03-10T12:10:00Z') };
    expect(slaOf(soon, now).state).toBe('due_soon');
    expect(slaOf({ ...answered, status: 'resolved', resolvedAt: now }, now).state).toBe('met');
  });
});

describe('canned reply placeholders', () => {
  it('fills tenant name, address and ticket number; leaves unknown placeholders visible', () => {
    expect(
      fillPlaceholders('Hallo {tenant_name}, zu {ticket_number} ({address}) {unknown}', {
        tenant_name: 'Erika Mustermann',
        address: 'Musterstraße 1, 10115 Berlin',
        ticket_number: '2026-000042',
      }),
    ).toBe('Hallo Erika Mustermann, zu 2026-000042 (Musterstraße 1, 10115 Berlin) {unknown}');
  });
});
