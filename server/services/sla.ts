import { findSetting } from '../../db/repositories/settings.ts';
import { findTicketTypeSla } from '../../db/repositories/on-call.ts';
import { listStatusHistoryOfTicket } from '../../db/repositories/tickets.ts';
import { addDays, formatterIn, localClock } from '../lib/dates.ts';
import type { SlaTargets, TicketPriority } from '../../shared/ticket-types.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import {
  businessHoursSchema,
  defaultBusinessHours,
  type BusinessHours,
} from '../../shared/api/business-hours.ts';
import type { SlaClockDto, SlaDto, SlaState } from '../../shared/api/staff.ts';

/**
 * SLA clocks count business hours only (issue 5 "business hours configurable"): a damage report
 * filed on Friday at 16:00 with a 4-hour first-response target is due on Monday at 11:00, not on
 * Friday at 20:00. Business hours live in the `business_hours` setting, in the landlord's zone.
 * The schema is shared with the admin editor (shared/api/business-hours.ts).
 */
export { businessHoursSchema, defaultBusinessHours, type BusinessHours };

/** The configured hours; a missing or broken setting falls back to Mon–Fri 08:00–17:00. */
export async function loadBusinessHours(db: DbOrTx): Promise<BusinessHours> {
  const parsed = businessHoursSchema.safeParse(await findSetting(db, 'business_hours'));
  return parsed.success && parsed.data.start < parsed.data.end ? parsed.data : defaultBusinessHours;
}

const minute = 60_000;
const hour = 60 * minute;

/** Built once per zone (formatterIn): a due date walks day by day, two or three offsets per day. */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const buildOffsetFormatter = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = formatterIn(offsetFormatters, timeZone, buildOffsetFormatter).formatToParts(
    new Date(instant),
  );
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of a local wall-clock time (date + HH:MM) in the zone; DST-aware. */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(year, month - 1, day, hours, minutes);
  const first = naive - offsetAt(naive, timeZone);
  return naive - offsetAt(first, timeZone);
}

/** `from` plus `hours` business hours. Zero hours is `from` itself. */
export function addBusinessHours(from: Date, hours: number, config: BusinessHours, timeZone: string): Date {
  return addBusinessMs(from, Math.round(hours * hour), config, timeZone);
}

/** `from` plus `ms` milliseconds of business time (the exact form, for shifting a due date). */
export function addBusinessMs(from: Date, ms: number, config: BusinessHours, timeZone: string): Date {
  let remaining = Math.round(ms);
  if (remaining <= 0) return from;
  let cursor = from.getTime();
  let { date, weekday } = localClock(from, timeZone);
  // Bounded: ten years of closed days would be a configuration error, not a due date.
  for (let day = 0; day < 3660; day++) {
    if (config.days.includes(weekday) && !config.holidays.includes(date)) {
      const open = zonedInstant(date, config.start, timeZone);
      const close = zonedInstant(date, config.end, timeZone);
      const start = Math.max(cursor, open);
      if (start < close) {
        if (remaining <= close - start) return new Date(start + remaining);
        remaining -= close - start;
      }
    }
    date = addDays(date, 1);
    weekday = (weekday % 7) + 1;
    cursor = zonedInstant(date, '00:00', timeZone);
  }
  throw new Error('business hours never open');
}

/**
 * Business time between two instants, in ms: the part of [a, b) that falls into opening hours on
 * open, non-holiday days (the inverse of addBusinessMs). Zero when b is not after a.
 */
export function businessMsBetween(a: Date, b: Date, config: BusinessHours, timeZone: string): number {
  const end = b.getTime();
  let cursor = a.getTime();
  if (end <= cursor) return 0;
  let total = 0;
  let { date, weekday } = localClock(a, timeZone);
  // One iteration per local day; the bound only guards against absurd spans (ten years).
  for (let day = 0; day < 3660 && cursor < end; day++) {
    if (config.days.includes(weekday) && !config.holidays.includes(date)) {
      const open = zonedInstant(date, config.start, timeZone);
      const close = zonedInstant(date, config.end, timeZone);
      const from = Math.max(cursor, open);
      const to = Math.min(end, close);
      if (from < to) total += to - from;
    }
    date = addDays(date, 1);
    weekday = (weekday % 7) + 1;
    cursor = zonedInstant(date, '00:00', timeZone);
  }
  return total;
}

/**
 * Zendesk "pending" / Zammad "pending reminder" semantics: while a ticket waits for the tenant the
 * resolution clock stands still. When it leaves `waiting_tenant`, the resolution due date moves
 * later by the business time it waited. The entry time is the latest `waiting_tenant` row of the
 * status history (written by applyStatusChange), so no extra column is needed.
 */
export async function resumedResolutionDue(
  db: DbOrTx,
  ticket: { id: string; status: string; resolutionDueAt: Date | null },
  now: Date,
  timeZone: string,
): Promise<Date | null> {
  if (ticket.status !== 'waiting_tenant' || !ticket.resolutionDueAt) return ticket.resolutionDueAt;
  const entered = (await listStatusHistoryOfTicket(db, ticket.id))
    .filter((row) => row.toStatus === 'waiting_tenant')
    .at(-1)?.createdAt;
  if (!entered) return ticket.resolutionDueAt;
  const config = await loadBusinessHours(db);
  const waited = businessMsBetween(entered, now, config, timeZone);
  return addBusinessMs(ticket.resolutionDueAt, waited, config, timeZone);
}

/** "Due soon": less than a quarter of an hour left is what an agent must act on now. */
const dueSoonMs = 15 * minute;

