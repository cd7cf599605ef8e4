/**
 * Emergencies (issue 15 item 6). A request whose form answer is marked as an emergency
 * (TicketTypeForm.emergency) is `urgent`, takes the urgent SLA, and alerts its responsible team
 * at once by push and SMS (and mail, where chosen), in the same transaction as the ticket.
 *
 * Whom it alerts:
 * - in business hours, every active member of the ticket's team: they are at their desks and the
 *   first free hand takes it;
 * - outside business hours, only the team's on-call person(s) from the rota (a date range, e.g.
 *   holiday cover, overrides the weekly plan); nobody else is woken;
 * - outside business hours with nobody on call, the whole team again: an emergency nobody hears
 *   of is worse than a night's sleep interrupted.
 * A ticket without a team (no team's scope covers its building) alerts nobody but still heads
 * every inbox as urgent.
 *
 * The alert itself is the projector's (`ticket.emergency.raised` → notifyEmergency in
 * notify/domain.ts); this module decides whom it reaches.
 *
 * Idempotent: `emergency_alerts` holds one row per ticket (unique), claimed before anything is
 * queued; a retried request returns the stored ticket before reaching here anyway, and messages
 * on the ticket never alert.
 */
import {
  listActiveMemberIdsOfTeam,
  listShiftsOfTeam,
  type OnCallShiftRow,
} from '../../db/repositories/on-call.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { BusinessHours } from '../../shared/api/business-hours.ts';
import { localClock } from '../lib/dates.ts';
import { isWithinBusinessHours } from './sla.ts';

type Shift = Pick<
  OnCallShiftRow,
  'kind' | 'userId' | 'weekday' | 'startTime' | 'endTime' | 'startDate' | 'endDate'
>;

function weeklyCovers(shift: Shift, now: { weekday: number; time: string }): boolean {
  const { weekday, startTime: start, endTime: end } = shift;
  if (weekday === null || !start || !end) return false;
  if (start < end) return now.weekday === weekday && now.time >= start && now.time < end;
  // Past midnight (or a full day when start = end): the evening of `weekday`, the morning after.
  const dayBefore = now.weekday === 1 ? 7 : now.weekday - 1;
  return (now.weekday === weekday && now.time >= start) || (dayBefore === weekday && now.time < end);
}

/** Who is on call at `instant`: date-range shifts covering the day win over the weekly plan. */
export function onCallUserIds(shifts: readonly Shift[], instant: Date, timeZone: string): string[] {
  const now = localClock(instant, timeZone);
  const byDates = shifts.filter(
    (shift) =>
      shift.kind === 'dates' &&
      shift.startDate !== null &&
      shift.endDate !== null &&
      shift.startDate <= now.date &&
      now.date <= shift.endDate,
  );
  const covering =
    byDates.length > 0 ? byDates : shifts.filter((s) => s.kind === 'weekly' && weeklyCovers(s, now));
  return [...new Set(covering.map((shift) => shift.userId))];
}

export interface AlertContext {
  now: Date;
  timeZone: string;
  businessHours: BusinessHours;
}

/** Whom an emergency of this team alerts now (see the rules at the top of this file). */
export async function alertAudience(
  db: DbOrTx,
  teamId: string,
  context: AlertContext,
): Promise<{ audience: 'team' | 'on_call'; userIds: string[] }> {
  const members = await listActiveMemberIdsOfTeam(db, teamId);
  if (isWithinBusinessHours(context.now, context.businessHours, context.timeZone)) {
    return { audience: 'team', userIds: members };
  }
  const active = new Set(members);
  const onCall = onCallUserIds(await listShiftsOfTeam(db, teamId), context.now, context.timeZone).filter(
    (id) => active.has(id),
  );
  return onCall.length > 0
    ? { audience: 'on_call', userIds: onCall }
    : { audience: 'team', userIds: members };
}
