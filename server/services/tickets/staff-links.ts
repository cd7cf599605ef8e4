import { findIncident } from '../../../db/repositories/incidents.ts';
import { findEstateOfBuilding, updateTicket } from '../../../db/repositories/tickets.ts';
import { insertTicketMessage } from '../../../db/repositories/ticket-messages.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, conflict, notFound } from '../../domain/errors.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { toStaffTicketDto } from './dto.ts';
import { applyStatusChange } from './lifecycle.ts';
import { audit } from './staff.ts';
import { isStaffUser, loadStaffScope, loadVisibleTicket, staffScopeCovers } from './visibility.ts';

/**
 * `POST /staff/tickets/:id/merge { intoTicketId }` (issue 5 "merge a duplicate"): both tickets
 * must be in scope (404 like a missing id otherwise). The duplicate is closed and points at the
 * target; its tenant can still open it and reads `merged_into:<number>` in the dialog. The line
 * on the target is internal: the target may belong to another household, whose ticket numbers
 * are none of the first tenant's business (and vice versa).
 */
export async function mergeTicket(deps: Deps, actor: SessionUser, ticketId: string, intoTicketId: string) {
  if (!isStaffUser(actor)) throw notFound();
  const { ticket: duplicate } = await loadVisibleTicket(deps, actor, ticketId);
  const { ticket: target } = await loadVisibleTicket(deps, actor, intoTicketId);
  if (duplicate.id === target.id)
    throw badRequest('merge_into_self', 'A ticket cannot be merged into itself.');
  if (duplicate.mergedIntoId) throw conflict('already_merged', 'This ticket was merged already.');
  if (target.mergedIntoId)
    throw conflict('target_merged', 'The target was itself merged into another ticket.');
  const now = deps.now();
  const merged = await unitOfWork(deps, async (uow) => {
    const { tx, record } = uow;
    if (duplicate.status !== 'closed') {
      await applyStatusChange(uow, duplicate, 'closed', actor, now, {
        reason: `merged_into:${target.number}`,
        timeZone: deps.config.timeZone,
      });
    }
    const merged = {
      ...(await updateTicket(tx, duplicate.id, { mergedIntoId: target.id, updatedAt: now })),
      estateId: duplicate.estateId,
    };
    record({ type: 'ticket.updated', ticket: merged });
    const away = await insertTicketMessage(tx, {
      ticketId: duplicate.id,
      authorUserId: null,
      body: `merged_into:${target.number}`,
      visibility: 'public',
      kind: 'system',
      createdAt: now,
    });
    const here = await insertTicketMessage(tx, {
      ticketId: target.id,
      authorUserId: null,
      body: `merged_from:${duplicate.number}`,
      visibility: 'internal',
      kind: 'system',
      createdAt: now,
    });
    // Each line goes to its own ticket's audience; the target's is internal (see above).
    record({ type: 'ticket.message.added', ticket: merged, message: away, authorRole: null, byStaff: false });
    record({ type: 'ticket.message.added', ticket: target, message: here, authorRole: null, byStaff: false });
    await audit(tx, actor, duplicate.id, 'ticket.merged', now, {
      into: target.id,
      intoNumber: target.number,
    });
    await audit(tx, actor, target.id, 'ticket.merge_received', now, {
      from: duplicate.id,
      fromNumber: duplicate.number,
    });
    return merged;
  });
  return toStaffTicketDto(merged, actor.language);
}

/**
 * `POST /staff/tickets/:id/incident { incidentId | null }`: attach a ticket to an incident
 * ("related ticket", seeds 002, 004) or detach it. The incident must lie in the staff member's
 * scope; one outside it answers 404 like a missing one.
 */
export async function linkIncident(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  incidentId: string | null,
) {
  if (!isStaffUser(actor)) throw notFound();
  const { ticket } = await loadVisibleTicket(deps, actor, ticketId);
  if (incidentId) {
    const incident = await findIncident(deps.db, incidentId);
    if (!incident) throw notFound();
    const estateId =
      incident.estateId ??
      (incident.buildingId ? ((await findEstateOfBuilding(deps.db, incident.buildingId)) ?? null) : null);
    const place = { buildingId: incident.scope === 'building' ? incident.buildingId : null, estateId };
    const scope = await loadStaffScope(deps.db, actor);
    // An estate-wide incident is in scope only for staff who see the whole estate.
    const covered =
      incident.scope === 'estate'
        ? scope.estateIds === null || (estateId !== null && scope.estateIds.includes(estateId))
        : staffScopeCovers(scope, place);
    if (!covered) throw notFound();
  }
  if (ticket.incidentId === incidentId) return toStaffTicketDto(ticket, actor.language);
  const now = deps.now();
  const linked = await unitOfWork(deps, async ({ tx, record }) => {
    const updated = await updateTicket(tx, ticketId, { incidentId, updatedAt: now });
    await audit(tx, actor, ticketId, 'ticket.incident_linked', now, {
      from: ticket.incidentId,
      to: incidentId,
    });
    record({ type: 'ticket.updated', ticket: { ...updated, estateId: ticket.estateId } });
    return updated;
  });
  return toStaffTicketDto(linked, actor.language);
}
