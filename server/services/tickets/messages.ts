import { claimAttachments } from '../../../db/repositories/files.ts';
import { touchTicketAfterMessage } from '../../../db/repositories/tickets.ts';
import {
  findMessageByClientId,
  findMessageOfTicket,
  insertTicketMessage,
  upsertTicketRead,
  type TicketMessage,
} from '../../../db/repositories/ticket-messages.ts';
import type { TicketWithEstate } from '../../../db/repositories/tickets.ts';
import type { TicketMessageDto } from '../../../shared/api/tickets.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, conflict, notFound } from '../../domain/errors.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { toMessageDto } from './dto.ts';
import { loadVisibleTicket, loadWritableTicket } from './visibility.ts';
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
export async function addMessage(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: MessageInput,
): Promise<AddMessageResult> {
  const now = deps.now();
  // Access and the retry are read inside the unit: what they answer is what the write acts on.
  const result = await unitOfWork(deps, async (uow) => {
    const { ticket, staff } = await loadWritableTicket(deps, actor, ticketId, uow.tx);
    const retried = await findMessageByClientId(uow.tx, actor.id, input.clientId);
    if (retried) return { message: retried, created: false };
    return { message: await writeMessage(uow, deps, actor, ticket, staff, input, now), created: true };
  });
  if (!result.created) return existingFor(result.message, ticketId, actor.role);
  return { message: toMessageDto(result.message, actor.role), created: true };
}

/**
 * Writes one message inside the caller's unit of work (a reply, a macro's reply): attachments
 * claimed, SLA clock, the author's read mark and the domain event (the projector notifies and
 * tells live clients). The caller checked access and retries.
 */
export async function writeMessage(
  uow: UnitOfWork,
  deps: Deps,
  actor: SessionUser,
  ticket: TicketWithEstate,
  staff: boolean,
  input: MessageInput,
  now: Date,
): Promise<TicketMessage> {
  const { tx } = uow;
  const ticketId = ticket.id;
  const internal = staff && input.internal === true;
  const attachmentIds = [...new Set(input.attachmentIds ?? [])];
  const message = await insertTicketMessage(tx, {
    ticketId,
    authorUserId: actor.id,
    body: input.body,
    visibility: internal ? 'internal' : 'public',
    kind: 'message',
    clientId: input.clientId,
    createdAt: now,
  });
  const claimed = await claimAttachments(tx, {
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
    await touchTicketAfterMessage(tx, ticketId, now, staff);
  }
  // The author has read what they wrote: stored here, so nobody sends a read mark for it.
  await upsertTicketRead(tx, { ticketId, userId: actor.id, lastReadMessageId: message.id, readAt: now });
  uow.record({ type: 'ticket.message.added', ticket, message, authorRole: actor.role, byStaff: staff });
  // The tenant answered what staff waited for: back to work, the paused SLA clock resumes
  // (Zendesk "pending" → "open", Zammad "pending reminder" → "open" on a customer reply).
  if (!staff && ticket.status === 'waiting_tenant') {
    await applyStatusChange(uow, ticket, 'in_progress', actor, now, { timeZone: deps.config.timeZone });
  }
  return message;
}

/**
 * Read mark (socket `read`): persisted, then a `read` event to those who may see the message.
 * One's own message was marked read when it was written (writeMessage): nothing to store or send.
 */
export async function markRead(deps: Deps, actor: SessionUser, ticketId: string, messageId: string) {
  const { ticket, staff } = await loadVisibleTicket(deps, actor, ticketId);
  const message = await findMessageOfTicket(deps.db, ticketId, messageId);
  if (!message || (!staff && message.visibility === 'internal')) throw notFound();
  if (message.authorUserId === actor.id) return;
  const now = deps.now();
  await unitOfWork(deps, async (uow) => {
    await upsertTicketRead(uow.tx, { ticketId, userId: actor.id, lastReadMessageId: messageId, readAt: now });
    uow.record({ type: 'ticket.message.read', ticket, message, userId: actor.id, at: now });
  });
}
