import type { StoredEvent } from '../../../db/repositories/events.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  insertTicketStatusChanges,
  updateTicket,
  type Ticket,
  type TicketPatch,
  type TicketStatus,
} from '../../../db/repositories/tickets.ts';
import { insertTicketMessage } from '../../../db/repositories/ticket-messages.ts';
import { inTransaction, type Tx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import {
  logMessageCreated,
  logTicketUpdated,
  placementOf,
  publishCommitted,
} from '../../events/ticket-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict } from '../../lib/http-error.ts';
import { toTicketDto } from './dto.ts';
import { loadWritableTicket } from './visibility.ts';
import { notifyTicketStatus } from '../../notify/domain.ts';
import { resumedResolutionDue } from '../sla.ts';

/** A resolved request may be reopened for 14 days (then a new request is the clearer path). */
export const reopenWindowMs = 14 * 24 * 3_600_000;

export interface StatusChangeOptions {
  /** Other fields changed with the status (reopen count). */
  extra?: TicketPatch;
  /** Staff give a reason; it stays with staff (history and audit), not in the dialog. */
  reason?: string | null;
  /** Whether staff-only fields are part of the change (then the staff view gets its own event). */
  staffView?: boolean;
  /** The landlord's zone: business hours (SLA pause) and notification dates are local. */
  timeZone: string;
}

/**
 * Every status change, by tenant (reopen) or staff: the new status, a history row, a public
 * system line in the dialog ("status:new->in_progress", so the tenant's status tracking of seed
 * 000 reads like the staff view), an audit entry and the tenant's notification — one write path.
 */
export function applyStatusChange(
  tx: Tx,
  ticket: Ticket,
  to: TicketStatus,
  actor: SessionUser,
  now: Date,
  options: StatusChangeOptions,
): { ticket: Ticket; events: StoredEvent[] } {
  const reason = options.reason ?? null;
  const patch: TicketPatch = { status: to, updatedAt: now, lastActivityAt: now };
  if (to === 'resolved') patch.resolvedAt = now;
  else if (ticket.status === 'resolved' && to !== 'closed') patch.resolvedAt = null;
  // Leaving `waiting_tenant` resumes the paused resolution clock (issue 5 SLA, Zendesk "pending").
  if (ticket.status === 'waiting_tenant' && ticket.resolutionDueAt)
    patch.resolutionDueAt = resumedResolutionDue(tx, ticket, now, options.timeZone);
  const updated = updateTicket(tx, ticket.id, { ...patch, ...options.extra });
  insertTicketStatusChanges(tx, [
    {
      ticketId: ticket.id,
      fromStatus: ticket.status,
      toStatus: to,
      reason,
      changedByUserId: actor.id,
      createdAt: now,
    },
  ]);
  const line = insertTicketMessage(tx, {
    ticketId: ticket.id,
    authorUserId: null,
    body: `status:${ticket.status}->${to}`,
    visibility: 'public',
    kind: 'status_change',
    createdAt: now,
  });
  insertAuditEntry(tx, {
    actorUserId: actor.id,
    action: 'ticket.status_changed',
    entityType: 'ticket',
    entityId: ticket.id,
    data: { from: ticket.status, to, ...(reason && { reason }) },
    createdAt: now,
  });
  notifyTicketStatus(tx, {
    ticket: updated,
    status: to,
    actorUserId: actor.id,
    now,
    timeZone: options.timeZone,
  });
  return {
    ticket: updated,
    events: [
      ...logTicketUpdated(tx, updated, options.staffView ?? false),
      ...logMessageCreated(tx, line, null),
    ],
  };
}

/** `POST /tickets/:id/rating`: once the request is resolved or closed. */
export function rateTicket(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { rating: number; comment?: string },
) {
  const { ticket } = loadWritableTicket(deps, actor, ticketId);
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw conflict('not_resolved', 'Only resolved requests can be rated.');
  }
  const now = deps.now();
  const result = inTransaction(deps.db, (tx) => {
    const updated = updateTicket(tx, ticketId, {
      rating: input.rating,
      ratingComment: input.comment ?? null,
      updatedAt: now,
    });
    return { ticket: updated, events: logTicketUpdated(tx, updated, false) };
  });
  publishCommitted(deps, result.events, placementOf(result.ticket, ticket.estateId));
  return toTicketDto(result.ticket, actor.language);
}

/** `POST /tickets/:id/reopen`: within 14 days of resolution; back to `in_progress`. */
export function reopenTicket(deps: Deps, actor: SessionUser, ticketId: string) {
  const { ticket } = loadWritableTicket(deps, actor, ticketId);
  const now = deps.now();
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) {
    throw conflict('not_resolved', 'Only resolved requests can be reopened.');
  }
  if (now.getTime() - ticket.resolvedAt.getTime() > reopenWindowMs) {
    throw conflict(
      'reopen_window_closed',
      'This request was resolved more than 14 days ago; please file a new one.',
    );
  }
  const result = inTransaction(deps.db, (tx) =>
    applyStatusChange(tx, ticket, 'in_progress', actor, now, {
      extra: { reopenCount: ticket.reopenCount + 1, resolvedAt: null },
      timeZone: deps.config.timeZone,
    }),
  );
  publishCommitted(deps, result.events, placementOf(result.ticket, ticket.estateId));
  return toTicketDto(result.ticket, actor.language);
}
