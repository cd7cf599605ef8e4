import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { emergencyAlerts, onCallShifts, ticketTypeSlas } from '../schema/index.ts';
import { first, tablesOf } from '../dialect.ts';

/*
 * Emergencies (issue 15 item 6): the on-call rota of each team, the alert written once per
 * emergency ticket, and the SLA targets per ticket type and priority.
 */

export type OnCallShiftRow = typeof onCallShifts.$inferSelect;
export type OnCallShiftInsert = typeof onCallShifts.$inferInsert;
export type TicketTypeSlaRow = typeof ticketTypeSlas.$inferSelect;

export async function listShiftsOfTeam(db: DbOrTx, teamId: string): Promise<OnCallShiftRow[]> {
  const { onCallShifts } = tablesOf(db);
  return await db
    .select()
    .from(onCallShifts)
    .where(eq(onCallShifts.teamId, teamId))
    .orderBy(asc(onCallShifts.sort), asc(onCallShifts.id));
}

export async function replaceShiftsOfTeam(
  db: DbOrTx,
  teamId: string,
  rows: OnCallShiftInsert[],
): Promise<void> {
  const { onCallShifts } = tablesOf(db);
  await db.delete(onCallShifts).where(eq(onCallShifts.teamId, teamId));
  if (rows.length > 0) await db.insert(onCallShifts).values(rows);
}

export async function insertOnCallShifts(db: DbOrTx, rows: OnCallShiftInsert[]): Promise<void> {
  const { onCallShifts } = tablesOf(db);
  if (rows.length > 0) await db.insert(onCallShifts).values(rows);
}

/** Members who can still sign in: a disabled account is nobody to wake at night. */
export async function listActiveMemberIdsOfTeam(db: DbOrTx, teamId: string): Promise<string[]> {
  const { teamMembers, users } = tablesOf(db);
  const rows = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, teamId), isNull(users.disabledAt)));
  return rows.map((row) => row.userId);
}

/**
 * Claims the one alert of a ticket: true when this call wrote it, false when the ticket already
 * alerted (the unique ticket id decides, also under concurrent writers).
 */
export async function claimEmergencyAlert(
  db: DbOrTx,
  row: typeof emergencyAlerts.$inferInsert,
): Promise<boolean> {
  const { emergencyAlerts } = tablesOf(db);
  const inserted = await db
    .insert(emergencyAlerts)
    .values(row)
    .onConflictDoNothing({ target: emergencyAlerts.ticketId })
    .returning({ id: emergencyAlerts.id });
  return inserted.length > 0;
}

export async function findEmergencyAlertOfTicket(db: DbOrTx, ticketId: string) {
  const { emergencyAlerts } = tablesOf(db);
  return await first(db.select().from(emergencyAlerts).where(eq(emergencyAlerts.ticketId, ticketId)));
}

export async function findTicketTypeSla(db: DbOrTx, typeId: string, priority: TicketTypeSlaRow['priority']) {
  const { ticketTypeSlas } = tablesOf(db);
  return await first(
    db
      .select()
      .from(ticketTypeSlas)
      .where(and(eq(ticketTypeSlas.typeId, typeId), eq(ticketTypeSlas.priority, priority))),
  );
}

export async function listTicketTypeSlas(db: DbOrTx): Promise<TicketTypeSlaRow[]> {
  const { ticketTypeSlas } = tablesOf(db);
  return await db.select().from(ticketTypeSlas);
}

export async function insertTicketTypeSlas(db: DbOrTx, rows: TicketTypeSlaRow[]): Promise<void> {
  const { ticketTypeSlas } = tablesOf(db);
  if (rows.length > 0) await db.insert(ticketTypeSlas).values(rows);
}

/** Replaces the per-priority targets of the named types (types not named keep theirs). */
export async function replaceTicketTypeSlas(
  db: DbOrTx,
  typeIds: string[],
  rows: TicketTypeSlaRow[],
): Promise<void> {
  const { ticketTypeSlas } = tablesOf(db);
  if (typeIds.length > 0) await db.delete(ticketTypeSlas).where(inArray(ticketTypeSlas.typeId, typeIds));
  await insertTicketTypeSlas(db, rows);
}
