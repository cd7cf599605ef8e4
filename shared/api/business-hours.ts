import { z } from 'zod';

/**
 * Business hours (issue 5 "SLA timer … business hours configurable"): the hours in which SLA clocks
 * run, in the landlord's time zone. One schema for the stored `business_hours` setting, the admin
 * route (`PUT /api/staff/admin/business-hours`) and the client form, so all three agree.
 * Error messages are snake_case codes: the client maps them to i18n texts per field.
 */
const clockPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z.string().regex(clockPattern, 'invalid_time');

/** A real calendar date (2026-02-30 is refused), written YYYY-MM-DD. */
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'invalid_date')
  .refine((value) => {
    const [year, month, day] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'invalid_date');

/** Ten years of public holidays is plenty; the bound keeps the setting (read per ticket) small. */
export const maxHolidays = 200;

export const businessHoursSchema = z
  .strictObject({
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: z
      .array(z.int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'duplicate_day'),
    start: clock,
    end: clock,
    /** Local dates without service, e.g. public holidays. */
    holidays: z
      .array(localDate)
      .max(maxHolidays)
      .refine((dates) => new Set(dates).size === dates.length, 'duplicate_holiday')
      .default([]),
  })
  // Same-day opening hours only: "HH:MM" strings compare like times (a malformed one is reported
  // on its own field, not twice).
  .refine(
    (hours) => !clockPattern.test(hours.start) || !clockPattern.test(hours.end) || hours.start < hours.end,
    { message: 'end_before_start', path: ['end'] },
  );

export type BusinessHours = z.infer<typeof businessHoursSchema>;

export const defaultBusinessHours: BusinessHours = {
  days: [1, 2, 3, 4, 5],
  start: '08:00',
  end: '17:00',
  holidays: [],
};

/** `GET`/`PUT /api/staff/admin/business-hours` answer. */
export interface BusinessHoursResponse {
  businessHours: BusinessHours;
}
