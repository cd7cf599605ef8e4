import { findUserLanguage } from '../../../db/repositories/job-steps.ts';
import { insertTicketMessage, type TicketMessage } from '../../../db/repositories/ticket-messages.ts';
import type { TicketWithEstate } from '../../../db/repositories/tickets.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { UnitOfWork } from '../../unit-of-work/index.ts';

/**
 * Lines the portal itself writes into a ticket's dialog ("Sprudel Sanitär GmbH ist beauftragt.",
 * "Termin bestätigt: …"): public, without an author, announced like any message.
 */

/** The language a ticket's lines are written in: that of the tenant who filed it. */
export async function tenantLocaleOf(
  tx: Tx,
  ticket: Pick<TicketWithEstate, 'createdByUserId'>,
): Promise<Locale> {
  return (await findUserLanguage(tx, ticket.createdByUserId)) ?? 'de';
}

/** A public system line in the ticket's dialog, in the unit of work, recorded as a new message. */
export async function addSystemLine(
  uow: UnitOfWork,
  ticket: TicketWithEstate,
  body: string,
  now: Date,
): Promise<TicketMessage> {
  const message = await insertTicketMessage(uow.tx, {
    ticketId: ticket.id,
    authorUserId: null,
    body,
    visibility: 'public',
    kind: 'system',
    createdAt: now,
  });
  uow.record({ type: 'ticket.message.added', ticket, message, authorRole: null, byStaff: false });
  return message;
}
