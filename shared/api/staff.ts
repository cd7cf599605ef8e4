import { z } from 'zod';
import { ticketPriorities } from '../ticket-types.ts';
import { ticketStatuses, type StaffTicketDto, type TicketMessageDto, type TicketStatus } from './tickets.ts';

/** The staff console's contract (issue 5): inbox views, workspace, canned replies. */

const id = z.string().min(1).max(64);

/** Inbox views (issue 5 item 1): who works what, and what needs attention. */
export const inboxViews = ['unassigned', 'mine', 'all', 'overdue', 'waiting'] as const;
export type InboxView = (typeof inboxViews)[number];

export const inboxPageSize = 50;

/**
 * The inbox search finds words of three or more characters (a trigram index: shorter words cannot
 * be looked up, only scanned for through every ticket). Shorter words beside a longer one are
 * ignored; a search of only short words is refused, on the server and already in the console.
 */
export const searchWordMinLength = 3;

export function searchWordsOf(q: string | undefined): string[] {
  return (q ?? '').split(/\s+/).filter((word) => [...word].length >= searchWordMinLength);
}

/** Empty (no search) or at least one word long enough to be searched for. */
export const isUsableSearch = (q: string | undefined) => !q?.trim() || searchWordsOf(q).length > 0;

export const staffInboxQuery = z.strictObject({
  view: z.enum(inboxViews).optional(),
  status: z.enum(ticketStatuses).optional(),
  /** A user id, `me` or `none` (API.md). */
  assignee: z.string().min(1).max(64).optional(),
  building: id.optional(),
  type: z.string().min(1).max(64).optional(),
  priority: z.enum(ticketPriorities).optional(),
  q: z.string().trim().max(200).refine(isUsableSearch, { message: 'search_too_short' }).optional(),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type StaffInboxQuery = z.infer<typeof staffInboxQuery>;

export const staffTicketPatchRequest = z
  .strictObject({
    status: z.enum(ticketStatuses).optional(),
    /** Why the status changed (history and audit; issue 5 "status changes with a reason"). */
    reason: z.string().trim().min(1).max(500).optional(),
    assigneeId: id.nullable().optional(),
    priority: z.enum(ticketPriorities).optional(),
  })
  .refine((patch) => patch.status || patch.assigneeId !== undefined || patch.priority, {
    message: 'validation_empty_patch',
  });
export type StaffTicketPatchRequest = z.infer<typeof staffTicketPatchRequest>;

export const mergeTicketRequest = z.strictObject({ intoTicketId: id });
export const linkIncidentRequest = z.strictObject({ incidentId: id.nullable() });

export const cannedReplyCreate = z.strictObject({
  /** null: a reply for every team (admins only). */
  teamId: id.nullable(),
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(5000),
  language: z.enum(['de', 'en', 'sv']).nullable().optional(),
});
export const cannedReplyPatch = z
  .strictObject({
    title: z.string().trim().min(1).max(120).optional(),
    body: z.string().trim().min(1).max(5000).optional(),
    language: z.enum(['de', 'en', 'sv']).nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation_empty_patch' });
export type CannedReplyCreate = z.infer<typeof cannedReplyCreate>;
export type CannedReplyPatch = z.infer<typeof cannedReplyPatch>;

/** Placeholders a canned reply may use (issue 5: tenant name, address, ticket number). */
export const cannedReplyPlaceholders = ['tenant_name', 'address', 'ticket_number'] as const;
export type CannedReplyValues = Record<(typeof cannedReplyPlaceholders)[number], string>;

/** `{tenant_name}` → the value; unknown `{words}` stay as typed, so a typo is visible, not blank. */
export function fillPlaceholders(body: string, values: CannedReplyValues): string {
  return body.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    name in values ? values[name as keyof CannedReplyValues] : whole,
  );
}

/** `paused`: the ticket waits for the tenant, the resolution clock stands still (server/services/sla.ts). */
export type SlaState = 'ok' | 'due_soon' | 'breached' | 'met' | 'paused' | 'none';

export interface SlaClockDto {
  dueAt: string | null;
  doneAt: string | null;
  breached: boolean;
}

export interface SlaDto {
  firstResponse: SlaClockDto;
  resolution: SlaClockDto;
  /** The worst of both for list badges. */
  state: SlaState;
}

export interface InboxTicketDto extends StaffTicketDto {
  buildingLabel: string | null;
  assigneeName: string | null;
  /** A public customer message newer than this staff member's read mark. */
  unread: boolean;
  sla: SlaDto;
}

export interface InboxPage {
  tickets: InboxTicketDto[];
  nextCursor: string | null;
}

export type InboxCounts = Record<InboxView, number>;

/**
 * `GET /staff/tickets/counts`. With a search, counting stops after the newest hits (a common word
 * matches tens of thousands of tickets): `atLeast` is then true and every count is a lower bound,
 * shown as "100+".
 */
export interface InboxCountsResponse {
  counts: InboxCounts;
  atLeast: boolean;
}

export interface StaffMemberDto {
  id: string;
  name: string;
  role: 'staff' | 'admin';
}

export interface TicketPanelDto {
  tenant: { name: string; email: string | null; phone: string | null; customerNumber: string | null } | null;
  contract: { id: string; number: string } | null;
  unit: { id: string; number: string } | null;
  address: { street: string; houseNumber: string; postalCode: string; city: string } | null;
}

export interface AuditEntryDto {
  id: string;
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface StaffStatusChangeDto {
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus;
  reason: string | null;
  changedByUserId: string | null;
  createdAt: string;
}

export interface WorkspaceAttachmentDto {
  id: string;
  mime: string;
  size: number;
  name: string;
  url: string;
  thumbnailUrl?: string;
  messageId: string | null;
}

export interface TicketWorkspaceDto {
  ticket: StaffTicketDto & { mergedIntoId: string | null; teamName: string | null };
  panel: TicketPanelDto;
  messages: TicketMessageDto[];
  attachments: WorkspaceAttachmentDto[];
  statusHistory: StaffStatusChangeDto[];
  audit: AuditEntryDto[];
  sla: SlaDto;
  viewers: { userId: string; name: string; at: string }[];
  staff: StaffMemberDto[];
}

export interface CannedReplyDto {
  id: string;
  teamId: string | null;
  title: string;
  body: string;
  language: string | null;
}
