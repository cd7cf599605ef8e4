import { and, count, gte, lt, sql, type SQL } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { first, isPostgres, rawRows } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';
import { connectionOf, preparedPerDb } from '../prepared.ts';

/**
 * Search index of migration 0004 (hand-written SQL; not in db/schema because drizzle-kit cannot
 * describe FTS5): one contentless trigram document per ticket (number, subject in every language
 * (a German search word finds a ticket whatever language it was filed in), description and
 * its newest 100 messages, 0005), whose rowid is the ticket's key in
 * `ticket_search_keys`. The key is `last_activity_at * 65536 + slot`, re-issued whenever the
 * activity moves, so FTS5's native rowid order is the inbox's activity order: a search reads
 * matches newest first and stops after one page instead of producing every match and sorting it
 * (sqlite.org/fts5.html "ORDER BY rowid DESC" is answered by the index itself).
 */
export const searchKeys = sqliteTable('ticket_search_keys', {
  key: integer('key').primaryKey(),
  ticketId: text('ticket_id').notNull(),
});
export const searchDocs = sqliteTable('ticket_search_docs', { rowid: integer('rowid').notNull() });
/** Tickets whose key or document is out of date (migration 0007: the triggers only note them). */
export const searchPending = sqliteTable('ticket_search_pending', {
  ticketId: text('ticket_id').primaryKey(),
});

/*
 * PostgreSQL has no FTS5: its index is pg_trgm over one document per ticket (db/schema-pg/search.ts,
 * db/migrations-pg/0001_ticket_search.sql), with no key table — a search there joins `tickets` and
 * reads activity order from its indexes. The functions below take the handle where the stores
 * differ; the SQLite-only tables above are never read on PostgreSQL.
 */

/** Is any ticket waiting to be indexed? One primary-key probe. */
export async function hasPendingSearchWork(db: DbOrTx): Promise<boolean> {
  if (isPostgres(db)) {
    return (await rawRows(db, sql`select 1 as pending from ticket_search_pending limit 1`)).length > 0;
  }
  return (
    (await first(db.select({ ticketId: searchPending.ticketId }).from(searchPending).limit(1))) !== undefined
  );
}

/**
 * The statements of `indexPendingTickets` on SQLite, compiled once per connection: the indexer
 * runs them for every changed ticket, and compiling the document's query each time cost more than
 * running it (--cpu-prof of `npm run bench`'s live load).
 */
const indexStatements = preparedPerDb((db) => {
  const client = connectionOf(db);
  return {
    pending: client.prepare('select ticket_id as ticketId from ticket_search_pending limit ?'),
    deleteDocument: client.prepare(`delete from ticket_search_docs
      where rowid = (select key from ticket_search_keys where ticket_id = ?)`),
    deleteKey: client.prepare('delete from ticket_search_keys where ticket_id = ?'),
    // The next free slot of the ticket's activity millisecond (keys: 0004).
    insertKey: client.prepare(`insert into ticket_search_keys (key, ticket_id)
      select coalesce(
          (select max(k.key) from ticket_search_keys k
            where k.key between t.last_activity_at * 65536 and t.last_activity_at * 65536 + 65535),
          t.last_activity_at * 65536 - 1
        ) + 1, t.id
      from tickets t where t.id = ?`),
    // Besides the ticket's text, who and where (issue 15: staff search by tenant name, contract
    // and customer number, address): a call starts with a name or a number, not a subject.
    insertDocument: client.prepare(`insert into ticket_search_docs (rowid, text)
      select k.key, t.number || ' ' || t.subject || coalesce(' ' || (
        select group_concat(s.value, ' ') from json_each(t.subjects) s
      ), '') || ' ' || t.description
        || coalesce(' ' || p.first_name, '') || coalesce(' ' || p.last_name, '')
        || coalesce(' ' || p.organisation_name, '') || coalesce(' ' || p.customer_number, '')
        || coalesce(' ' || c.number, '') || coalesce(' ' || un.number, '')
        || coalesce(' ' || b.street || ' ' || b.house_number || ' ' || b.postal_code || ' ' || b.city, '')
        || coalesce(' ' || (
        select group_concat(r.body, ' ') from (
          select m.body from ticket_messages m where m.ticket_id = t.id and m.kind = 'message'
          order by m.created_at desc limit 100
        ) r
      ), '')
      from ticket_search_keys k join tickets t on t.id = k.ticket_id
        left join users cu on cu.id = t.created_by_user_id
        left join persons p on p.id = cu.person_id
        left join contracts c on c.id = t.contract_id
        left join units un on un.id = t.unit_id
        left join buildings b on b.id = t.building_id
      where k.ticket_id = ?`),
    deletePending: client.prepare('delete from ticket_search_pending where ticket_id = ?'),
  };
});

/**
 * Re-keys and rebuilds the documents of up to `limit` pending tickets and clears them from the
 * pending list; run it in a write transaction. A pending ticket that no longer exists only loses
 * its rows. Returns how many tickets were taken.
 */
