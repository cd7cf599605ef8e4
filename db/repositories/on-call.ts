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

export async function listShiftsOfTeam(db: DbOrTx, teamId: string): Promise<OnCallShiftRow[]> {
  return db
    .select()
    .from(onCallShifts)
    .where(eq(onCallShifts.teamId, teamId))
    .orderBy(asc(onCallShifts.sort))
    .all();
}

export async function replaceShiftsOfTeam(
  db: DbOrTx,
  teamId: string,
  rows: OnCallShiftInsert[],
): Promise<void> {
  db.delete(onCallShifts).where(eq(onCallShifts.teamId, teamId)).run();
  if (rows.length > 0) db.insert(onCallShifts).values(rows).run();
}

export async function insertOnCallShifts(db: DbOrTx, rows: OnCallShiftInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(onCallShifts).values(rows).run();
}

/** Members who can still sign in: a disabled account is nobody to wake at night. */
export async function listActiveMemberIdsOfTeam(db: DbOrTx, teamId: string): Promise<string[]> {
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
export async function claimEmergencyAlert(
  db: DbOrTx,
  row: typeof emergencyAlerts.$inferInsert,
): Promise<boolean> {
  const inserted = db
    .insert(emergencyAlerts)
    .values(row)
    .onConflictDoNothing({ target: emergencyAlerts.ticketId })
    .returning({ id: emergencyAlerts.id })
    .all();
  return inserted.length > 0;
}

export async function findEmergencyAlertOfTicket(db: DbOrTx, ticketId: string) {
  return db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, ticketId)).get();
}

export async function findTicketTypeSla(db: DbOrTx, typeId: string, priority: TicketTypeSlaRow['priority']) {
  return db
    .select()
    .from(ticketTypeSlas)
    .where(and(eq(ticketTypeSlas.typeId, typeId), eq(ticketTypeSlas.priority, priority)))
    .get();
}

export async function listTicketTypeSlas(db: DbOrTx): Promise<TicketTypeSlaRow[]> {
  return db.select().from(ticketTypeSlas).all();
}

export async function insertTicketTypeSlas(db: DbOrTx, rows: TicketTypeSlaRow[]): Promise<void> {
  if (rows.length > 0) db.insert(ticketTypeSlas).values(rows).run();
}

/** Replaces the per-priority targets of the named types (types not named keep theirs). */
export async function replaceTicketTypeSlas(
  db: DbOrTx,
  typeIds: string[],
  rows: TicketTypeSlaRow[],
): Promise<void> {
  if (typeIds.length > 0) db.delete(ticketTypeSlas).where(inArray(ticketTypeSlas.typeId, typeIds)).run();
  await insertTicketTypeSlas(db, rows);
}
