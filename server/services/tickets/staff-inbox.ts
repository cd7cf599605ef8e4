import {
  countInboxViews,
  listInboxTickets,
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
export function loadInboxScope(db: DbOrTx, user: SessionUser, now: Date): InboxScope {
  const scope = loadStaffScope(db, user);
  if (scope.buildingIds === null || scope.estateIds === null) {
    return { buildingIds: null, userId: user.id, now };
  }
  const buildingIds = new Set([...scope.buildingIds, ...listBuildingIdsOfEstates(db, scope.estateIds)]);
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

export function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

function decodeCursor(raw: string): InboxCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string'
    ) {
      return { at: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through: any malformed cursor is the client's mistake
  }
  throw badRequest('invalid_cursor', 'This page cursor is not valid.');
}

/**
 * The filters of a query. A full-text search first brings the index up to date, so it finds
 * every change committed before it (search-index.ts).
 */
function filtersOf(deps: Deps, user: SessionUser, query: StaffInboxQuery): InboxFilters {
  const search = searchFilter(query.q);
  if (search.match) catchUpSearchIndex(deps);
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
    ...search,
  };
}

export const personName = (first: string | null, last: string | null) =>
  [first, last].filter(Boolean).join(' ') || null;

function toInboxDto(row: InboxRow, now: Date): InboxTicketDto {
  return {
    ...toStaffTicketDto(row.ticket),
    buildingLabel: row.street ? `${row.street} ${row.houseNumber ?? ''}`.trim() : null,
    assigneeName: personName(row.assigneeFirstName, row.assigneeLastName),
    unread: row.unread,
    sla: slaOf(row.ticket, now),
  };
}

/** `GET /staff/tickets`: one page of a view, newest activity first, with the next page's cursor. */
export function listInbox(deps: Deps, user: SessionUser, query: StaffInboxQuery): InboxPage {
  const now = deps.now();
  const limit = query.limit ?? inboxPageSize;
  const rows = listInboxTickets(
    deps.db,
    query.view ?? 'all',
    loadInboxScope(deps.db, user, now),
    filtersOf(deps, user, query),
    { limit: limit + 1, cursor: query.cursor ? decodeCursor(query.cursor) : undefined },
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    tickets: page.map((row) => toInboxDto(row, now)),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ at: last.ticket.lastActivityAt.getTime(), id: last.ticket.id })
        : null,
  };
}

/** `GET /staff/tickets/counts`: every view's size under the same filters (the nav's live badges). */
export function countInbox(deps: Deps, user: SessionUser, query: StaffInboxQuery): InboxCountsResponse {
  const scope = loadInboxScope(deps.db, user, deps.now());
  return countInboxViews(deps.db, scope, filtersOf(deps, user, query));
}
