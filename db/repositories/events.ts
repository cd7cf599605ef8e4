import { and, asc, gt, inArray, like, max, or, sql } from 'drizzle-orm';
import { preparedPerDb } from '../prepared.ts';
import { events } from '../schema/events.ts';
import type { DbOrTx } from '../transaction.ts';

const appendEventQuery = preparedPerDb((db) =>
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
  const row = appendEventQuery(db).get({ room, type, data, createdAt: new Date() });
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
  return db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(inArray(events.room, rooms), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit)
    .all();
}

const latestEventIdQuery = preparedPerDb((db) =>
  db
    .select({ latest: max(events.id) })
    .from(events)
    .prepare(),
);

export async function latestEventId(db: DbOrTx): Promise<number> {
  return latestEventIdQuery(db).get()?.latest ?? 0;
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
  return db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(or(...prefixes.map((prefix) => like(events.room, `${prefix}%`))), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit)
    .all();
}
