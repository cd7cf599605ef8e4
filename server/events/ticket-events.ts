import { appendEvent, type StoredEvent } from '../../db/repositories/events.ts';
import type { Ticket } from '../../db/repositories/tickets.ts';
import type { TicketMessage } from '../../db/repositories/ticket-messages.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { toMessageDto, toStaffTicketDto, toTicketDto } from '../services/tickets/dto.ts';
import { queueMessageWebhook, queueTicketWebhook } from '../services/integration/webhook-events.ts';
import { busOf, type TicketPlacement } from './bus.ts';

/**
 * Maps ticket changes to event-log rows (the wire events of API.md "Live"). Written inside the
 * service's transaction; rooms decide the audience:
 * - `ticket:<id>`: what the ticket's customers may see (staff in scope see it too);
 * - `staff-ticket:<id>`: staff-only (internal notes, assignee and team); never reaches a customer.
 * The same three changes queue the ERP's webhooks here, in the same transaction (docs/webhooks.md).
 */
export const ticketRoom = (ticketId: string) => `ticket:${ticketId}`;
export const staffTicketRoom = (ticketId: string) => `staff-ticket:${ticketId}`;

export function placementOf(ticket: Ticket, estateId: string | null): TicketPlacement {
  return {
    ticketId: ticket.id,
    buildingId: ticket.buildingId,
    estateId,
    contractId: ticket.contractId,
    createdByUserId: ticket.createdByUserId,
  };
}

/** `ticket.created` goes once to the ticket's room; the live layer adds the creator's and household's sockets. */
export function logTicketCreated(tx: DbOrTx, ticket: Ticket): StoredEvent[] {
  queueTicketWebhook(tx, 'ticket.created', ticket);
  return [appendEvent(tx, ticketRoom(ticket.id), 'ticket.created', { ticket: toTicketDto(ticket) })];
}

/** Customer view and staff view of a change; the staff row carries assignee and team. */
export function logTicketUpdated(tx: DbOrTx, ticket: Ticket, staffFieldsChanged: boolean): StoredEvent[] {
  queueTicketWebhook(tx, 'ticket.updated', ticket);
  const events = [appendEvent(tx, ticketRoom(ticket.id), 'ticket.updated', { ticket: toTicketDto(ticket) })];
  if (staffFieldsChanged) {
    events.push(
      appendEvent(tx, staffTicketRoom(ticket.id), 'ticket.updated', { ticket: toStaffTicketDto(ticket) }),
    );
  }
  return events;
}

/** Internal notes ONLY to the staff room (API.md: internal notes never reach tenants). */
export function logMessageCreated(
  tx: DbOrTx,
  message: TicketMessage,
  authorRole: 'customer' | 'staff' | 'admin' | null,
): StoredEvent[] {
  // Public messages people wrote only; internal notes never leave the portal (webhook-events.ts).
  queueMessageWebhook(tx, message, authorRole);
  const room =
    message.visibility === 'internal' ? staffTicketRoom(message.ticketId) : ticketRoom(message.ticketId);
  return [appendEvent(tx, room, 'message.created', { message: toMessageDto(message, authorRole) })];
}

/** A read mark of an internal note is staff business; of a public message everybody's. */
export function logRead(tx: DbOrTx, message: TicketMessage, userId: string, readAt: Date): StoredEvent[] {
  const room =
    message.visibility === 'internal' ? staffTicketRoom(message.ticketId) : ticketRoom(message.ticketId);
  return [
    appendEvent(tx, room, 'read', {
      ticketId: message.ticketId,
      userId,
      messageId: message.id,
      readAt: readAt.toISOString(),
    }),
  ];
}

/** After commit: hand the rows to the live layer. */
export function publishCommitted(deps: Deps, events: StoredEvent[], ticket?: TicketPlacement): void {
  if (events.length > 0) busOf(deps).publish('log.committed', { events, ...(ticket && { ticket }) });
}
