import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { teams, ticketTypes } from '../schema/index.ts';

/** Admin console (issue 5 item 8): every ticket type, active or not, in configured order. */
export function listAllTicketTypes(db: DbOrTx) {
  return db.select().from(ticketTypes).orderBy(asc(ticketTypes.sort)).all();
}

export type TicketTypePatch = Partial<
  Pick<
    typeof ticketTypes.$inferInsert,
    'form' | 'slaFirstResponseHours' | 'slaResolutionHours' | 'defaultPriority' | 'routingTeamId' | 'active'
  >
>;

export function updateTicketType(db: DbOrTx, typeId: string, patch: TicketTypePatch) {
  return db.update(ticketTypes).set(patch).where(eq(ticketTypes.id, typeId)).returning().get();
}

export function listTeams(db: DbOrTx) {
  return db.select().from(teams).orderBy(asc(teams.name)).all();
}
