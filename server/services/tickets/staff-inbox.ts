import {
  countInboxViews,
  isUrgentOpen,
  listInboxUrgentFirst,
  listSortedInboxTickets,
  type InboxCursor,
  type InboxFilters,
  type InboxRow,
  type InboxScope,
} from '../../../db/repositories/staff-inbox.ts';
import { listBuildingIdsOfEstates } from '../../../db/repositories/staff.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import {
  inboxPageSize,
  searchWordsOf,
  type InboxCountsResponse,
  type InboxPage,
  type InboxTicketDto,
  type StaffInboxQuery,
} from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest } from '../../lib/http-error.ts';
import { slaOf } from '../sla.ts';
import { toStaffTicketDto } from './dto.ts';
import { catchUpSearchIndex } from './search-index.ts';
import { loadStaffScope } from './visibility.ts';

/** The staff member's scope as building ids (estates expanded once per request). */
export async function loadInboxScope(db: DbOrTx, user: SessionUser, now: Date): Promise<InboxScope> {
  const scope = await loadStaffScope(db, user);
  if (scope.buildingIds === null || scope.estateIds === null) {
    return { buildingIds: null, userId: user.id, now };
  }
  const buildingIds = new Set([
    ...scope.buildingIds,
    ...(await listBuildingIdsOfEstates(db, scope.estateIds)),
  ]);
  return { buildingIds: [...buildingIds], userId: user.id, now };
}

/**
 * Full-text search over number, subject, description and messages (FTS5 trigram, one document
 * per ticket since migration 0004): each word of three or more characters must occur in the
 * ticket or one of its messages (shared/api/staff.ts `searchWordsOf`; the query schema refuses a
 * search of only shorter words).
 */
export function searchFilter(q: string | undefined): Pick<InboxFilters, 'match'> {
  const words = searchWordsOf(q);
  if (words.length === 0) return {};
  return { match: words.map((word) => `"${word.replace(/"/g, '""')}"`) };
}

/** A sorted page's cursor: the offset, marked so it is never read as a keyset cursor. */
const encodeOffset = (offset: number) => Buffer.from(JSON.stringify(['o', offset])).toString('base64url');

function decodeOffset(raw: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value[0] === 'o' && Number.isSafeInteger(value[1]) && value[1] >= 0) {
      return Math.min(value[1] as number, 100_000);
    }
  } catch {
    // fall through
  }
  throw badRequest('invalid_cursor', 'This page cursor is not valid.');
}

export function encodeCursor(cursor: InboxCursor): string {
  const value = cursor.urgent ? [cursor.at, cursor.id, 1] : [cursor.at, cursor.id];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(raw: string): InboxCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      (value.length === 2 || (value.length === 3 && value[2] === 1)) &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      // A third element 1: the page ended in the urgent tier (listInboxUrgentFirst).
      return { at: value[0] as number, id: value[1], ...(value.length === 3 && { urgent: true }) };
    }
  } catch {
    // fall through: any malformed cursor is the client's mistake
  }
  throw badRequest('invalid_cursor', 'This page cursor is not valid.');
}

/**
 * A full-text search first brings the index up to date, so it finds every change committed
 * before it (search-index.ts).
 */
async function catchUpForSearch(deps: Deps, query: StaffInboxQuery): Promise<void> {
  if (searchFilter(query.q).match) await catchUpSearchIndex(deps);
}

/** The filters of a query (the caller has brought the search index up to date). */
function filtersOf(deps: Deps, user: SessionUser, query: StaffInboxQuery): InboxFilters {
  const search = searchFilter(query.q);
  const assigneeId =
    query.assignee === undefined
      ? undefined
      : query.assignee === 'none'
        ? null
        : query.assignee === 'me'
          ? user.id
          : query.assignee;
  return {
    assigneeId,
    status: query.status,
    buildingId: query.building,
    typeId: query.type,
    priority: query.priority,
    teamId: query.team,
    ...search,
  };
}

export const personName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(' ') || null;

function tenantNameOf(tenant: InboxRow['tenant']): string | null {
  if (!tenant) return null;
  return tenant.kind === 'organisation'
    ? tenant.organisationName
    : personName(tenant.firstName, tenant.lastName);
}

function toInboxDto(row: InboxRow, now: Date, locale: string): InboxTicketDto {
  const last = row.lastMessage;
  return {
    ...toStaffTicketDto(row.ticket, locale),
    buildingLabel: row.street ? `${row.street} ${row.houseNumber ?? ''}`.trim() : null,
    unitNumber: row.unitNumber,
    tenantName: tenantNameOf(row.tenant),
    contractNumber: row.contractNumber,
    lastMessage: last
      ? {
          body: last.body,
          authorRole: last.role === 'customer' ? 'customer' : 'staff',
          internal: Boolean(last.internal),
          at: new Date(last.at).toISOString(),
        }
      : null,
    assigneeName: personName(row.assigneeFirstName, row.assigneeLastName),
    unread: row.unread,
    sla: slaOf(row.ticket, now),
  };
}

/** `GET /staff/tickets`: one page of a view, newest activity first, with the next page's cursor. */
export async function listInbox(deps: Deps, user: SessionUser, query: StaffInboxQuery): Promise<InboxPage> {
  await catchUpForSearch(deps, query);
  const now = deps.now();
  const limit = query.limit ?? inboxPageSize;
  const sort = query.sort ?? 'activity';
  const direction = query.dir ?? (sort === 'activity' || sort === 'priority' ? 'desc' : 'asc');
  if (sort !== 'activity' || direction !== 'desc') {
    const offset = query.cursor ? decodeOffset(query.cursor) : 0;
    const rows = await listSortedInboxTickets(
      deps.db,
      query.view ?? 'all',
      await loadInboxScope(deps.db, user, now),
      filtersOf(deps, user, query),
      { limit: limit + 1, offset, sort, direction },
    );
    return {
      tickets: rows.slice(0, limit).map((row) => toInboxDto(row, now, user.language)),
      nextCursor: rows.length > limit ? encodeOffset(offset + limit) : null,
    };
  }
  // Open urgent tickets head every view by default (issue 15 item 6).
  const rows = await listInboxUrgentFirst(
    deps.db,
    query.view ?? 'all',
    await loadInboxScope(deps.db, user, now),
    filtersOf(deps, user, query),
    { limit: limit + 1, cursor: query.cursor ? decodeCursor(query.cursor) : undefined },
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    tickets: page.map((row) => toInboxDto(row, now, user.language)),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            at: last.ticket.lastActivityAt.getTime(),
            id: last.ticket.id,
            urgent: isUrgentOpen(last.ticket),
          })
        : null,
  };
}

/** `GET /staff/tickets/counts`: every view's size under the same filters (the nav's live badges). */
export async function countInbox(
  deps: Deps,
  user: SessionUser,
  query: StaffInboxQuery,
): Promise<InboxCountsResponse> {
  await catchUpForSearch(deps, query);
  const scope = await loadInboxScope(deps.db, user, deps.now());
  return await countInboxViews(deps.db, scope, filtersOf(deps, user, query));
}
