import { and, asc, gt, inArray, like, max, or, sql } from 'drizzle-orm';
import { isPostgres, preparedRead, tablesOf } from '../dialect.ts';
import { lockEventLog, type DbOrTx, type Tx } from '../transaction.ts';

const appendEventQuery = preparedRead((db, { events }) =>
  db
    .insert(events)
    .values({
      room: sql.placeholder('room'),
      type: sql.placeholder('type'),
      data: sql.placeholder('data'),
      createdAt: sql.placeholder('createdAt'),
    })
    .returning({ id: events.id })
    .prepare(),
);

export interface StoredEvent {
  id: number;
  room: string;
  type: string;
  data: Record<string, unknown>;
}

/** Appends to the ordered log inside the caller's transaction; the id is the wire event id. */
export async function appendEvent(
  db: DbOrTx,
  room: string,
  type: string,
  data: Record<string, unknown>,
): Promise<StoredEvent> {
  // A client resyncs with the last id it saw, so ids must become visible in increasing order. One
  // SQLite writer commits them so; on PostgreSQL the event log's lock, held until COMMIT and taken
  // before the id is drawn, does (a unit of work holds it already: advisory locks nest).
  if (isPostgres(db)) await lockEventLog(db as Tx);
  const row = await appendEventQuery.get(db, { room, type, data, createdAt: new Date() });
  if (!row) throw new Error('the event log answered no id');
  return { id: row.id, room, type, data };
}

/** Events after `after` in any of the rooms, oldest first, at most `limit`. */
export async function listEventsAfter(
  db: DbOrTx,
  rooms: string[],
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  if (rooms.length === 0) return [];
  const { events } = tablesOf(db);
  return await db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(inArray(events.room, rooms), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit);
}

/** Every event after `after`, oldest first, at most `limit` (the live feed of an instance). */
export async function listEventsAfterId(db: DbOrTx, after: number, limit: number): Promise<StoredEvent[]> {
  const { events } = tablesOf(db);
  return await db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(gt(events.id, after))
    .orderBy(asc(events.id))
    .limit(limit);
}

// max() is mapped by the id column: a number on both stores (PostgreSQL's bigint included).
const latestEventIdQuery = preparedRead((db, { events }) =>
  db
    .select({ latest: max(events.id) })
    .from(events)
    .prepare(),
);

export async function latestEventId(db: DbOrTx): Promise<number> {
  return (await latestEventIdQuery.get(db))?.latest ?? 0;
}

/**
 * Events after `after` whose room starts with one of the prefixes (e.g. `ticket:` for staff, who are
 * then filtered by building scope), oldest first, at most `limit`.
 */
export async function listEventsAfterWithRoomPrefixes(
  db: DbOrTx,
  prefixes: string[],
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  if (prefixes.length === 0) return [];
  const { events } = tablesOf(db);
  // Prefixes are the lower-case room kinds: LIKE matches them alike on both stores.
  return await db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(or(...prefixes.map((prefix) => like(events.room, `${prefix}%`))), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit);
}
