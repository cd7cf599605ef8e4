import { and, desc, eq, gte, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { noticeReads, notices, noticeUnits } from '../schema/index.ts';

export type NoticeInsert = typeof notices.$inferInsert;

export function insertNotices(db: DbOrTx, rows: NoticeInsert[]): void {
  if (rows.length > 0) db.insert(notices).values(rows).run();
}

export type Notice = typeof notices.$inferSelect;

export interface NoticePlaces {
  buildingIds: string[];
  estateIds: string[];
  unitIds: string[];
}

function placeCondition(db: DbOrTx, places: NoticePlaces): SQL | undefined {
  const parts: SQL[] = [];
  if (places.buildingIds.length > 0)
    parts.push(and(eq(notices.scope, 'building'), inArray(notices.buildingId, places.buildingIds))!);
  if (places.estateIds.length > 0)
    parts.push(and(eq(notices.scope, 'estate'), inArray(notices.estateId, places.estateIds))!);
  if (places.unitIds.length > 0) {
    const targeted = db
      .select({ id: noticeUnits.noticeId })
      .from(noticeUnits)
      .where(inArray(noticeUnits.unitId, places.unitIds));
    parts.push(and(eq(notices.scope, 'units'), inArray(notices.id, targeted))!);
  }
  return parts.length > 0 ? or(...parts) : undefined;
}

/**
 * The board as a resident sees it now (seed 001 "schwarzes Brett"): published, not deleted, not
 * expired; pinned first, then newest.
 */
export function listCurrentNoticesForPlaces(
  db: DbOrTx,
  places: NoticePlaces,
  now: Date,
  limit = -1, // SQLite: no limit
): Notice[] {
  const where = placeCondition(db, places);
  if (!where) return [];
  return db
    .select()
    .from(notices)
    .where(
      and(
        where,
        lte(notices.publishAt, now),
        isNull(notices.deletedAt),
        or(isNull(notices.validTo), gte(notices.validTo, now)),
      ),
    )
    .orderBy(desc(notices.pinned), desc(notices.publishAt))
    .limit(limit)
    .all();
}

export function listReadNoticeIds(db: DbOrTx, userId: string, noticeIds: string[]): Set<string> {
  if (noticeIds.length === 0) return new Set();
  const rows = db
    .select({ id: noticeReads.noticeId })
    .from(noticeReads)
    .where(and(eq(noticeReads.userId, userId), inArray(noticeReads.noticeId, noticeIds)))
    .all();
  return new Set(rows.map((row) => row.id));
}

export function markNoticeRead(db: DbOrTx, noticeId: string, userId: string, readAt: Date): void {
  db.insert(noticeReads).values({ noticeId, userId, readAt }).onConflictDoNothing().run();
}