export async function indexPendingTickets(tx: DbOrTx, limit: number): Promise<number> {
  if (isPostgres(tx)) {
    // The migration's function builds the same document text and claims its batch itself.
    const [row] = await rawRows<{ taken: number | string }>(
      tx,
      sql`select ticket_search_index_pending(${limit}::integer) as taken`,
    );
    return Number(row?.taken ?? 0);
  }
  const statements = indexStatements(tx);
  const ids = statements.pending.all(limit) as { ticketId: string }[];
  for (const { ticketId } of ids) {
    statements.deleteDocument.run(ticketId);
    statements.deleteKey.run(ticketId);
    statements.insertKey.run(ticketId);
    statements.insertDocument.run(ticketId);
    statements.deletePending.run(ticketId);
  }
  return ids.length;
}

/**
 * The first key of an activity millisecond (65,536 keys each, migration 0004), computed by SQLite
 * in 64-bit integers: keys exceed 2^53, where a JS number (bound as a double) would round.
 */
const firstKeyOf = (at: number) => sql`(cast(${at} as integer) * 65536)`;

/** Every phrase must occur somewhere in the ticket: one document per ticket makes that an AND. */
const matchExpression = (phrases: string[]) => phrases.join(' AND ');

/** The MATCH term of a query that reads `searchDocs`. */
export const documentMatches = (phrases: string[]) =>
  sql`ticket_search_docs match ${matchExpression(phrases)}`;

/**
 * The ticket of the surrounding query, which reads `tickets` under its own name (never aliased):
 * spelled out, so the terms below need no table of either store.
 */
const ticketIdOfQuery = sql`"tickets"."id"`;

/** The search word of an FTS5 phrase (`"word"`, inner quotes doubled: the inbox's searchFilter). */
const wordOf = (phrase: string) => phrase.slice(1, -1).replace(/""/g, '"');

/**
 * PostgreSQL: every word occurs in the ticket's document, folded like the trigram tokenizer
 * (migration 0001's fold and LIKE pattern, which the GIN trigram index answers).
 */
const trigramHit = (phrases: string[]) =>
  sql`exists (select 1 from ticket_search_docs d where d.ticket_id = ${ticketIdOfQuery} and ${sql.join(
    phrases.map((phrase) => sql`ticket_search_fold(d.text) like ticket_search_pattern(${wordOf(phrase)})`),
    sql` and `,
  )})`;

/**
 * The ticket is among all hits (every hit is produced: for counts, not for pages). Without a
 * handle: SQLite's FTS5 index.
 */
export const searchHits = (phrases: string[], db?: DbOrTx) =>
  db && isPostgres(db)
    ? trigramHit(phrases)
    : sql`${ticketIdOfQuery} in (select ${searchKeys.ticketId} from ${searchKeys} where ${searchKeys.key} in (
    select rowid from ticket_search_docs where ${documentMatches(phrases)}))`;

/** Does this ticket's document match? One lookup by key (for few candidates). */
export const matchProbe = (phrases: string[], db?: DbOrTx) =>
  db && isPostgres(db)
    ? trigramHit(phrases)
    : sql`exists (select 1 from ticket_search_docs
  where ${documentMatches(phrases)}
    and rowid = (select ${searchKeys.key} from ${searchKeys} where ${searchKeys.ticketId} = ${ticketIdOfQuery}))`;

interface ActivityRow {
  ticket: { lastActivityAt: Date; id: string };
}

const newestFirst = (a: ActivityRow, b: ActivityRow) =>
  b.ticket.lastActivityAt.getTime() - a.ticket.lastActivityAt.getTime() ||
  (a.ticket.id < b.ticket.id ? 1 : a.ticket.id > b.ticket.id ? -1 : 0);

/**
 * SQLite (FTS5 keys; a PostgreSQL search pages like the inbox without search).
 * One search page from `read` (its rows in descending key order, within a key range, at most
 * `limit`). Keys order tickets by activity millisecond only, so the tickets that share the last
 * row's millisecond are read again as a group and the page is cut in exact (lastActivityAt, id)
 * order — the same rows and order as the inbox's query without search.
 */
export async function readSearchPage<Row extends ActivityRow>(
  db: DbOrTx,
  page: { limit: number; cursor?: { at: number } },
  read: (keys: SQL | undefined, limit?: number) => Promise<Row[]>,
): Promise<Row[]> {
  // Keys below the cursor's millisecond + 1: the exact (at, id) bound is the caller's.
  const rows = await read(
    page.cursor ? lt(searchDocs.rowid, firstKeyOf(page.cursor.at + 1)) : undefined,
    page.limit,
  );
  const last = rows.at(-1);
  if (rows.length < page.limit || !last) return rows.sort(newestFirst);
  const at = last.ticket.lastActivityAt.getTime();
  // Usually no other ticket shares that millisecond (one integer-key range tells): then the page
  // is complete as read; only ties need their group read again.
  const shared = await first(
    db
      .select({ n: count() })
      .from(searchKeys)
      .where(and(gte(searchKeys.key, firstKeyOf(at)), lt(searchKeys.key, firstKeyOf(at + 1)))),
  );
  if ((shared?.n ?? 0) <= 1) return rows.sort(newestFirst);
  const sameMillisecond = await read(
    and(gte(searchDocs.rowid, firstKeyOf(at)), lt(searchDocs.rowid, firstKeyOf(at + 1))),
  );
  return [...rows.filter((row) => row.ticket.lastActivityAt.getTime() > at), ...sameMillisecond]
    .sort(newestFirst)
    .slice(0, page.limit);
}
