import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  insertTicketStatusChanges,
  updateTicket,
  type TicketPatch,
  type TicketStatus,
  type TicketWithEstate,
} from '../../../db/repositories/tickets.ts';
import { insertTicketMessage } from '../../../db/repositories/ticket-messages.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict } from '../../domain/errors.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { toTicketDto } from './dto.ts';
import { loadWritableTicket } from './visibility.ts';
import { resumedResolutionDue } from '../sla.ts';

/** A resolved request may be reopened for 14 days (then a new request is the clearer path). */
export const reopenWindowMs = 14 * 24 * 3_600_000;

export interface StatusChangeOptions {
  /** Other fields changed with the status (reopen count). */
  extra?: TicketPatch;
  /** Staff give a reason; it stays with staff (history and audit), not in the dialog. */
  reason?: string | null;
  /** The landlord's zone: business hours (SLA pause) and notification dates are local. */
  timeZone: string;
}

/**
 * Every status change, by tenant (reopen) or staff: the new status, a history row, a public
 * system line in the dialog ("status:new->in_progress", so the tenant's status tracking of seed
 * 000 reads like the staff view), an audit entry and the tenant's notification — one write path.
 * Returns the changed ticket.
 */
export async function applyStatusChange(
  uow: UnitOfWork,
  ticket: TicketWithEstate,
  to: TicketStatus,
  actor: SessionUser,
  now: Date,
  options: StatusChangeOptions,
): Promise<TicketWithEstate> {
  const { tx } = uow;
  const reason = options.reason ?? null;
  const patch: TicketPatch = { status: to, updatedAt: now, lastActivityAt: now };
  if (to === 'resolved') patch.resolvedAt = now;
  else if (ticket.status === 'resolved' && to !== 'closed') patch.resolvedAt = null;
  // Leaving `waiting_tenant` resumes the paused resolution clock (issue 5 SLA, Zendesk "pending").
  if (ticket.status === 'waiting_tenant' && ticket.resolutionDueAt)
    patch.resolutionDueAt = await resumedResolutionDue(tx, ticket, now, options.timeZone);
  const updated = {
    ...(await updateTicket(tx, ticket.id, { ...patch, ...options.extra })),
    estateId: ticket.estateId,
  };
  await insertTicketStatusChanges(tx, [
    {
      ticketId: ticket.id,
      fromStatus: ticket.status,
      toStatus: to,
      reason,
      changedByUserId: actor.id,
      createdAt: now,
    },
  ]);
  const line = await insertTicketMessage(tx, {
    ticketId: ticket.id,
    authorUserId: null,
    body: `status:${ticket.status}->${to}`,
    visibility: 'public',
    kind: 'status_change',
    createdAt: now,
  });
  await insertAuditEntry(tx, {
    actorUserId: actor.id,
    action: 'ticket.status_changed',
    entityType: 'ticket',
    entityId: ticket.id,
    data: { from: ticket.status, to, ...(reason && { reason }) },
    createdAt: now,
  });
  uow.record({ type: 'ticket.updated', ticket: updated });
  uow.record({ type: 'ticket.status.changed', ticket: updated, to, actorUserId: actor.id, at: now });
  uow.record({
    type: 'ticket.message.added',
    ticket: updated,
    message: line,
    authorRole: null,
    byStaff: false,
  });
  return updated;
}

/** `POST /tickets/:id/rating`: once the request is resolved or closed. */
export async function rateTicket(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { rating: number; comment?: string },
) {
  const { ticket } = await loadWritableTicket(deps, actor, ticketId);
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw conflict('not_resolved', 'Only resolved requests can be rated.');
  }
  const now = deps.now();
  const updated = await unitOfWork(deps, async ({ tx, record }) => {
    const rated = await updateTicket(tx, ticketId, {
      rating: input.rating,
      ratingComment: input.comment ?? null,
      updatedAt: now,
    });
    record({ type: 'ticket.updated', ticket: { ...rated, estateId: ticket.estateId } });
    return rated;
  });
  return toTicketDto(updated, actor.language);
}

/** `POST /tickets/:id/reopen`: within 14 days of resolution; back to `in_progress`. */
export async function reopenTicket(deps: Deps, actor: SessionUser, ticketId: string) {
  const { ticket } = await loadWritableTicket(deps, actor, ticketId);
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
  const reopened = await unitOfWork(
    deps,
    async (uow) =>
      await applyStatusChange(uow, ticket, 'in_progress', actor, now, {
        extra: { reopenCount: ticket.reopenCount + 1, resolvedAt: null },
        timeZone: deps.config.timeZone,
      }),
  );
  return toTicketDto(reopened, actor.language);
}
