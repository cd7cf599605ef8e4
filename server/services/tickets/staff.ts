import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import {
  insertTicketMessage,
  insertTicketStatusChanges,
  updateTicket,
  type Ticket,
  type TicketPatch,
  type TicketStatus,
} from '../../../db/repositories/tickets.ts';
import { inTransaction, type Tx } from '../../../db/transaction.ts';
import type { StaffTicketPatchRequest } from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import {
  logMessageCreated,
  logTicketUpdated,
  placementOf,
  publishCommitted,
} from '../../events/ticket-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notifyTicketStatus } from '../../notify/domain.ts';
import { badRequest } from '../../lib/http-error.ts';
import { toStaffTicketDto } from './dto.ts';
import { listStaffForPlace } from './staff-members.ts';
import { loadVisibleTicket } from './visibility.ts';

/**
 * A status change by staff: the new status, a history row with the reason, a public system line
 * ("status:new->in_progress", so the tenant's status tracking of seed 000 reads like the staff
 * view) and an audit entry. The reason stays with staff (history and audit), not in the dialog.
 */
export function changeStatusByStaff(
  tx: Tx,
  ticket: Ticket,
  to: TicketStatus,
  actor: SessionUser,
  now: Date,
  reason: string | null,
  timeZone: string,
): { ticket: Ticket; events: StoredEvent[] } {
  const patch: TicketPatch = { status: to, updatedAt: now, lastActivityAt: now };
  if (to === 'resolved') patch.resolvedAt = now;
  if (ticket.status === 'resolved' && to !== 'closed') patch.resolvedAt = null;
  const updated = updateTicket(tx, ticket.id, patch);
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
  // The tenant hears of it by their channels (seed 004: mail on every change, with a deep link).
  notifyTicketStatus(tx, { ticket: updated, status: to, actorUserId: actor.id, now, timeZone });
  return {
    ticket: updated,
    events: [...logTicketUpdated(tx, updated, true), ...logMessageCreated(tx, line, null)],
  };
}

/**
 * `PATCH /staff/tickets/:id`: status (with reason), assignee, priority; every change audited and
 * logged for live clients in the same transaction. The assignee must be staff whose scope covers
 * the ticket, else 400 `invalid_assignee`.
 */
export function patchStaffTicket(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  patch: StaffTicketPatchRequest,
) {
  const { ticket } = loadVisibleTicket(deps, actor, ticketId);
  if (patch.assigneeId) {
    const assignable = listStaffForPlace(deps.db, ticket).some((member) => member.id === patch.assigneeId);
    if (!assignable) throw badRequest('invalid_assignee', 'Tickets can only be assigned to staff in scope.');
  }
  const now = deps.now();
  const result = inTransaction(deps.db, (tx) => {
    const events: StoredEvent[] = [];
    let current: Ticket = ticket;
    if (patch.status && patch.status !== ticket.status) {
      const changed = changeStatusByStaff(
        tx,
        current,
        patch.status,
        actor,
        now,
        patch.reason ?? null,
        deps.config.timeZone,
      );
      current = changed.ticket;
      events.push(...changed.events);
    }
    const rest: TicketPatch = {};
    if (patch.priority && patch.priority !== current.priority) rest.priority = patch.priority;
    if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId)
      rest.assigneeId = patch.assigneeId;
    if (Object.keys(rest).length > 0) {
      const before = { priority: current.priority, assigneeId: current.assigneeId };
      current = updateTicket(tx, ticketId, { ...rest, updatedAt: now });
      if (rest.priority)
        audit(tx, actor, ticketId, 'ticket.priority_changed', now, {
          from: before.priority,
          to: rest.priority,
        });
      if (rest.assigneeId !== undefined) {
        audit(tx, actor, ticketId, 'ticket.assigned', now, { from: before.assigneeId, to: rest.assigneeId });
      }
      events.push(...logTicketUpdated(tx, current, true));
    }
    return { ticket: current, events };
  });
  publishCommitted(deps, result.events, placementOf(result.ticket, ticket.estateId));
  return toStaffTicketDto(result.ticket);
}

export function audit(
  tx: Tx,
  actor: SessionUser,
  ticketId: string,
  action: string,
  now: Date,
  data: Record<string, unknown>,
): void {
  insertAuditEntry(tx, {
    actorUserId: actor.id,
    action,
    entityType: 'ticket',
    entityId: ticketId,
    data,
    createdAt: now,
  });
}
