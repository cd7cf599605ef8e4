import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteSelect } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import { first, isPostgres, tablesOf, type Tables } from '../dialect.ts';
import {
  documentMatches,
  matchProbe,
  readSearchPage,
  searchDocs,
  searchHits,
  searchKeys,
} from './ticket-search.ts';
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
  teamId?: string;
  /** true: only open urgent tickets; false: all but those (the two tiers of listInboxUrgentFirst). */
  urgentOpen?: boolean;
  /** FTS5 MATCH phrases (trigram), each of which must occur somewhere in the ticket (its text or any message). */
  match?: string[];
}

export interface InboxCursor {
  at: number;
  id: string;
  /** The last row was in the urgent tier (listInboxUrgentFirst); absent: the rest. */
  urgent?: boolean;
}

/** The tables of the handle and which store it is: what the conditions below are built from. */
interface Store {
  tables: Tables;
  postgres: boolean;
  db: DbOrTx;
}

const storeOf = (db: DbOrTx): Store => ({ tables: tablesOf(db), postgres: isPostgres(db), db });

function scopeCondition({ tables: { tickets } }: Store, scope: InboxScope): SQL | undefined {
  if (scope.buildingIds === null) return undefined;
  return scope.buildingIds.length > 0 ? inArray(tickets.buildingId, scope.buildingIds) : sql`1 = 0`;
}

