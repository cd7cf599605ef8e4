import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { emergencyAlerts, onCallShifts, teamMembers, ticketTypeSlas, users } from '../schema/index.ts';

/*
 * Emergencies (issue 15 item 6): the on-call rota of each team, the alert written once per
 * emergency ticket, and the SLA targets per ticket type and priority.
 */

export type OnCallShiftRow = typeof onCallShifts.$inferSelect;
export type OnCallShiftInsert = typeof onCallShifts.$inferInsert;
export type TicketTypeSlaRow = typeof ticketTypeSlas.$inferSelect;

export function listShiftsOfTeam(db: DbOrTx, teamId: string): OnCallShiftRow[] {
  return db
    .select()
    .from(onCallShifts)
    .where(eq(onCallShifts.teamId, teamId))
    .orderBy(asc(onCallShifts.sort))
    .all();
}

export function replaceShiftsOfTeam(db: DbOrTx, teamId: string, rows: OnCallShiftInsert[]): void {
  db.delete(onCallShifts).where(eq(onCallShifts.teamId, teamId)).run();
  if (rows.length > 0) db.insert(onCallShifts).values(rows).run();
}

export function insertOnCallShifts(db: DbOrTx, rows: OnCallShiftInsert[]): void {
  if (rows.length > 0) db.insert(onCallShifts).values(rows).run();
}

/** Members who can still sign in: a disabled account is nobody to wake at night. */
export function listActiveMemberIdsOfTeam(db: DbOrTx, teamId: string): string[] {
  return db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.disabledAt)))
    .all()
    .map((row) => row.userId);
}

/**
 * Claims the one alert of a ticket: true when this call wrote it, false when the ticket already
 * alerted (the unique ticket id decides, also under concurrent writers).
 */
export function claimEmergencyAlert(db: DbOrTx, row: typeof emergencyAlerts.$inferInsert): boolean {
  const inserted = db
    .insert(emergencyAlerts)
    .values(row)
    .onConflictDoNothing({ target: emergencyAlerts.ticketId })
    .returning({ id: emergencyAlerts.id })
    .all();
  return inserted.length > 0;
}

export function findEmergencyAlertOfTicket(db: DbOrTx, ticketId: string) {
  return db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, ticketId)).get();
}

export function findTicketTypeSla(db: DbOrTx, typeId: string, priority: TicketTypeSlaRow['priority']) {
  return db
    .select()
    .from(ticketTypeSlas)
    .where(and(eq(ticketTypeSlas.typeId, typeId), eq(ticketTypeSlas.priority, priority)))
    .get();
}

export function listTicketTypeSlas(db: DbOrTx): TicketTypeSlaRow[] {
  return db.select().from(ticketTypeSlas).all();
}

export function insertTicketTypeSlas(db: DbOrTx, rows: TicketTypeSlaRow[]): void {
  if (rows.length > 0) db.insert(ticketTypeSlas).values(rows).run();
}

/** Replaces the per-priority targets of the named types (types not named keep theirs). */
export function replaceTicketTypeSlas(db: DbOrTx, typeIds: string[], rows: TicketTypeSlaRow[]): void {
  if (typeIds.length > 0) db.delete(ticketTypeSlas).where(inArray(ticketTypeSlas.typeId, typeIds)).run();
  insertTicketTypeSlas(db, rows);
}
