import type { Ticket } from '../../../db/repositories/tickets.ts';
import type { TicketMessage, TicketMessageWithRole } from '../../../db/repositories/ticket-messages.ts';
import type {
  StaffTicketDto,
  StatusChangeDto,
  TicketDto,
  TicketMessageDto,
} from '../../../shared/api/tickets.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toTicketDto(ticket: Ticket): TicketDto {
  return {
    id: ticket.id,
    number: ticket.number,
    type: ticket.typeId,
    fields: ticket.fields,
    subject: ticket.subject,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    contractId: ticket.contractId,
    unitId: ticket.unitId,
    buildingId: ticket.buildingId,
    createdByUserId: ticket.createdByUserId,
    createdAt: ticket.createdAt.toISOString(),
    lastActivityAt: ticket.lastActivityAt.toISOString(),
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    resolutionDueAt: iso(ticket.resolutionDueAt),
    resolvedAt: iso(ticket.resolvedAt),
    rating: ticket.rating,
    ratingComment: ticket.ratingComment,
    reopenCount: ticket.reopenCount,
    incidentId: ticket.incidentId,
  };
}

export function toStaffTicketDto(ticket: Ticket): StaffTicketDto {
  return {
    ...toTicketDto(ticket),
    teamId: ticket.teamId,
    assigneeId: ticket.assigneeId,
    firstRespondedAt: iso(ticket.firstRespondedAt),
  };
}

type AuthorRole = 'customer' | 'staff' | 'admin' | null;

export function toMessageDto(message: TicketMessage, authorRole: AuthorRole): TicketMessageDto {
  return {
    id: message.id,
    ticketId: message.ticketId,
    authorUserId: message.authorUserId,
    authorRole:
      message.kind !== 'message' || !authorRole ? 'system' : authorRole === 'customer' ? 'customer' : 'staff',
    body: message.body,
    visibility: message.visibility,
    kind: message.kind,
    clientId: message.clientId,
    createdAt: message.createdAt.toISOString(),
  };
}

export const messageWithRoleToDto = (message: TicketMessageWithRole) =>
  toMessageDto(message, message.authorRole);

export function toStatusChangeDto(row: {
  fromStatus: StatusChangeDto['fromStatus'];
  toStatus: StatusChangeDto['toStatus'];
  createdAt: Date;
}): StatusChangeDto {
  return { fromStatus: row.fromStatus, toStatus: row.toStatus, createdAt: row.createdAt.toISOString() };
}
