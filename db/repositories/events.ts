import { and, asc, gt, inArray, like, max, or } from 'drizzle-orm';
import { events } from '../schema/events.ts';
import type { DbOrTx } from '../transaction.ts';

export interface StoredEvent {
  id: number;
  room: string;
  type: string;
  data: Record<string, unknown>;
}

/** Appends to the ordered log inside the caller's transaction; the id is the wire event id. */
export function appendEvent(
  db: DbOrTx,
  room: string,
  type: string,
  data: Record<string, unknown>,
): StoredEvent {
  const row = db.insert(events).values({ room, type, data }).returning({ id: events.id }).get();
  return { id: row.id, room, type, data };
}

/** Events after `after` in any of the rooms, oldest first, at most `limit`. */
export function listEventsAfter(db: DbOrTx, rooms: string[], after: number, limit: number): StoredEvent[] {
  if (rooms.length === 0) return [];
  return db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(inArray(events.room, rooms), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit)
    .all();
}

export function latestEventId(db: DbOrTx): number {
  return (
    db
      .select({ latest: max(events.id) })
      .from(events)
      .get()?.latest ?? 0
  );
}

/**
 * Events after `after` whose room starts with one of the prefixes (e.g. `ticket:` for staff, who are
 * then filtered by building scope), oldest first, at most `limit`.
 */
export function listEventsAfterWithRoomPrefixes(
  db: DbOrTx,
  prefixes: string[],
  after: number,
  limit: number,
): StoredEvent[] {
  if (prefixes.length === 0) return [];
  return db
    .select({ id: events.id, room: events.room, type: events.type, data: events.data })
    .from(events)
    .where(and(or(...prefixes.map((prefix) => like(events.room, `${prefix}%`))), gt(events.id, after)))
    .orderBy(asc(events.id))
    .limit(limit)
    .all();
}
