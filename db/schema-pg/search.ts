import { pgTable, text } from 'drizzle-orm/pg-core';
import { tickets } from './tickets.ts';

/**
 * What stands for FTS5 on PostgreSQL (written by hand; only PostgreSQL has these tables).
 *
 * SQLite searches the staff inbox through a contentless FTS5 table with the trigram tokenizer and
 * `remove_diacritics 1` (db/migrations 0002–0007, 0017; db/repositories/ticket-search.ts), keyed by
 * `ticket_search_keys` so that rowid order is activity order. PostgreSQL has no FTS5; the same
 * answers come from `pg_trgm` (postgresql.org/docs/current/pgtrgm.html "Index Support"):
 *
 * - `ticket_search_docs` holds one document per ticket with the same text as SQLite's (number,
 *   subject in every language, description, who filed it and where, its newest 100 messages),
 *   built by the SQL function `ticket_search_document(ticket_id)`.
 * - A GIN index with `gin_trgm_ops` on `ticket_search_fold(text)` (lower case after `unaccent`,
 *   like the trigram tokenizer's case folding and diacritic removal) answers
 *   `ticket_search_fold(text) LIKE '%' || <folded, LIKE-escaped word> || '%'` per search word: a
 *   word anywhere inside a German compound, as with FTS5 trigrams; words shorter than three
 *   characters are refused before any query (shared/api/staff.ts), as on SQLite.
 * - Activity order needs no key table: the matches join `tickets` and sort by
 *   (last_activity_at, id) through its indexes.
 * - `ticket_search_pending` and the triggers that fill it are SQLite's 0007/0017 in PL/pgSQL;
 *   `ticket_search_index_pending(batch)` rebuilds a batch of noted documents and may run on several
 *   instances at once (the batch is claimed with `FOR UPDATE SKIP LOCKED`).
 *
 * The difference: `unaccent` also spells out ligatures and ß ("Strasse" finds "Straße"), which
 * SQLite's `remove_diacritics` leaves alone. The SQL is db/migrations-pg/0001_ticket_search.sql.
 */
export const ticketSearchDocs = pgTable('ticket_search_docs', {
  ticketId: text()
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  text: text().notNull(),
});

/** Tickets whose document is out of date (SQLite's migration 0007: triggers only note them). */
export const ticketSearchPending = pgTable('ticket_search_pending', {
  ticketId: text()
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
});
