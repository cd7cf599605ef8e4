import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import {
  findTicketType,
  updateTicket,
  type Ticket,
  type TicketPatch,
  type TicketStatus,
  type TicketWithEstate,
} from '../../../db/repositories/tickets.ts';
import { inTransaction, type Tx } from '../../../db/transaction.ts';
import type { StaffTicketPatchRequest } from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import { logTicketUpdated, placementOf, publishCommitted } from '../../events/ticket-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest } from '../../lib/http-error.ts';
import { toStaffTicketDto } from './dto.ts';
import { alertEmergency } from '../emergencies.ts';
import { dueDatesForPriority, loadBusinessHours } from '../sla.ts';
import { applyStatusChange } from './lifecycle.ts';
import { listStaffForPlace } from './staff-members.ts';
import { loadVisibleTicket } from './visibility.ts';

/** A status change by staff: with its reason, and the staff view's own event (see applyStatusChange). */
export function changeStatusByStaff(
  tx: Tx,
  ticket: Ticket,
  to: TicketStatus,
  actor: SessionUser,
  now: Date,
  reason: string | null,
  timeZone: string,
): { ticket: Ticket; events: StoredEvent[] } {
  return applyStatusChange(tx, ticket, to, actor, now, { reason, staffView: true, timeZone });
}

/** The assignee must be staff whose scope covers the ticket: 400 `invalid_assignee` otherwise. */
export function assertAssignable(
  deps: Deps,
  ticket: TicketWithEstate,
  assigneeId: string | null | undefined,
) {
  if (!assigneeId) return;
  if (!listStaffForPlace(deps.db, ticket).some((member) => member.id === assigneeId))
    throw badRequest('invalid_assignee', 'Tickets can only be assigned to staff in scope.');
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
  assertAssignable(deps, ticket, patch.assigneeId);
  const now = deps.now();
  const result = inTransaction(deps.db, (tx) => applyStaffPatch(tx, deps, actor, ticket, patch, now));
  publishCommitted(deps, result.events, placementOf(result.ticket, ticket.estateId));
  return toStaffTicketDto(result.ticket, actor.language);
}

/**
 * The changes of one staff patch inside the caller's transaction: one ticket's PATCH, each ticket
 * of a bulk change, the status and assignment of a macro. The caller has checked scope and assignee.
 */
export function applyStaffPatch(
  tx: Tx,
  deps: Deps,
  actor: SessionUser,
  ticket: Ticket,
  patch: StaffTicketPatchRequest,
  now: Date,
): { ticket: Ticket; events: StoredEvent[] } {
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
  if (rest.priority) Object.assign(rest, priorityDueDates(tx, deps, current, rest.priority));
  if (Object.keys(rest).length > 0) {
    const before = { priority: current.priority, assigneeId: current.assigneeId };
    current = updateTicket(tx, ticket.id, { ...rest, updatedAt: now });
    if (rest.priority)
      audit(tx, actor, ticket.id, 'ticket.priority_changed', now, {
        from: before.priority,
        to: rest.priority,
      });
    // Raised to urgent by staff: the same alert as an emergency filed as one, in the same
    // transaction; emergency_alerts keeps it to one per ticket however often it is raised again.
    if (rest.priority === 'urgent' && current.status !== 'resolved' && current.status !== 'closed') {
      alertEmergency(tx, current, {
        now,
        timeZone: deps.config.timeZone,
        businessHours: loadBusinessHours(tx),
      });
    }
    if (rest.assigneeId !== undefined) {
      audit(tx, actor, ticket.id, 'ticket.assigned', now, { from: before.assigneeId, to: rest.assigneeId });
    }
    events.push(...logTicketUpdated(tx, current, true));
  }
  return { ticket: current, events };
}

/** The SLA due dates of `ticket` at a new priority (server/services/sla.ts dueDatesForPriority). */
function priorityDueDates(tx: Tx, deps: Deps, ticket: Ticket, priority: Ticket['priority']): TicketPatch {
  const type = findTicketType(tx, ticket.typeId);
  if (!type) return {};
  return dueDatesForPriority(tx, ticket, type, priority, deps.config.timeZone);
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
