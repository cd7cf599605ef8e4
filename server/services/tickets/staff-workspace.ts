import { listAuditEntriesWithActor } from '../../../db/repositories/audit.ts';
import {
  findTicketPanel,
  findTicketWithEstate,
  listStatusHistoryOfTicket,
  listTicketsMergedInto,
} from '../../../db/repositories/tickets.ts';
import { dialogPageSize } from '../../../shared/api/tickets.ts';
import type { TicketPanelDto, TicketWorkspaceDto } from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import { slaOf } from '../sla.ts';
import { readDialogPage } from './dialog.ts';
import { toStaffTicketDto } from './dto.ts';
import { personName } from './staff-inbox.ts';
import { listStaffForPlace, staffNames } from './staff-members.ts';
import { currentViewers } from './staff-viewers.ts';
import { isStaffUser, loadVisibleTicket } from './visibility.ts';

type PanelRow = NonNullable<Awaited<ReturnType<typeof findTicketPanel>>>;

function toPanel(row: PanelRow, mergedInto: TicketPanelDto['mergedInto']): TicketPanelDto {
  const { person } = row;
  const name =
    person.kind === 'organisation' ? person.organisationName : personName(person.firstName, person.lastName);
  return {
    tenant: {
      personId: person.id,
      name: name ?? row.loginEmail,
      email: person.email ?? row.loginEmail,
      phone: person.phone ?? person.mobile,
      customerNumber: person.customerNumber,
      language: row.language,
    },
    contract: row.contract?.id ? { id: row.contract.id, number: row.contract.number } : null,
    unit: row.unit?.id ? { id: row.unit.id, number: row.unit.number } : null,
    address: row.building?.street ? row.building : null,
    incident: row.incident?.id ? { id: row.incident.id, title: row.incident.title } : null,
    mergedInto,
  };
}

/**
 * `GET /staff/tickets/:id` (issue 5 item 2): everything one agent needs on one screen — the
 * dialog with internal notes, attachments, status history with reasons, the audit trail, SLA
 * clocks, the tenant/contract panel, who else is viewing, and who the ticket may be assigned to.
 * The dialog is its newest page; older pages come from `GET /staff/tickets/:id/messages`.
 */
export async function getWorkspace(
  deps: Deps,
  user: SessionUser,
  ticketId: string,
): Promise<TicketWorkspaceDto> {
  if (!isStaffUser(user)) throw notFound();
  const { ticket } = await loadVisibleTicket(deps, user, ticketId);
  const panelRow = await findTicketPanel(deps.db, ticketId);
  if (!panelRow) throw notFound();
  const names = await staffNames(deps.db);
  const now = deps.now();
  // Merging needs both tickets in scope, so the target is shown by number and subject.
  const target = ticket.mergedIntoId ? await findTicketWithEstate(deps.db, ticket.mergedIntoId) : undefined;
  const dialog = await readDialogPage(deps, ticketId, {
    staff: true,
    before: null,
    limit: dialogPageSize,
    ticketFiles: true,
  });
  return {
    ticket: {
      ...toStaffTicketDto(ticket, user.language),
      mergedIntoId: ticket.mergedIntoId,
      teamName: panelRow.teamName,
    },
    panel: toPanel(
      panelRow,
      target ? { id: target.id, number: target.number, subject: target.subject } : null,
    ),
    mergedFrom: await listTicketsMergedInto(deps.db, ticketId),
    messages: dialog.messages,
    attachments: dialog.attachments,
    hasOlder: dialog.hasOlder,
    olderCursor: dialog.olderCursor,
    statusHistory: (await listStatusHistoryOfTicket(deps.db, ticketId)).map((row) => ({
      fromStatus: row.fromStatus,
      toStatus: row.toStatus,
      reason: row.reason,
      changedByUserId: row.changedByUserId,
      createdAt: row.createdAt.toISOString(),
    })),
    audit: (await listAuditEntriesWithActor(deps.db, 'ticket', ticketId)).map(
      ({ entry, firstName, lastName }) => ({
        id: entry.id,
        action: entry.action,
        actorUserId: entry.actorUserId,
        actorName: personName(firstName, lastName),
        data: entry.data,
        createdAt: entry.createdAt.toISOString(),
      }),
    ),
    sla: slaOf(ticket, now),
    viewers: (await currentViewers(deps, ticketId))
      .filter((viewer) => viewer.userId !== user.id)
      .map((viewer) => ({
        userId: viewer.userId,
        name: names.get(viewer.userId) ?? '',
        at: viewer.at.toISOString(),
      })),
    staff: await listStaffForPlace(deps.db, ticket),
  };
}
