import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import { updateTicket, type TicketPatch } from '../../../db/repositories/tickets.ts';
import { findAccountByUserId } from '../../../db/repositories/users.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { StaffTicketPatch } from '../../../shared/api/tickets.ts';
import type { Deps } from '../../deps.ts';
import { logTicketUpdated, placementOf, publishCommitted } from '../../events/ticket-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest } from '../../lib/http-error.ts';
import { toStaffTicketDto } from './dto.ts';
import { applyStatusChange } from './lifecycle.ts';
import { loadVisibleTicket } from './visibility.ts';

/** `PATCH /staff/tickets/:id`: status (with history and a system line), assignee, priority. */
export function patchStaffTicket(deps: Deps, actor: SessionUser, ticketId: string, patch: StaffTicketPatch) {
  const { ticket } = loadVisibleTicket(deps, actor, ticketId);
  if (patch.assigneeId) {
    const assignee = findAccountByUserId(deps.db, patch.assigneeId);
    if (!assignee || (assignee.user.role !== 'staff' && assignee.user.role !== 'admin')) {
      throw badRequest('invalid_assignee', 'Tickets can only be assigned to staff.');
    }
  }
  const now = deps.now();
  const result = inTransaction(deps.db, (tx) => {
    const events: StoredEvent[] = [];
    let current = ticket;
    if (patch.status && patch.status !== ticket.status) {
      const changed = applyStatusChange(tx, current, patch.status, actor, now);
      current = { ...changed.ticket, estateId: ticket.estateId };
      events.push(...changed.events);
    }
    const rest: TicketPatch = {};
    if (patch.priority && patch.priority !== current.priority) rest.priority = patch.priority;
    if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId)
      rest.assigneeId = patch.assigneeId;
    if (Object.keys(rest).length > 0) {
      current = { ...updateTicket(tx, ticketId, { ...rest, updatedAt: now }), estateId: ticket.estateId };
      insertAuditEntry(tx, {
        actorUserId: actor.id,
        action: 'ticket.updated',
        entityType: 'ticket',
        entityId: ticketId,
        data: rest,
        createdAt: now,
      });
      events.push(...logTicketUpdated(tx, current, true));
    }
    return { ticket: current, events };
  });
  publishCommitted(deps, result.events, placementOf(result.ticket, ticket.estateId));
  return toStaffTicketDto(result.ticket);
}
