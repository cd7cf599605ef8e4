import { z } from 'zod';
import { entityId } from './ids.ts';
import { ticketPriorities } from '../ticket-types.ts';
import {
  staffMessageRequest,
  ticketStatuses,
  type StaffTicketDto,
  type TicketMessageDto,
  type TicketStatus,
} from './tickets.ts';

/** The staff console's contract (issue 5): inbox views, workspace, canned replies. */

const id = entityId;

/** Inbox views (issue 5 item 1): who works what, and what needs attention. */
export const inboxViews = ['unassigned', 'mine', 'all', 'overdue', 'waiting'] as const;
export type InboxView = (typeof inboxViews)[number];

export const inboxPageSize = 50;

/**
 * Sortable inbox columns. `activity` descending is the default and the only keyset-paged order
 * (its index reads in page order); the others page by offset over the view (issue 15 item 2).
 */
export const inboxSorts = ['activity', 'priority', 'sla', 'age', 'number'] as const;
export type InboxSort = (typeof inboxSorts)[number];

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
  team: id.optional(),
  q: z.string().trim().max(200).refine(isUsableSearch, { message: 'search_too_short' }).optional(),
  sort: z.enum(inboxSorts).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  /** Opaque keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type StaffInboxQuery = z.infer<typeof staffInboxQuery>;

/** What staff change on a ticket: one ticket (PATCH), many (bulk), or with a reply (macro). */
const ticketChange = {
  status: z.enum(ticketStatuses).optional(),
  /** Why the status changed (history and audit; issue 5 "status changes with a reason"). */
  reason: z.string().trim().min(1).max(500).optional(),
  assigneeId: id.nullable().optional(),
  priority: z.enum(ticketPriorities).optional(),
};
const changesSomething = (change: { status?: unknown; assigneeId?: unknown; priority?: unknown }) =>
  Boolean(change.status || change.assigneeId !== undefined || change.priority);

export const staffTicketPatchRequest = z
  .strictObject(ticketChange)
  .refine(changesSomething, { message: 'validation_empty_patch' });
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
  unitNumber: string | null;
  tenantName: string | null;
  contractNumber: string | null;
  /** The newest message (internal notes included: staff read them), cut to a preview. */
  lastMessage: { body: string; authorRole: 'customer' | 'staff'; internal: boolean; at: string } | null;
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
  tenant: {
    personId: string;
    name: string;
    email: string | null;
    phone: string | null;
    customerNumber: string | null;
    /** The tenant's language: replies and canned replies in it. */
    language: string;
  } | null;
  contract: { id: string; number: string } | null;
  /** The incident this ticket is linked to, by name (issue 15 item 4). */
  incident: { id: string; title: string } | null;
  /** The ticket this one was merged into, with its number and subject. */
  mergedInto: { id: string; number: string; subject: string } | null;
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
  /** Duplicates merged into this ticket, with the tenant's own text. */
  mergedFrom: { id: string; number: string; subject: string; description: string }[];
  /** The newest page of the dialog (internal notes included); older pages by `olderCursor`. */
  messages: TicketMessageDto[];
  /** The files on the ticket and of the messages above. */
  attachments: WorkspaceAttachmentDto[];
  hasOlder: boolean;
  olderCursor: string | null;
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

/** Bulk changes from the inbox (issue 15 item 2): all tickets or none, each in the caller's scope. */
export const bulkTicketsRequest = z
  .strictObject({ ids: z.array(id).min(1).max(200), ...ticketChange })
  .refine(changesSomething, { message: 'validation_empty_patch' })
  // Required when closing: the reason goes into each ticket's status history.
  .refine((bulk) => bulk.status !== 'closed' || bulk.reason, {
    message: 'reason_required',
    path: ['reason'],
  });
export type BulkTicketsRequest = z.infer<typeof bulkTicketsRequest>;

export interface BulkTicketsResponse {
  tickets: StaffTicketDto[];
}

/**
 * A macro (issue 15 item 4): one reply (or internal note), a status and an assignment in one
 * request and one transaction, so a tenant never reads the reply without the status it announced.
 */
export const ticketMacroRequest = z
  .strictObject({ message: staffMessageRequest.optional(), ...ticketChange })
  .refine((macro) => macro.message || changesSomething(macro), { message: 'validation_empty_patch' });
export type TicketMacroRequest = z.infer<typeof ticketMacroRequest>;

export interface TicketMacroResponse {
  ticket: StaffTicketDto;
  message: TicketMessageDto | null;
}

/** Saved inbox views (issue 15 item 2): a staff member's own filters, stored on the server. */
export const savedViewQuery = staffInboxQuery
  .omit({ cursor: true, limit: true })
  // Kept as typed: a view is saved from the console, which already refuses a too-short search.
  .extend({ q: z.string().trim().max(200).optional() });
export type SavedViewQuery = z.infer<typeof savedViewQuery>;

export const savedViewCreate = z.strictObject({
  name: z.string().trim().min(1).max(80),
  query: savedViewQuery,
});
export type SavedViewCreate = z.infer<typeof savedViewCreate>;

export interface SavedViewDto {
  id: string;
  name: string;
  query: SavedViewQuery;
  createdAt: string;
}

/** Filter choices of the inbox: the buildings, types and teams of the caller's scope. */
export interface InboxFacetsDto {
  buildings: { id: string; label: string }[];
  types: string[];
  teams: { id: string; name: string }[];
  staff: StaffMemberDto[];
}
