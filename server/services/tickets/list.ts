import {
  listStatusHistoryOfTicket,
  listTicketsOfCustomer,
  listTicketTypesForForms,
} from '../../../db/repositories/tickets.ts';
import { latestStaffReadAt } from '../../../db/repositories/ticket-messages.ts';
import { dialogPageSize, type TicketStatus } from '../../../shared/api/tickets.ts';
import { ticketTypeFormSchema } from '../../../shared/ticket-types.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { loadCustomerScope } from '../access.ts';
import { readDialogPage } from './dialog.ts';
import { toStaffTicketDto, toStatusChangeDto, toTicketDto } from './dto.ts';
import { customerCanWrite, loadVisibleTicket } from './visibility.ts';

/** Lists are bounded: the PWA pages by search, not by scrolling thousands of rows. */
const listLimit = 200;

/** `GET /ticket-types`: the forms of the active types, in their configured order. */
export async function listTicketTypeForms(deps: Deps) {
  return (await listTicketTypesForForms(deps.db)).flatMap((type) => {
    const form = ticketTypeFormSchema.safeParse(type.form);
    if (!form.success) return [];
    return [
      {
        id: type.id,
        form: form.data,
        defaultPriority: type.defaultPriority,
        slaHours: { firstResponse: type.slaFirstResponseHours, resolution: type.slaResolutionHours },
      },
    ];
  });
}

/** "My requests" (seed 003) with search over number, subject and description (seed 004). */
export async function listCustomerTickets(
  deps: Deps,
  user: SessionUser,
  query: { q?: string; status?: TicketStatus },
) {
  const scope = await loadCustomerScope(deps, user);
  const rows = await listTicketsOfCustomer(deps.db, user.id, [...scope.contracts.keys()], {
    ...query,
    limit: listLimit,
  });
  return rows.map((row) => toTicketDto(row, user.language));
}

/**
 * `GET /tickets/:id`: the ticket, the newest page of its dialog (older pages by `olderCursor`, see
 * dialog.ts), the files on the ticket and of that page, and the status history. Customers get
 * public messages only, and no attachment of an internal note.
 */
export async function getTicketDetail(deps: Deps, user: SessionUser, ticketId: string) {
  const { ticket, staff, customerScope } = await loadVisibleTicket(deps, user, ticketId);
  const { messages, attachments, hasOlder, olderCursor } = await readDialogPage(deps, ticketId, {
    staff,
    before: null,
    limit: dialogPageSize,
    ticketFiles: true,
  });
  const statusHistory = (await listStatusHistoryOfTicket(deps.db, ticketId)).map(toStatusChangeDto);
  const staffReadAt = await latestStaffReadAt(deps.db, ticketId);
  return {
    ticket: staff ? toStaffTicketDto(ticket, user.language) : toTicketDto(ticket, user.language),
    messages,
    attachments,
    hasOlder,
    olderCursor,
    statusHistory,
    /** Whether this reader may reply, rate and reopen (a `read` household member may not). */
    canWrite: staff || (customerScope !== null && customerCanWrite(customerScope, ticket)),
    /** The read mark of the tenant's messages: when the landlord's people last read the dialog. */
    staffReadAt: staffReadAt ? staffReadAt.toISOString() : null,
  };
}
