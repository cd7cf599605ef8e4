import { z } from 'zod';
import { entityId } from './ids.ts';
import { ticketPriorities } from '../ticket-types.ts';

/** Ticket, message, incident and notice contract (API.md "HTTP"); the PWA and staff console import it. */

export const ticketStatuses = ['new', 'in_progress', 'waiting_tenant', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

const id = entityId;
/** Client-generated idempotency key (DESIGN.md "client-sent messages carry a client id"). */
const clientId = z.string().trim().min(8).max(100);
const attachmentIds = z.array(id).max(10).optional();

export const createTicketRequest = z.strictObject({
  type: z.string().min(1).max(64),
  /** Validated per type with fieldsSchema(type) (shared/ticket-types.ts). */
  fields: z.record(z.string(), z.unknown()),
  /** The tenant's own short title; the subject is generated from the type and answers without it. */
  title: z.string().trim().max(120).optional(),
  description: z.string().trim().min(1).max(10_000),
  contractId: id.optional(),
  attachmentIds,
  clientId,
});
export type CreateTicketRequest = z.infer<typeof createTicketRequest>;

export const ticketListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(ticketStatuses).optional(),
});

export const addMessageRequest = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  attachmentIds,
  clientId,
});
export type AddMessageRequest = z.infer<typeof addMessageRequest>;

export const ratingRequest = z.strictObject({
  rating: z.int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});

export const staffTicketPatch = z
  .strictObject({
    status: z.enum(ticketStatuses).optional(),
    assigneeId: id.nullable().optional(),
    priority: z.enum(ticketPriorities).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation_empty_patch' });
export type StaffTicketPatch = z.infer<typeof staffTicketPatch>;

export const staffMessageRequest = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  internal: z.boolean().optional(),
  attachmentIds,
  clientId,
});
export type StaffMessageRequest = z.infer<typeof staffMessageRequest>;

export const matchingIncidentsQuery = z.strictObject({
  contractId: id,
  component: z.string().min(1).max(64).optional(),
});

/** Socket payloads (shared/api/live.ts ClientToServerEvents), validated like HTTP bodies. */
export const socketMessageSend = addMessageRequest.extend({ ticketId: id });
export const socketTicketRef = z.strictObject({ ticketId: id });
export const socketRead = z.strictObject({ ticketId: id, messageId: id });
export const socketResync = z.strictObject({ after: z.int().min(0) });

export interface TicketDto {
  id: string;
  number: string;
  type: string;
  fields: Record<string, unknown>;
  /** In the reader's language (shared/ticket-subject.ts); live events carry the default language. */
  subject: string;
  /** The subject in every language, so a live client shows its own (null on older tickets). */
  subjects: Record<string, string> | null;
  /** The tenant's own title, when they gave one. */
  title: string | null;
  description: string;
  status: TicketStatus;
  priority: (typeof ticketPriorities)[number];
  contractId: string | null;
  unitId: string | null;
  buildingId: string | null;
  createdByUserId: string;
  createdAt: string;
  lastActivityAt: string;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  resolvedAt: string | null;
  rating: number | null;
  ratingComment: string | null;
  reopenCount: number;
  incidentId: string | null;
}

/** What staff see in addition. */
export interface StaffTicketDto extends TicketDto {
  teamId: string | null;
  assigneeId: string | null;
  firstRespondedAt: string | null;
}

export interface TicketMessageDto {
  id: string;
  ticketId: string;
  authorUserId: string | null;
  /** `staff` for replies by the landlord's people: tenants see who answered, not their accounts. */
  authorRole: 'customer' | 'staff' | 'system';
  /** A staff reply's author by first name ("Sabine"), so the tenant knows who answers; else absent. */
  authorFirstName?: string | null;
  body: string;
  visibility: 'public' | 'internal';
  kind: 'message' | 'status_change' | 'system';
  clientId: string | null;
  createdAt: string;
}

export interface StatusChangeDto {
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  createdAt: string;
}

/** How many messages a ticket's detail carries: the newest page; older pages load on scroll. */
export const dialogPageSize = 50;

/**
 * `GET /tickets/:id/messages?before=&limit=` (and `/staff/tickets/:id/messages`): the page of the
 * dialog before `before`, an opaque cursor from a detail or an earlier page.
 */
export const dialogPageQuery = z.strictObject({
  before: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/, 'invalid_cursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type DialogPageQuery = z.infer<typeof dialogPageQuery>;

export interface DialogAttachmentDto {
  id: string;
  mime: string;
  size: number;
  name: string;
  url: string;
  thumbnailUrl?: string;
  /** Null for a file on the ticket itself (only a detail carries those). */
  messageId: string | null;
}

/** One page of a dialog, oldest first; a detail carries the newest page in the same fields. */
export interface DialogPageDto {
  messages: TicketMessageDto[];
  /** The files of this page's messages. */
  attachments: DialogAttachmentDto[];
  /** Whether messages before this page exist; then `olderCursor` fetches them. */
  hasOlder: boolean;
  olderCursor: string | null;
  /** Tenants only: when the landlord's people last read the dialog (the read mark of their messages). */
  staffReadAt?: string | null;
}
