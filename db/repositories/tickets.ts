import { asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { ticketMessages, ticketReads, tickets, ticketStatusHistory, ticketTypes } from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type TicketTypeInsert = typeof ticketTypes.$inferInsert;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;
export type TicketInsert = typeof tickets.$inferInsert;
export type Ticket = typeof tickets.$inferSelect;
export type TicketMessageInsert = typeof ticketMessages.$inferInsert;
export type TicketMessage = typeof ticketMessages.$inferSelect;
export type TicketStatusChangeInsert = typeof ticketStatusHistory.$inferInsert;
export type TicketReadInsert = typeof ticketReads.$inferInsert;

export function insertTicketTypes(db: DbOrTx, rows: TicketTypeInsert[]): void {
  if (rows.length > 0) db.insert(ticketTypes).values(rows).run();
}

/** The types offered to tenants (`GET /ticket-types`), in their configured order. */
export function listActiveTicketTypes(db: DbOrTx): TicketTypeRow[] {
  return db
    .select()
    .from(ticketTypes)
    .where(eq(ticketTypes.active, true))
    .orderBy(asc(ticketTypes.sort))
    .all();
}

export function insertTickets(db: DbOrTx, rows: TicketInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(tickets).values(chunk).run();
}

export function insertTicketMessages(db: DbOrTx, rows: TicketMessageInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(ticketMessages).values(chunk).run();
}

export function insertTicketStatusChanges(db: DbOrTx, rows: TicketStatusChangeInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(ticketStatusHistory).values(chunk).run();
}

export function insertTicketReads(db: DbOrTx, rows: TicketReadInsert[]): void {
  if (rows.length > 0) db.insert(ticketReads).values(rows).run();
}

/** "My requests" (seed 003 "Meine Vorgänge"): newest activity first. */
export function listTicketsCreatedBy(db: DbOrTx, userId: string): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.createdByUserId, userId))
    .orderBy(desc(tickets.lastActivityAt))
    .all();
}

/** The dialog in order, internal notes included: callers decide what a viewer may see. */
export function listMessagesOfTicket(db: DbOrTx, ticketId: string): TicketMessage[] {
  return db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
}
