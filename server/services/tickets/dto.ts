import type { Ticket } from '../../../db/repositories/tickets.ts';
import type { TicketMessage, TicketMessageWithRole } from '../../../db/repositories/ticket-messages.ts';
import type {
  StaffTicketDto,
  StatusChangeDto,
  TicketDto,
  TicketMessageDto,
} from '../../../shared/api/tickets.ts';
import { defaultSubjectLocale, subjectFor } from '../../../shared/ticket-subject.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * `locale` is the reader's language (their account setting, issue 15 item 3): the subject in it.
 * Without one (live events, read by people of every language) the default language; the client
 * then picks its own from `subjects`.
 */
export function toTicketDto(ticket: Ticket, locale: string = defaultSubjectLocale): TicketDto {
  return {
    id: ticket.id,
    number: ticket.number,
    type: ticket.typeId,
    fields: ticket.fields,
    subject: subjectFor(ticket, locale),
    subjects: ticket.subjects ?? null,
    title: ticket.title ?? null,
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

export function toStaffTicketDto(ticket: Ticket, locale?: string): StaffTicketDto {
  return {
    ...toTicketDto(ticket, locale),
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

export function messageWithRoleToDto(message: TicketMessageWithRole): TicketMessageDto {
  const dto = toMessageDto(message, message.authorRole);
  // Staff replies carry their author's first name only: no surname, no account (data minimisation).
  return dto.authorRole === 'staff' && message.authorFirstName
    ? { ...dto, authorFirstName: message.authorFirstName }
    : dto;
}

export function toStatusChangeDto(row: {
  fromStatus: StatusChangeDto['fromStatus'];
  toStatus: StatusChangeDto['toStatus'];
  createdAt: Date;
}): StatusChangeDto {
  return { fromStatus: row.fromStatus, toStatus: row.toStatus, createdAt: row.createdAt.toISOString() };
}
