import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  findTicketType,
  updateTicket,
  type Ticket,
  type TicketPatch,
  type TicketWithEstate,
} from '../../../db/repositories/tickets.ts';
import type { DbOrTx, Tx } from '../../../db/transaction.ts';
import type { StaffTicketPatchRequest } from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest } from '../../domain/errors.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { toStaffTicketDto } from './dto.ts';
import { dueDatesForPriority } from '../sla.ts';
import { applyStatusChange } from './lifecycle.ts';
import { listStaffForPlace } from './staff-members.ts';
import { loadVisibleTicket } from './visibility.ts';

/** The assignee must be staff whose scope covers the ticket: 400 `invalid_assignee` otherwise. */
export async function assertAssignable(
  deps: Deps,
  ticket: TicketWithEstate,
  assigneeId: string | null | undefined,
  db: DbOrTx = deps.db,
) {
  if (!assigneeId) return;
  if (!(await listStaffForPlace(db, ticket)).some((member) => member.id === assigneeId))
    throw badRequest('invalid_assignee', 'Tickets can only be assigned to staff in scope.');
}

/**
 * `PATCH /staff/tickets/:id`: status (with reason), assignee, priority; every change audited and
 * logged for live clients in the same transaction. The assignee must be staff whose scope covers
 * the ticket, else 400 `invalid_assignee`.
 */
export async function patchStaffTicket(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  patch: StaffTicketPatchRequest,
) {
  const now = deps.now();
  // Scope and assignee are checked inside the unit: what they answer is what the patch acts on.
  const changed = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadVisibleTicket(deps, actor, ticketId, uow.tx);
    await assertAssignable(deps, ticket, patch.assigneeId, uow.tx);
    return await applyStaffPatch(uow, deps, actor, ticket, patch, now);
  });
  return toStaffTicketDto(changed, actor.language);
}

/**
 * The changes of one staff patch inside the caller's unit of work: one ticket's PATCH, each ticket
 * of a bulk change, the status and assignment of a macro. The caller has checked scope and
 * assignee. Returns the changed ticket; live clients hear of it once (the projector coalesces).
 */
export async function applyStaffPatch(
  uow: UnitOfWork,
  deps: Deps,
  actor: SessionUser,
  ticket: TicketWithEstate,
  patch: StaffTicketPatchRequest,
  now: Date,
): Promise<TicketWithEstate> {
  const { tx } = uow;
  let current = ticket;
  if (patch.status && patch.status !== ticket.status) {
    current = await applyStatusChange(uow, current, patch.status, actor, now, {
      reason: patch.reason ?? null,
      timeZone: deps.config.timeZone,
    });
  }
  const rest: TicketPatch = {};
  if (patch.priority && patch.priority !== current.priority) rest.priority = patch.priority;
  if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId)
    rest.assigneeId = patch.assigneeId;
  if (rest.priority) Object.assign(rest, await priorityDueDates(tx, deps, current, rest.priority));
  if (Object.keys(rest).length > 0) {
    const before = { priority: current.priority, assigneeId: current.assigneeId };
    current = {
      ...(await updateTicket(tx, ticket.id, { ...rest, updatedAt: now })),
      estateId: ticket.estateId,
    };
    if (rest.priority)
      await audit(tx, actor, ticket.id, 'ticket.priority_changed', now, {
        from: before.priority,
        to: rest.priority,
      });
    // Raised to urgent by staff: the same alert as an emergency filed as one, in the same
    // transaction; emergency_alerts keeps it to one per ticket however often it is raised again.
    if (rest.priority === 'urgent' && current.status !== 'resolved' && current.status !== 'closed') {
      uow.record({ type: 'ticket.emergency.raised', ticket: current, at: now });
    }
    if (rest.assigneeId !== undefined) {
      await audit(tx, actor, ticket.id, 'ticket.assigned', now, {
        from: before.assigneeId,
        to: rest.assigneeId,
      });
    }
    uow.record({ type: 'ticket.updated', ticket: current });
  }
  return current;
}

/** The SLA due dates of `ticket` at a new priority (server/services/sla.ts dueDatesForPriority). */
async function priorityDueDates(
  tx: Tx,
  deps: Deps,
  ticket: Ticket,
  priority: Ticket['priority'],
): Promise<TicketPatch> {
  const type = await findTicketType(tx, ticket.typeId);
  if (!type) return {};
  return await dueDatesForPriority(tx, ticket, type, priority, deps.config.timeZone);
}

export async function audit(
  tx: Tx,
  actor: SessionUser,
  ticketId: string,
  action: string,
  now: Date,
  data: Record<string, unknown>,
): Promise<void> {
  await insertAuditEntry(tx, {
    actorUserId: actor.id,
    action,
    entityType: 'ticket',
    entityId: ticketId,
    data,
    createdAt: now,
  });
}
