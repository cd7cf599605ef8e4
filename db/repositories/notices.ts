import { and, asc, count, desc, eq, gte, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { notices } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type NoticeInsert = typeof notices.$inferInsert;

export async function insertNotices(db: DbOrTx, rows: NoticeInsert[]): Promise<void> {
  const { notices } = tablesOf(db);
  if (rows.length > 0) await db.insert(notices).values(rows);
}

export type Notice = typeof notices.$inferSelect;

export interface NoticePlaces {
  buildingIds: string[];
  estateIds: string[];
  unitIds: string[];
}

function placeCondition(db: DbOrTx, places: NoticePlaces): SQL | undefined {
  const { notices, noticeUnits } = tablesOf(db);
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
  limit = -1, // no limit
): Promise<Notice[]> {
  const { notices } = tablesOf(db);
  const where = placeCondition(db, places);
  if (!where) return [];
  const query = db
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
    .orderBy(desc(notices.pinned), desc(notices.publishAt), asc(notices.id))
    .$dynamic();
  // SQLite reads LIMIT -1 as none; PostgreSQL refuses a negative limit, so none is left out.
  return await (limit >= 0 ? query.limit(limit) : query);
}

export async function listReadNoticeIds(
  db: DbOrTx,
  userId: string,
  noticeIds: string[],
): Promise<Set<string>> {
  if (noticeIds.length === 0) return new Set();
  const { noticeReads } = tablesOf(db);
  const rows = await db
    .select({ id: noticeReads.noticeId })
    .from(noticeReads)
    .where(and(eq(noticeReads.userId, userId), inArray(noticeReads.noticeId, noticeIds)));
  return new Set(rows.map((row) => row.id));
}

export async function markNoticeRead(
  db: DbOrTx,
  noticeId: string,
  userId: string,
  readAt: Date,
): Promise<void> {
  const { noticeReads } = tablesOf(db);
  await db.insert(noticeReads).values({ noticeId, userId, readAt }).onConflictDoNothing();
}

/* ---- Staff side (issue 5 item 4): the board as the console manages it. ---- */

/** Staff scope: null lists mean every building and estate (`all` scope, admins). */
export interface StaffPlaces {
  buildingIds: string[] | null;
  estateIds: string[] | null;
}

export async function insertNotice(db: DbOrTx, row: NoticeInsert): Promise<Notice> {
  const { notices } = tablesOf(db);
  return (await first(db.insert(notices).values(row).returning()))!;
}

export async function insertNoticeUnits(db: DbOrTx, noticeId: string, unitIds: string[]): Promise<void> {
  const { noticeUnits } = tablesOf(db);
  if (unitIds.length > 0)
    await db.insert(noticeUnits).values(unitIds.map((unitId) => ({ noticeId, unitId })));
}

export async function findNotice(db: DbOrTx, noticeId: string): Promise<Notice | undefined> {
  const { notices } = tablesOf(db);
  return await first(db.select().from(notices).where(eq(notices.id, noticeId)));
}

export async function updateNotice(
  db: DbOrTx,
  noticeId: string,
  patch: Partial<NoticeInsert>,
): Promise<Notice> {
  const { notices } = tablesOf(db);
  return (await first(db.update(notices).set(patch).where(eq(notices.id, noticeId)).returning()))!;
}

/**
 * Not-deleted notices the staff member's scope covers: building and unit notices by their
 * building, estate notices only for staff who hold the whole estate. Newest first.
 */
export async function listNoticesForStaff(db: DbOrTx, scope: StaffPlaces): Promise<Notice[]> {
  const { buildings, notices } = tablesOf(db);
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
  return await db
    .select()
    .from(notices)
    .where(and(isNull(notices.deletedAt), parts.length > 0 ? or(...parts) : undefined))
    .orderBy(desc(notices.publishAt), asc(notices.id));
}

/** Read counts per notice: one grouped query. */
export async function countNoticeReads(db: DbOrTx, noticeIds: string[]): Promise<Map<string, number>> {
  if (noticeIds.length === 0) return new Map();
  const { noticeReads } = tablesOf(db);
  // count() is mapped to a number: PostgreSQL answers COUNT as a bigint string.
  const rows = await db
    .select({ id: noticeReads.noticeId, reads: count() })
    .from(noticeReads)
    .where(inArray(noticeReads.noticeId, noticeIds))
    .groupBy(noticeReads.noticeId);
  return new Map(rows.map((row) => [row.id, row.reads]));
}

export async function listUnitIdsOfNotices(db: DbOrTx, noticeIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (noticeIds.length === 0) return map;
  const { noticeUnits } = tablesOf(db);
  for (const row of await db.select().from(noticeUnits).where(inArray(noticeUnits.noticeId, noticeIds))) {
    map.set(row.noticeId, [...(map.get(row.noticeId) ?? []), row.unitId]);
  }
  return map;
}

/** Scheduled notices whose time has come and that were never announced (oldest first). */
export async function listDueUnannouncedNotices(db: DbOrTx, now: Date, limit = 100): Promise<Notice[]> {
  const { notices } = tablesOf(db);
  return await db
    .select()
    .from(notices)
    .where(and(isNull(notices.announcedAt), isNull(notices.deletedAt), lte(notices.publishAt, now)))
    .orderBy(asc(notices.publishAt), asc(notices.id))
    .limit(limit);
}

/** Marks the announcement once; false when another tick (or process) did it first. */
export async function markNoticeAnnounced(db: DbOrTx, noticeId: string, at: Date): Promise<boolean> {
  const { notices } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(notices)
        .set({ announcedAt: at })
        .where(and(eq(notices.id, noticeId), isNull(notices.announcedAt))),
    ) > 0
  );
}

export interface PlaceOfUnit {
  unitId: string;
  buildingId: string;
  estateId: string;
}

export async function listPlacesOfUnits(db: DbOrTx, unitIds: string[]): Promise<PlaceOfUnit[]> {
  if (unitIds.length === 0) return [];
  const { buildings, units } = tablesOf(db);
  return await db
    .select({ unitId: units.id, buildingId: units.buildingId, estateId: buildings.estateId })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inArray(units.id, unitIds));
}

/** Estates and buildings (with units) a staff member may address: the console's scope picker. */
export async function listStaffPlaces(db: DbOrTx, scope: StaffPlaces) {
  const { buildings, estates } = tablesOf(db);
  const all = scope.buildingIds === null || scope.estateIds === null;
  if (!all && scope.buildingIds!.length === 0 && scope.estateIds!.length === 0) {
    return { estates: [], buildings: [] };
  }
  const buildingRows = await db
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
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildings.id));
  const estateRows = await db
    .select({ id: estates.id, name: estates.name, city: estates.city })
    .from(estates)
    .where(all ? undefined : inArray(estates.id, scope.estateIds!.length > 0 ? scope.estateIds! : ['']))
    .orderBy(asc(estates.name), asc(estates.id));
  return { estates: estateRows, buildings: buildingRows };
}

export async function findBuildingPlace(db: DbOrTx, buildingId: string) {
  const { buildings } = tablesOf(db);
  return await first(
    db
      .select({ id: buildings.id, estateId: buildings.estateId })
      .from(buildings)
      .where(eq(buildings.id, buildingId)),
  );
}

export async function findEstate(db: DbOrTx, estateId: string) {
  const { estates } = tablesOf(db);
  return await first(db.select({ id: estates.id }).from(estates).where(eq(estates.id, estateId)));
}