function viewCondition(store: Store, view: InboxViewName, scope: InboxScope): SQL | undefined {
  const { tickets } = store.tables;
  switch (view) {
    case 'unassigned':
      return and(isNull(tickets.assigneeId), inArray(tickets.status, openStatuses));
    case 'mine':
      return and(eq(tickets.assigneeId, scope.userId), inArray(tickets.status, openStatuses));
    case 'overdue':
      // Unary plus (sqlite.org/optoverview.html "Disqualifying WHERE clause terms"): keeps the
      // planner off the status index, whose two ranges need a sort of every working ticket;
      // the activity index carries status and the SLA columns and is read in page order.
      // PostgreSQL has no unary plus on text (nor SQLite's planner): the column itself.
      return and(
        inArray(store.postgres ? sql`${tickets.status}` : sql`+${tickets.status}`, workingStatuses),
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

function filterConditions(store: Store, filters: InboxFilters): (SQL | undefined)[] {
  const { tickets } = store.tables;
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
    filters.teamId ? eq(tickets.teamId, filters.teamId) : undefined,
    filters.urgentOpen === undefined
      ? undefined
      : filters.urgentOpen
        ? urgentOpenCondition(store)
        : sql`not ${urgentOpenCondition(store)}`,
    filters.match?.length ? searchHits(filters.match, store.db) : undefined,
  ];
}

function whereOf(
  store: Store,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  cursor?: InboxCursor,
) {
  const { tickets } = store.tables;
  const after = cursor
    ? or(
        lt(tickets.lastActivityAt, new Date(cursor.at)),
        and(eq(tickets.lastActivityAt, new Date(cursor.at)), lt(tickets.id, cursor.id)),
      )
    : undefined;
  return and(
    scopeCondition(store, scope),
    viewCondition(store, view, scope),
    ...filterConditions(store, filters),
    after,
  );
}

/**
 * Unread for this staff member: never opened, or a public customer message newer than their read
 * mark. Evaluated for the returned page only (a correlated subquery on ticket_messages' index).
 */
const unreadFor = ({ tickets }: Tables, userId: string) => sql<number>`(
  not exists (select 1 from ticket_reads r where r.ticket_id = ${tickets.id} and r.user_id = ${userId})
  or exists (
    select 1 from ticket_messages m join users u on u.id = m.author_user_id
    where m.ticket_id = ${tickets.id} and m.visibility = 'public' and m.kind = 'message'
      and u.role = 'customer'
      and m.created_at > (select r.read_at from ticket_reads r where r.ticket_id = ${tickets.id} and r.user_id = ${userId})
  ))`;

/** Longest message preview a row carries (the list shows one line of it). */
const previewLength = 160;

/**
 * The newest message of the ticket as JSON text, for the page's rows only (the message index is
 * read backwards once per row). PostgreSQL spells the object as SQLite's: `internal` 0/1 and `at`
 * in epoch milliseconds.
 */
const lastMessageOf = ({ tables: { tickets }, postgres }: Store) => {
  const object = postgres
    ? sql`json_build_object('body', substr(m.body, 1, ${previewLength}::integer), 'role', u.role,
    'internal', case when m.visibility = 'internal' then 1 else 0 end,
    'at', round(extract(epoch from m.created_at) * 1000)::bigint)::text`
    : sql`json_object('body', substr(m.body, 1, ${previewLength}), 'role', u.role,
    'internal', m.visibility = 'internal', 'at', m.created_at)`;
  return sql<string | null>`(
  select ${object}
  from ticket_messages m left join users u on u.id = m.author_user_id
  where m.ticket_id = ${tickets.id} and m.kind = 'message'
  order by m.created_at desc limit 1)`;
};

/** The ticket's creator and their person, beside the assignee's user and person rows. */
const creatorsOf = ({ users, persons }: Tables) => ({
  creators: alias(users, 'creator'),
  creatorPersons: alias(persons, 'creator_person'),
});

export interface InboxRow {
  ticket: Ticket;
  street: string | null;
  houseNumber: string | null;
  unitNumber: string | null;
  contractNumber: string | null;
  tenant: {
    kind: string | null;
    firstName: string | null;
    lastName: string | null;
    organisationName: string | null;
  } | null;
  assigneeFirstName: string | null;
  assigneeLastName: string | null;
  lastMessage: { body: string; role: string | null; internal: number; at: number } | null;
  unread: boolean;
}

function rowFields(store: Store, userId: string) {
  const { tickets, buildings, units, contracts, persons } = store.tables;
  const { creatorPersons } = creatorsOf(store.tables);
  return {
    ticket: tickets,
    street: buildings.street,
    houseNumber: buildings.houseNumber,
    unitNumber: units.number,
    contractNumber: contracts.number,
    tenant: {
      kind: creatorPersons.kind,
      firstName: creatorPersons.firstName,
      lastName: creatorPersons.lastName,
      organisationName: creatorPersons.organisationName,
    },
    assigneeFirstName: persons.firstName,
    assigneeLastName: persons.lastName,
    lastMessage: lastMessageOf(store),
    unread: unreadFor(store.tables, userId),
  };
}

/** The tables `rowFields` reads beside the ticket, joined the same way by every list query. */
function withRowJoins<Query extends SQLiteSelect>(tables: Tables, query: Query) {
  const { tickets, buildings, units, contracts, users, persons } = tables;
  const { creators, creatorPersons } = creatorsOf(tables);
  return query
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(units, eq(units.id, tickets.unitId))
    .leftJoin(contracts, eq(contracts.id, tickets.contractId))
    .leftJoin(creators, eq(creators.id, tickets.createdByUserId))
    .leftJoin(creatorPersons, eq(creatorPersons.id, creators.personId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(persons, eq(persons.id, users.personId));
}

type RawRow = Omit<InboxRow, 'lastMessage' | 'unread'> & { lastMessage: string | null; unread: unknown };

const toRow = (row: RawRow): InboxRow => ({
  ...row,
  lastMessage: row.lastMessage ? (JSON.parse(row.lastMessage) as InboxRow['lastMessage']) : null,
  unread: Boolean(row.unread),
});

export const inboxTuning = {
  /** Up to this many overdue tickets are sorted instead of walked to (tests set 0 to walk). */
  overdueSortLimit: 1000,
  /** A search counts at most this many hits, newest first (countSearchHits). */
  searchCountLimit: 100,
};

export interface InboxViewCounts {
  counts: Record<InboxViewName, number>;
  /** The count stopped at `inboxTuning.searchCountLimit` hits: every number is a lower bound. */
  atLeast: boolean;
}

export async function listInboxTickets(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  page: { limit: number; cursor?: InboxCursor },
): Promise<InboxRow[]> {
  // "Overdue" walks the activity index, which finds a page fast while overdue tickets are many
  // and reads all 200,000 entries when they are few; then the few are fetched through the SLA
  // indexes and sorted instead (their number is three index ranges, see countOverdue), and a
  // search probes each of them in FTS5 by key rather than reading every hit of a common word.
  // On PostgreSQL a search is one more condition of the page query (its trigram index answers it).
  const store = storeOf(db);
  const { tickets } = store.tables;
  const { match, ...rest } = filters;
  const few =
    view === 'overdue' &&
    (await countOverdue(store, countWhereOf(store, scope, rest), scope.now)) <= inboxTuning.overdueSortLimit;
  if (match?.length && !few && !store.postgres) {
    return await searchInboxTickets(store, view, scope, filters, page);
  }
  const where = few
    ? and(
        whereOf(store, 'all', scope, rest, page.cursor),
        sql`${tickets.id} in (${overdueIds(store.tables, scope.now)})`,
        match?.length ? matchProbe(match, db) : undefined,
      )
    : whereOf(store, view, scope, filters, page.cursor);
  const rows = await withRowJoins(
    store.tables,
    db.select(rowFields(store, scope.userId)).from(tickets).$dynamic(),
  )
    .where(where)
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(page.limit);
  return rows.map(toRow);
}

/** Open urgent tickets: a range of `tickets_priority_status_idx` (issue 15 item 6). */
const urgentOpenCondition = ({ tables: { tickets } }: Store) =>
  sql`(${and(eq(tickets.priority, 'urgent'), inArray(tickets.status, openStatuses))})`;

/**
 * The default order of every view (issue 15 item 6): open urgent tickets first, then the rest,
 * each newest activity first. Two keyset-paged tiers; the cursor says which tier it stopped in.
 * The urgent tier is small (emergencies are rare and get worked), so it reads its few rows
 * through the priority index and sorts them; the rest pages as before.
 */
export async function listInboxUrgentFirst(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  page: { limit: number; cursor?: InboxCursor },
): Promise<InboxRow[]> {
  const rows: InboxRow[] = [];
  if (!page.cursor || page.cursor.urgent) {
    rows.push(...(await listInboxTickets(db, view, scope, { ...filters, urgentOpen: true }, page)));
    if (rows.length >= page.limit) return rows;
  }
  const cursor = page.cursor && !page.cursor.urgent ? page.cursor : undefined;
  rows.push(
    ...(await listInboxTickets(
      db,
      view,
      scope,
      { ...filters, urgentOpen: false },
      {
        limit: page.limit - rows.length,
        cursor,
      },
    )),
  );
  return rows;
}

export const isUrgentOpen = (ticket: Pick<Ticket, 'priority' | 'status'>) =>
  ticket.priority === 'urgent' && openStatuses.includes(ticket.status);

export type InboxSortName = 'activity' | 'priority' | 'sla' | 'age' | 'number';

/** Urgent first: the ranks of `tickets.priority`, lowest first. */
const priorityRank = ({ tickets }: Tables) =>
  sql`case ${tickets.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/**
 * The nearer of the two running SLA clocks; tickets without one sort last. PostgreSQL's `least`
 * skips NULLs where SQLite's two-argument min answers NULL; the coalesce after it gives both the
 * same value, and "no clock" is the infinite instant there instead of a huge number.
 */
const slaDue = ({ tables: { tickets }, postgres }: Store) => {
  const nearer = postgres ? sql`least` : sql`min`;
  const never = postgres ? sql`'infinity'::timestamptz` : sql`9e15`;
  return sql`coalesce(${nearer}(
  case when ${tickets.firstRespondedAt} is null then ${tickets.firstResponseDueAt} else ${tickets.resolutionDueAt} end,
  ${tickets.resolutionDueAt}), ${tickets.resolutionDueAt}, ${tickets.firstResponseDueAt}, ${never})`;
};

function sortOrder(store: Store, sort: InboxSortName, direction: 'asc' | 'desc'): SQL[] {
  const { tickets } = store.tables;
  const by = direction === 'asc' ? asc : desc;
  const flip = direction === 'asc' ? desc : asc;
  switch (sort) {
    case 'priority':
      // "Highest priority first" reads as descending: rank 0 (urgent) leads.
      return [flip(priorityRank(store.tables)), desc(tickets.lastActivityAt), desc(tickets.id)];
    case 'sla':
      return [by(slaDue(store)), desc(tickets.id)];
    case 'age':
      return [by(tickets.createdAt), by(tickets.id)];
    case 'number':
      return [by(tickets.number)];
    case 'activity':
      return [by(tickets.lastActivityAt), by(tickets.id)];
  }
}

/**
 * A page in another order than newest activity (a sortable column): by offset over the view.
 * Keyset paging would need an index per column and direction; a staff member sorting a view
 * reads its first pages, where an offset costs little. A search filters by all its hits here.
 */
export async function listSortedInboxTickets(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  page: { limit: number; offset: number; sort: InboxSortName; direction: 'asc' | 'desc' },
): Promise<InboxRow[]> {
  const store = storeOf(db);
  const { tickets } = store.tables;
  const rows = await withRowJoins(
    store.tables,
    db.select(rowFields(store, scope.userId)).from(tickets).$dynamic(),
  )
    .where(whereOf(store, view, scope, filters))
    .orderBy(...sortOrder(store, page.sort, page.direction))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map(toRow);
}

/** Ids of the overdue tickets, each half of the OR through its own SLA index range. */
const overdueIds = ({ tickets }: Tables, now: Date) => sql`
  select id from ${tickets} where ${and(inArray(tickets.status, workingStatuses), isNull(tickets.firstRespondedAt), lt(tickets.firstResponseDueAt, now))}
  union select id from ${tickets} where ${and(inArray(tickets.status, workingStatuses), lt(tickets.resolutionDueAt, now))}`;

/** SQLite: a search page read in FTS5 key (= activity) order, filtered by view, scope and cursor. */
async function searchInboxTickets(
  store: Store,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
  page: { limit: number; cursor?: InboxCursor },
): Promise<InboxRow[]> {
  const { db } = store;
  const { tickets } = store.tables;
  const { match = [], ...rest } = filters;
  const where = whereOf(store, view, scope, rest, page.cursor);
  return await readSearchPage(db, page, async (keys, limit) => {
    const query = withRowJoins(
      store.tables,
      db
        .select(rowFields(store, scope.userId))
        .from(searchDocs)
        .innerJoin(searchKeys, eq(searchKeys.key, searchDocs.rowid))
        .innerJoin(tickets, eq(tickets.id, searchKeys.ticketId))
        .$dynamic(),
    )
      .where(and(documentMatches(match), keys, where))
      .orderBy(desc(searchDocs.rowid));
    const rows = limit === undefined ? await query : await query.limit(limit);
    return rows.map(toRow);
  });
}

/**
 * Every view's size (the console refetches them on live updates), each an index-only count over
 * one narrow range: a single pass with conditional sums over the open tickets measured 34 ms at
 * 200,000 tickets, these counts together under 10 ms (bench/inbox-query.ts).
 */
const countWhereOf =
  (store: Store, scope: InboxScope, filters: InboxFilters) =>
  async (condition: SQL | undefined): Promise<number> => {
    const { tickets } = store.tables;
    const row = await first(
      store.db
        .select({ total: count().mapWith(Number) })
        .from(tickets)
        .where(and(scopeCondition(store, scope), condition, ...filterConditions(store, filters))),
    );
    return row?.total ?? 0;
  };

export async function countInboxViews(
  db: DbOrTx,
  scope: InboxScope,
  filters: InboxFilters,
): Promise<InboxViewCounts> {
  const store = storeOf(db);
  const { match, ...rest } = filters;
  if (match?.length) return await countSearchHits(store, scope, match, rest);
  const countWhere = countWhereOf(store, scope, filters);
  return {
    counts: {
      unassigned: await countWhere(viewCondition(store, 'unassigned', scope)),
      mine: await countWhere(viewCondition(store, 'mine', scope)),
      all: await countWhere(undefined),
      overdue: await countOverdue(store, countWhere, scope.now),
      waiting: await countWhere(viewCondition(store, 'waiting', scope)),
    },
    atLeast: false,
  };
}

/**
 * With a search, the newest hits are read in FTS5 key order, as a page is, and each view is
 * counted over them; reading stops after `searchCountLimit`. Producing every hit of a common word
 * took 566 ms at 200,000 tickets — on the one thread that serves everybody, on every refetch.
 */
async function countSearchHits(
  store: Store,
  scope: InboxScope,
  match: string[],
  rest: Omit<InboxFilters, 'match'>,
): Promise<InboxViewCounts> {
  const { db } = store;
  const { tickets } = store.tables;
  const limit = inboxTuning.searchCountLimit;
  const flag = (view: Exclude<InboxViewName, 'all'>) =>
    sql<number>`case when ${viewCondition(store, view, scope)} then 1 else 0 end`.mapWith(Number);
  const flags = {
    unassigned: flag('unassigned'),
    mine: flag('mine'),
    overdue: flag('overdue'),
    waiting: flag('waiting'),
  };
  // The same newest hits on PostgreSQL, in activity order from the tickets' own index.
  const hits = store.postgres
    ? await db
        .select(flags)
        .from(tickets)
        .where(and(searchHits(match, db), whereOf(store, 'all', scope, rest)))
        .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
        .limit(limit + 1)
    : await db
        .select(flags)
        .from(searchDocs)
        .innerJoin(searchKeys, eq(searchKeys.key, searchDocs.rowid))
        .innerJoin(tickets, eq(tickets.id, searchKeys.ticketId))
        .where(and(documentMatches(match), whereOf(store, 'all', scope, rest)))
        .orderBy(desc(searchDocs.rowid))
        .limit(limit + 1);
  const counted = hits.slice(0, limit);
  const sum = (view: Exclude<InboxViewName, 'all'>) => counted.reduce((total, hit) => total + hit[view], 0);
  return {
    counts: {
      unassigned: sum('unassigned'),
      mine: sum('mine'),
      all: counted.length,
      overdue: sum('overdue'),
      waiting: sum('waiting'),
    },
    atLeast: hits.length > limit,
  };
}

/**
 * "Overdue" = first response missed OR resolution missed, counted as |A| + |B| − |A∧B|: each term is
 * a range of `tickets_status_sla_idx` or `tickets_status_resolution_idx` (migration 0004) that
 * grows with the overdue tickets only, where the OR itself would read every working ticket.
 */
async function countOverdue(
  { tables: { tickets } }: Store,
  countWhere: (condition: SQL | undefined) => Promise<number>,
  now: Date,
): Promise<number> {
  const working = inArray(tickets.status, workingStatuses);
  const responseMissed = and(isNull(tickets.firstRespondedAt), lt(tickets.firstResponseDueAt, now));
  const resolutionMissed = lt(tickets.resolutionDueAt, now);
  return (
    (await countWhere(and(working, responseMissed))) +
    (await countWhere(and(working, resolutionMissed))) -
    (await countWhere(and(working, responseMissed, resolutionMissed)))
  );
}

/**
 * The plan of a view's page query: tests assert that no view scans the whole table. SQLite's
 * `explain query plan` rows, or PostgreSQL's `explain` lines as the same `detail`.
 */
export async function explainInboxQuery(
  db: DbOrTx,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
): Promise<{ detail: string }[]> {
  const store = storeOf(db);
  const { tickets } = store.tables;
  const builder = db
    .select({ id: tickets.id })
    .from(tickets)
    .where(whereOf(store, view, scope, filters))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(50);
  if (store.postgres) {
    const pg = db as unknown as { execute(query: SQL): Promise<{ rows: { 'QUERY PLAN': string }[] }> };
    const { rows } = await pg.execute(sql`explain ${builder}`);
    return rows.map((row) => ({ detail: row['QUERY PLAN'] }));
  }
  const query = builder.toSQL();
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

/** The buildings of a scope with their address (the inbox's building filter), by street. */
export async function listScopeBuildings(db: DbOrTx, buildingIds: string[] | null) {
  const { buildings } = tablesOf(db);
  return await db
    .select({
      id: buildings.id,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .where(buildingIds === null ? undefined : inArray(buildings.id, buildingIds))
    .orderBy(asc(buildings.city), asc(buildings.street), asc(buildings.houseNumber));
}

/** Every team, by name (the inbox's team filter). */
export async function listTeamsByName(db: DbOrTx) {
  const { teams } = tablesOf(db);
  return await db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name));
}
