import { claimAttachments } from '../../../db/repositories/files.ts';
import { touchTicketAfterMessage } from '../../../db/repositories/tickets.ts';
import {
  findMessageByClientId,
  findMessageOfTicket,
  insertTicketMessage,
  upsertTicketRead,
  type TicketMessage,
} from '../../../db/repositories/ticket-messages.ts';
import { inTransaction, type Tx } from '../../../db/transaction.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import type { TicketWithEstate } from '../../../db/repositories/tickets.ts';
import type { TicketMessageDto } from '../../../shared/api/tickets.ts';
import type { Deps } from '../../deps.ts';
import { logMessageCreated, logRead, placementOf, publishCommitted } from '../../events/ticket-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, conflict, notFound } from '../../lib/http-error.ts';
import { toMessageDto } from './dto.ts';
import { loadVisibleTicket, loadWritableTicket } from './visibility.ts';
import { notifyTicketReply } from '../../notify/domain.ts';
import { applyStatusChange } from './lifecycle.ts';

export interface MessageInput {
  body: string;
  clientId: string;
  attachmentIds?: string[];
  /** Staff only: an internal note (never shown to customers). */
  internal?: boolean;
}

export interface AddMessageResult {
  message: TicketMessageDto;
  /** False for a retry with the same clientId: HTTP answers 200 with the stored message. */
  created: boolean;
}

/** A retried message (same author and clientId): the stored one; on another ticket a 409. */
export function existingFor(
  message: TicketMessage,
  ticketId: string,
  role: SessionUser['role'],
): AddMessageResult {
  // The same clientId on another ticket is a client bug, not a retry.
  if (message.ticketId !== ticketId)
    throw conflict('client_id_reused', 'This clientId was used for another message.');
  return { message: toMessageDto(message, role), created: false };
}

/**
 * The one way a message is written, whether it comes over HTTP or the socket (API.md "Live"
 * `message.send`). Idempotent by (author, clientId): a retry returns the stored message.
 */
export function addMessage(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: MessageInput,
): AddMessageResult {
  const { ticket, staff } = loadWritableTicket(deps, actor, ticketId);
  const retried = findMessageByClientId(deps.db, actor.id, input.clientId);
  if (retried) return existingFor(retried, ticketId, actor.role);

  const now = deps.now();
  const result = inTransaction(deps.db, (tx) => {
    const raced = findMessageByClientId(tx, actor.id, input.clientId);
    if (raced) return { message: raced, events: null };
    return writeMessage(tx, deps, actor, ticket, staff, input, now);
  });
  if (!result.events) return existingFor(result.message, ticketId, actor.role);
  publishCommitted(deps, result.events, placementOf(ticket, ticket.estateId));
  return { message: toMessageDto(result.message, actor.role), created: true };
}

/**
 * Writes one message inside the caller's transaction (a reply, a macro's reply): attachments
 * claimed, SLA clock, notification, read mark and events. The caller checked access and retries.
 */
export function writeMessage(
  tx: Tx,
  deps: Deps,
  actor: SessionUser,
  ticket: TicketWithEstate,
  staff: boolean,
  input: MessageInput,
  now: Date,
): { message: TicketMessage; events: StoredEvent[] } {
  const ticketId = ticket.id;
  const internal = staff && input.internal === true;
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  const message = insertTicketMessage(tx, {
    ticketId,
    authorUserId: actor.id,
    body: input.body,
    visibility: internal ? 'internal' : 'public',
    kind: 'message',
    clientId: input.clientId,
    createdAt: now,
  });
  const claimed = claimAttachments(tx, {
    attachmentIds,
    ownerUserId: actor.id,
    ticketId,
    messageId: message.id,
  });
  if (claimed !== attachmentIds.length) {
    throw badRequest('invalid_attachment', 'An attachment is unknown, not yours or already used.');
  }
  if (!internal) {
    // First public staff reply stops the first-response SLA clock (set only while still empty).
    touchTicketAfterMessage(tx, ticketId, now, staff);
    // Seed 004: a mail (and push) on every public staff reply; never for internal notes.
    if (staff)
      notifyTicketReply(tx, {
        ticket,
        body: input.body,
        authorUserId: actor.id,
        now,
        timeZone: deps.config.timeZone,
      });
  }
  upsertTicketRead(tx, { ticketId, userId: actor.id, lastReadMessageId: message.id, readAt: now });
  const events = logMessageCreated(tx, message, actor.role);
  // The tenant answered what staff waited for: back to work, the paused SLA clock resumes
  // (Zendesk "pending" → "open", Zammad "pending reminder" → "open" on a customer reply).
  if (!staff && ticket.status === 'waiting_tenant') {
    const resumed = applyStatusChange(tx, ticket, 'in_progress', actor, now, {
      staffView: true,
      timeZone: deps.config.timeZone,
    });
    events.push(...resumed.events);
  }
  return { message, events };
}

/** Read mark (socket `read`): persisted, then a `read` event to those who may see the message. */
export function markRead(deps: Deps, actor: SessionUser, ticketId: string, messageId: string): void {
  const { ticket, staff } = loadVisibleTicket(deps, actor, ticketId);
  const message = findMessageOfTicket(deps.db, ticketId, messageId);
  if (!message || (!staff && message.visibility === 'internal')) throw notFound();
  const now = deps.now();
  const events = inTransaction(deps.db, (tx) => {
    upsertTicketRead(tx, { ticketId, userId: actor.id, lastReadMessageId: messageId, readAt: now });
    return logRead(tx, message, actor.id, now);
  });
  publishCommitted(deps, events, placementOf(ticket, ticket.estateId));
}