function clockOf(dueAt: Date | null, doneAt: Date | null, now: Date): SlaClockDto {
  const end = doneAt ?? now;
  return {
    dueAt: dueAt?.toISOString() ?? null,
    doneAt: doneAt?.toISOString() ?? null,
    breached: dueAt !== null && end.getTime() > dueAt.getTime(),
  };
}

export interface SlaFacts {
  status: string;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
}

/**
 * Both clocks and the state a list badge shows. A closed ticket stops its resolution clock; a
 * ticket waiting for the tenant pauses it (`paused`: never breached or due soon for the time spent
 * waiting; the due date moves on resume, see resumedResolutionDue). The first-response clock is not
 * paused: a breach of it happened before or regardless of the wait and stays visible.
 */
export function slaOf(ticket: SlaFacts, now: Date): SlaDto {
  const finished = ticket.status === 'resolved' || ticket.status === 'closed';
  const paused = ticket.status === 'waiting_tenant';
  const resolvedAt = ticket.resolvedAt ?? (finished ? now : null);
  const firstResponse = clockOf(ticket.firstResponseDueAt, ticket.firstRespondedAt, now);
  const resolution = clockOf(ticket.resolutionDueAt, finished ? resolvedAt : null, now);
  if (paused) resolution.breached = false;
  let state: SlaState = 'none';
  if (firstResponse.breached || resolution.breached) state = 'breached';
  else if (paused) state = 'paused';
  else if (finished) state = 'met';
  else {
    const open = [ticket.firstRespondedAt ? null : ticket.firstResponseDueAt, ticket.resolutionDueAt].filter(
      (due): due is Date => due !== null,
    );
    if (open.length > 0) {
      const nearest = Math.min(...open.map((due) => due.getTime()));
      state = nearest - now.getTime() < dueSoonMs ? 'due_soon' : 'ok';
    }
  }
  return { firstResponse, resolution, state };
}

/**
 * The SLA targets of a type at a priority (issue 15 items 6, 8): the row of ticket_type_slas when
 * the admin set one, else the type's own hours in business hours.
 */
export async function slaTargetsFor(
  db: DbOrTx,
  type: { id: string; slaFirstResponseHours: number; slaResolutionHours: number },
  priority: TicketPriority,
): Promise<SlaTargets> {
  const row = await findTicketTypeSla(db, type.id, priority);
  if (row)
    return { firstResponse: row.firstResponseHours, resolution: row.resolutionHours, clock: row.clock };
  return {
    firstResponse: type.slaFirstResponseHours,
    resolution: type.slaResolutionHours,
    clock: 'business',
  };
}

/** Due dates from `now`: business hours for a `business` clock, wall-clock hours for `always`. */
export function slaDueDates(
  now: Date,
  targets: SlaTargets,
  config: BusinessHours,
  timeZone: string,
): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const due = (hours: number) =>
    targets.clock === 'always'
      ? new Date(now.getTime() + hours * hour)
      : addBusinessHours(now, hours, config, timeZone);
  return { firstResponseDueAt: due(targets.firstResponse), resolutionDueAt: due(targets.resolution) };
}

/** Whether `instant` falls into business hours (the next minute counts as open). */
export function isWithinBusinessHours(instant: Date, config: BusinessHours, timeZone: string): boolean {
  return businessMsBetween(instant, new Date(instant.getTime() + minute), config, timeZone) > 0;
}

/**
 * Business time a ticket has already waited for the tenant in finished `waiting_tenant` spells,
 * from its status history. A spell still open is not counted: resumedResolutionDue adds it when
 * the ticket leaves `waiting_tenant`.
 */
async function finishedWaitMs(
  db: DbOrTx,
  ticketId: string,
  config: BusinessHours,
  timeZone: string,
): Promise<number> {
  let total = 0;
  let enteredAt: Date | null = null;
  for (const row of await listStatusHistoryOfTicket(db, ticketId)) {
    if (row.toStatus === 'waiting_tenant') enteredAt ??= row.createdAt;
    else if (enteredAt) {
      total += businessMsBetween(enteredAt, row.createdAt, config, timeZone);
      enteredAt = null;
    }
  }
  return total;
}

/**
 * The due dates after a priority change (issue 15): the type's targets at the new priority,
 * counted from the ticket's creation as at filing, so raising a ticket to urgent makes it due as
 * an urgent one filed then would be (Zendesk re-applies the SLA policy the same way). A clock that
 * already stopped keeps its due date: a first response given in time stays in time. The
 * resolution date keeps the business time the ticket already waited for the tenant.
 */
export async function dueDatesForPriority(
  db: DbOrTx,
  ticket: {
    id: string;
    createdAt: Date;
    firstRespondedAt: Date | null;
    resolvedAt: Date | null;
    firstResponseDueAt: Date | null;
    resolutionDueAt: Date | null;
  },
  type: { id: string; slaFirstResponseHours: number; slaResolutionHours: number },
  priority: TicketPriority,
  timeZone: string,
): Promise<{ firstResponseDueAt: Date | null; resolutionDueAt: Date | null }> {
  const config = await loadBusinessHours(db);
  const due = slaDueDates(ticket.createdAt, await slaTargetsFor(db, type, priority), config, timeZone);
  return {
    firstResponseDueAt: ticket.firstRespondedAt ? ticket.firstResponseDueAt : due.firstResponseDueAt,
    resolutionDueAt: ticket.resolvedAt
      ? ticket.resolutionDueAt
      : addBusinessMs(
          due.resolutionDueAt,
          await finishedWaitMs(db, ticket.id, config, timeZone),
          config,
          timeZone,
        ),
  };
}
