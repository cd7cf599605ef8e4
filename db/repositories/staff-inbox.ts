import { and, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { buildings, persons, tickets, users } from '../schema/index.ts';
import type { Ticket, TicketStatus } from './tickets.ts';

/**
 * The staff inbox (issue 5 item 1). Every view is one indexed range over `tickets`, newest
 * activity first, paged by keyset (lastActivityAt, id) — an OFFSET would re-read every earlier
 * page on a 200,000-ticket database.
 */
export type InboxViewName = 'unassigned' | 'mine' | 'all' | 'overdue' | 'waiting';

const openStatuses: TicketStatus[] = ['new', 'in_progress', 'waiting_tenant'];
/** SLA clocks run while staff owe the next step; waiting for the tenant pauses "overdue". */
const workingStatuses: TicketStatus[] = ['new', 'in_progress'];

export interface InboxScope {
  /** null: every ticket (`all` scope); else the buildings of the staff member's teams. */
  buildingIds: string[] | null;
  userId: string;
  now: Date;
}

export interface InboxFilters {
  status?: TicketStatus;
  /** A user id, or null for "nobody". */
  assigneeId?: string | null;
  buildingId?: string;
  typeId?: string;
  priority?: Ticket['priority'];
  /**
   * FTS5 MATCH phrases (trigram), each of which must occur somewhere in the ticket (its text or
   * any message); or a LIKE pattern for queries too short for trigrams.
   */
  match?: string[];
  like?: string;
}

export interface InboxCursor {
  at: number;
  id: string;
}

function scopeCondition(scope: InboxScope): SQL | undefined {
  if (scope.buildingIds === null) return undefined;
  return scope.buildingIds.length > 0 ? inArray(tickets.buildingId, scope.buildingIds) : sql`0`;
}

function viewCondition(view: InboxViewName, scope: InboxScope): SQL | undefined {
  switch (view) {
    case 'unassigned':
      return and(isNull(tickets.assigneeId), inArray(tickets.status, openStatuses));
    case 'mine':
      return and(eq(tickets.assigneeId, scope.userId), inArray(tickets.status, openStatuses));
    case 'overdue':
      return and(
        // Unary plus (sqlite.org/optoverview.html "Disqualifying WHERE clause terms"): keeps the
        // planner off the status index, whose two ranges need a sort of every working ticket;
        // the activity index carries status and the SLA columns and is read in page order.
        inArray(sql`+${tickets.status}`, workingStatuses),
        or(
          and(isNull(tickets.firstRespondedAt), lt(tickets.firstResponseDueAt, scope.now)),
          lt(tickets.resolutionDueAt, scope.now),
        ),
      );
    case 'waiting':
      return eq(tickets.status, 'waiting_tenant');
    case 'all':
      return undefined;
  }
}

function filterConditions(filters: InboxFilters): (SQL | undefined)[] {
  const assignee =
    filters.assigneeId === undefined
      ? undefined
      : filters.assigneeId === null
        ? isNull(tickets.assigneeId)
        : eq(tickets.assigneeId, filters.assigneeId);
  return [
    assignee,
    filters.status ? eq(tickets.status, filters.status) : undefined,
    filters.buildingId ? eq(tickets.buildingId, filters.buildingId) : undefined,
    filters.typeId ? eq(tickets.typeId, filters.typeId) : undefined,
    filters.priority ? eq(tickets.priority, filters.priority) : undefined,
    ...(filters.match ?? []).map(
      (phrase) =>
        sql`${tickets.id} in (select ticket_id from ticket_search where ticket_search match ${phrase})`,
    ),
    filters.like
      ? or(
          sql`${tickets.number} like ${filters.like} escape '\\'`,
          sql`${tickets.subject} like ${filters.like} escape '\\'`,
        )
      : undefined,
  ];
}

function whereOf(view: InboxViewName, scope: InboxScope, filters: InboxFilters, cursor?: InboxCursor) {
  const after = cursor
    ? or(
        lt(tickets.lastActivityAt, new Date(cursor.at)),
        and(eq(tickets.lastActivityAt, new Date(cursor.at)), lt(tickets.id, cursor.id)),
      )
    : undefined;
  return and(scopeCondition(scope), viewCondition(view, scope), ...filterConditions(filters), after);
}

/**
 * Unread for this staff member: never opened, or a public customer message newer than their read
 * mark. Evaluated for the returned page only (a correlated subquery on ticket_messages' index).
 */
const unreadFor = (userId: string) => sql<number>`(
  not exists (select 1 from ticket_reads r where r.ticket_id = ${tickets.id} and r.user_id = ${userId})
  or exists (
    select 1 from ticket_messages m join users u on u.id = m.author_user_id
    where m.ticket_id = ${tickets.id} and m.visibility = 'public' and m.kind = 'message'
      and u.role = 'customer'
      and m.created_at > (select r.read_at from ticket_reads r where r.ticket_id = ${tickets.id} and r.user_id = ${userId})
  ))`;

export interface InboxRow {
  ticket: Ticket;
  street: string | null;
  houseNumber: string | null;
  assigneeFirstName: string | null;
  assigneeLastName: string | null;
  unread: boolean;
}

export function listInboxTickets(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  page: { limit: number; cursor?: InboxCursor },
): InboxRow[] {
  return db
    .select({
      ticket: tickets,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      assigneeFirstName: persons.firstName,
      assigneeLastName: persons.lastName,
      unread: unreadFor(scope.userId),
    })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(whereOf(view, scope, filters, page.cursor))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(page.limit)
    .all()
    .map((row) => ({ ...row, unread: Boolean(row.unread) }));
}

export function countInboxView(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
): number {
  return (
    db
      .select({ total: count() })
      .from(tickets)
      .where(whereOf(view, scope, filters))
      .get()?.total ?? 0
  );
}

/** The SQLite plan of a view's page query: tests assert that no view scans the whole table. */
export function explainInboxQuery(db: DbOrTx, view: InboxViewName, scope: InboxScope, filters: InboxFilters) {
  const query = db
    .select({ id: tickets.id })
    .from(tickets)
    .where(whereOf(view, scope, filters))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(50)
    .toSQL();
  return db.all<{ detail: string }>(sql.raw(`explain query plan ${inline(query.sql, query.params)}`));
}

/** Parameters inlined for EXPLAIN only (numbers and quoted strings; never used to run a query). */
function inline(statement: string, params: unknown[]): string {
  let index = 0;
  return statement.replace(/\?/g, () => {
    const value = params[index++];
    if (typeof value === 'number') return String(value);
    return `'${String(value).replace(/'/g, "''")}'`;
  });
}
