import { z } from 'zod';
import { entityId } from './ids.ts';
import { slaClocks, ticketPriorities, type SlaClock, type TicketPriority } from '../ticket-types.ts';

/**
 * Emergencies and SLA per priority (issue 15 items 6 and 8): the admin's SLA table
 * (`/api/staff/admin/sla`) and the on-call rota per team (`/api/staff/admin/teams/:id/on-call`).
 * Error messages are snake_case codes the client maps to i18n texts.
 */

const hours = z
  .int()
  .min(1)
  .max(24 * 365);

export const slaTargetsInput = z
  .strictObject({ firstResponseHours: hours, resolutionHours: hours, clock: z.enum(slaClocks) })
  .refine((targets) => targets.firstResponseHours <= targets.resolutionHours, {
    message: 'first_response_after_resolution',
    path: ['firstResponseHours'],
  });
export type SlaTargetsInput = z.infer<typeof slaTargetsInput>;

/** `PUT /staff/admin/sla/:typeId`: per priority its own targets, or null for the type's default. */
export const slaPrioritiesUpdate = z.strictObject({
  priorities: z.strictObject(
    Object.fromEntries(ticketPriorities.map((priority) => [priority, slaTargetsInput.nullable()])) as Record<
      TicketPriority,
      z.ZodNullable<typeof slaTargetsInput>
    >,
  ),
});
export type SlaPrioritiesUpdate = z.infer<typeof slaPrioritiesUpdate>;

export interface SlaTargetsDto {
  firstResponseHours: number;
  resolutionHours: number;
  clock: SlaClock;
}

export interface SlaTypeDto {
  typeId: string;
  /** The type's own hours (business hours), used for every priority without a row. */
  defaults: { firstResponseHours: number; resolutionHours: number };
  priorities: Record<TicketPriority, SlaTargetsDto | null>;
}

export interface SlaTableResponse {
  types: SlaTypeDto[];
}

const clockPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z.string().regex(clockPattern, 'invalid_time');
const localDate = z.iso.date({ message: 'invalid_date' });
const id = entityId;

/**
 * One line of a rota. `weekly`: every such weekday from `start` to `end` in the landlord's time
 * zone; an `end` at or before `start` runs past midnight (Fri 17:00 → 08:00 is Friday night).
 * `dates`: all day from `startDate` to `endDate`, overriding the weekly plan (holiday cover).
 */
export const onCallShiftInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('weekly'),
    userId: id,
    weekday: z.int().min(1).max(7),
    start: clock,
    end: clock,
  }),
  z
    .strictObject({ kind: z.literal('dates'), userId: id, startDate: localDate, endDate: localDate })
    .refine((shift) => shift.startDate <= shift.endDate, { message: 'end_before_start', path: ['endDate'] }),
]);
export type OnCallShiftInput = z.infer<typeof onCallShiftInput>;

export const onCallRotaUpdate = z.strictObject({ shifts: z.array(onCallShiftInput).max(100) });
export type OnCallRotaUpdate = z.infer<typeof onCallRotaUpdate>;

export type OnCallShiftDto = OnCallShiftInput & { id: string };

export interface OnCallRotaDto {
  teamId: string;
  teamName: string;
  shifts: OnCallShiftDto[];
  /** Who may be on call: the team's members. */
  members: { id: string; name: string }[];
  /** Whom an emergency alerts right now (the whole team in business hours). */
  alertsNow: { audience: 'team' | 'on_call'; userIds: string[] };
}
