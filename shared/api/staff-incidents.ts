import { z } from 'zod';
import { entityId } from './ids.ts';

/** Incidents / related tickets from the console (issue 5 item 5, seeds 002 and 004). */

const id = entityId;
const isoTime = z.iso.datetime({ offset: true });

/** An incident lies on one estate or one building (the data model holds one place). */
export const incidentScopeInput = z.strictObject({
  kind: z.enum(['estate', 'building']),
  ids: z.array(id).length(1, { message: 'validation_single_place' }),
});

export const staffIncidentCreate = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(10_000),
    kind: z.enum(['planned', 'emergency']),
    scope: incidentScopeInput,
    startsAt: isoTime.nullable().optional(),
    endsAt: isoTime.nullable().optional(),
    /** Damage-report component it covers, e.g. `elevator` (offers "already known" to tenants). */
    component: z.string().trim().min(1).max(64).nullable().optional(),
  })
  .refine((i) => !i.startsAt || !i.endsAt || i.endsAt > i.startsAt, {
    message: 'validation_ends_before_starts',
    path: ['endsAt'],
  });
export type StaffIncidentCreate = z.infer<typeof staffIncidentCreate>;

/** "How many get it?" before publishing (issue 15 item 8): what the audience depends on. */
export const staffIncidentReach = z.strictObject({
  kind: z.enum(['planned', 'emergency']),
  scope: incidentScopeInput,
});
export type StaffIncidentReach = z.infer<typeof staffIncidentReach>;

export const staffIncidentUpdate = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  status: z.enum(['open', 'resolved']).optional(),
});
export type StaffIncidentUpdate = z.infer<typeof staffIncidentUpdate>;

/** Ticket ids or ticket numbers ("2026-000123"): the console attaches by number. */
export const staffIncidentAttach = z
  .strictObject({
    ticketIds: z.array(id).max(100).optional(),
    ticketNumbers: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\d{4}-\d{6}$/),
      )
      .max(100)
      .optional(),
  })
  .refine((a) => (a.ticketIds?.length ?? 0) + (a.ticketNumbers?.length ?? 0) > 0, {
    message: 'validation_required',
    path: ['ticketIds'],
  });
export type StaffIncidentAttach = z.infer<typeof staffIncidentAttach>;

export interface StaffIncidentDto {
  id: string;
  title: string;
  body: string;
  kind: 'planned' | 'emergency';
  status: 'open' | 'resolved';
  scope: { kind: 'estate' | 'building'; ids: string[] };
  component: string | null;
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  resolvedAt: string | null;
  updates: { id: string; body: string; createdAt: string }[];
  tickets: { id: string; number: string; subject: string }[];
}
