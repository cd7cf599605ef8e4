import { and, asc, count, desc, eq, gte, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { buildings, estates, noticeReads, notices, noticeUnits, units } from '../schema/index.ts';

export type NoticeInsert = typeof notices.$inferInsert;

export async function insertNotices(db: DbOrTx, rows: NoticeInsert[]): Promise<void> {
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
export async function listCurrentNoticesForPlaces(
  db: DbOrTx,
  places: NoticePlaces,
  now: Date,
  limit = -1, // SQLite: no limit
): Promise<Notice[]> {
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

export async function listReadNoticeIds(
  db: DbOrTx,
  userId: string,
  noticeIds: string[],
): Promise<Set<string>> {
  if (noticeIds.length === 0) return new Set();
  const rows = db
    .select({ id: noticeReads.noticeId })
    .from(noticeReads)
    .where(and(eq(noticeReads.userId, userId), inArray(noticeReads.noticeId, noticeIds)))
    .all();
  return new Set(rows.map((row) => row.id));
}

export async function markNoticeRead(
  db: DbOrTx,
  noticeId: string,
  userId: string,
  readAt: Date,
): Promise<void> {
  db.insert(noticeReads).values({ noticeId, userId, readAt }).onConflictDoNothing().run();
}

/* ---- Staff side (issue 5 item 4): the board as the console manages it. ---- */

/** Staff scope: null lists mean every building and estate (`all` scope, admins). */
export interface StaffPlaces {
  buildingIds: string[] | null;
  estateIds: string[] | null;
}

export async function insertNotice(db: DbOrTx, row: NoticeInsert): Promise<Notice> {
  return db.insert(notices).values(row).returning().get();
}

export async function insertNoticeUnits(db: DbOrTx, noticeId: string, unitIds: string[]): Promise<void> {
  if (unitIds.length > 0)
    db.insert(noticeUnits)
      .values(unitIds.map((unitId) => ({ noticeId, unitId })))
      .run();
}

export async function findNotice(db: DbOrTx, noticeId: string): Promise<Notice | undefined> {
  return db.select().from(notices).where(eq(notices.id, noticeId)).get();
}

export async function updateNotice(
  db: DbOrTx,
  noticeId: string,
  patch: Partial<NoticeInsert>,
): Promise<Notice> {
  return db.update(notices).set(patch).where(eq(notices.id, noticeId)).returning().get();
}

/**
 * Not-deleted notices the staff member's scope covers: building and unit notices by their
 * building, estate notices only for staff who hold the whole estate. Newest first.
 */
export async function listNoticesForStaff(db: DbOrTx, scope: StaffPlaces): Promise<Notice[]> {
  const parts: SQL[] = [];
  if (scope.buildingIds !== null && scope.estateIds !== null) {
    if (scope.buildingIds.length > 0) parts.push(inArray(notices.buildingId, scope.buildingIds));
    if (scope.estateIds.length > 0) {
      const inEstates = db
        .select({ id: buildings.id })
        .from(buildings)
        .where(inArray(buildings.estateId, scope.estateIds));
      parts.push(inArray(notices.estateId, scope.estateIds), inArray(notices.buildingId, inEstates));
    }
    if (parts.length === 0) return [];
  }
  return db
    .select()
    .from(notices)
    .where(and(isNull(notices.deletedAt), parts.length > 0 ? or(...parts) : undefined))
    .orderBy(desc(notices.publishAt))
    .all();
}

/** Read counts per notice: one grouped query. */
export async function countNoticeReads(db: DbOrTx, noticeIds: string[]): Promise<Map<string, number>> {
  if (noticeIds.length === 0) return new Map();
  const rows = db
    .select({ id: noticeReads.noticeId, reads: count() })
    .from(noticeReads)
    .where(inArray(noticeReads.noticeId, noticeIds))
    .groupBy(noticeReads.noticeId)
    .all();
  return new Map(rows.map((row) => [row.id, row.reads]));
}

export async function listUnitIdsOfNotices(db: DbOrTx, noticeIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (noticeIds.length === 0) return map;
  for (const row of db.select().from(noticeUnits).where(inArray(noticeUnits.noticeId, noticeIds)).all()) {
    map.set(row.noticeId, [...(map.get(row.noticeId) ?? []), row.unitId]);
  }
  return map;
}

/** Scheduled notices whose time has come and that were never announced (oldest first). */
export async function listDueUnannouncedNotices(db: DbOrTx, now: Date, limit = 100): Promise<Notice[]> {
  return db
    .select()
    .from(notices)
    .where(and(isNull(notices.announcedAt), isNull(notices.deletedAt), lte(notices.publishAt, now)))
    .orderBy(asc(notices.publishAt))
    .limit(limit)
    .all();
}

/** Marks the announcement once; false when another tick (or process) did it first. */
export async function markNoticeAnnounced(db: DbOrTx, noticeId: string, at: Date): Promise<boolean> {
  return (
    db
      .update(notices)
      .set({ announcedAt: at })
      .where(and(eq(notices.id, noticeId), isNull(notices.announcedAt)))
      .run().changes > 0
  );
}

export interface PlaceOfUnit {
  unitId: string;
  buildingId: string;
  estateId: string;
}

export async function listPlacesOfUnits(db: DbOrTx, unitIds: string[]): Promise<PlaceOfUnit[]> {
  if (unitIds.length === 0) return [];
  return db
    .select({ unitId: units.id, buildingId: units.buildingId, estateId: buildings.estateId })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inArray(units.id, unitIds))
    .all();
}

/** Estates and buildings (with units) a staff member may address: the console's scope picker. */
export async function listStaffPlaces(db: DbOrTx, scope: StaffPlaces) {
  const all = scope.buildingIds === null || scope.estateIds === null;
  if (!all && scope.buildingIds!.length === 0 && scope.estateIds!.length === 0) {
    return { estates: [], buildings: [] };
  }
  const buildingRows = db
    .select({
      id: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .where(
      all
        ? undefined
        : or(
            scope.buildingIds!.length > 0 ? inArray(buildings.id, scope.buildingIds!) : undefined,
            scope.estateIds!.length > 0 ? inArray(buildings.estateId, scope.estateIds!) : undefined,
          ),
    )
    .orderBy(asc(buildings.street), asc(buildings.houseNumber))
    .all();
  const estateRows = db
    .select({ id: estates.id, name: estates.name, city: estates.city })
    .from(estates)
    .where(all ? undefined : inArray(estates.id, scope.estateIds!.length > 0 ? scope.estateIds! : ['']))
    .orderBy(asc(estates.name))
    .all();
  return { estates: estateRows, buildings: buildingRows };
}

export async function findBuildingPlace(db: DbOrTx, buildingId: string) {
  return db
    .select({ id: buildings.id, estateId: buildings.estateId })
    .from(buildings)
    .where(eq(buildings.id, buildingId))
    .get();
}

export async function findEstate(db: DbOrTx, estateId: string) {
  return db.select({ id: estates.id }).from(estates).where(eq(estates.id, estateId)).get();
}
