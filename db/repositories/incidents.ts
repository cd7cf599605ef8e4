import { and, asc, desc, eq, gte, inArray, isNull, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { incidentFollowers, incidents, incidentUpdates } from '../schema/index.ts';
import { first, tablesOf, type Tables } from '../dialect.ts';

export type IncidentInsert = typeof incidents.$inferInsert;
export type Incident = typeof incidents.$inferSelect;
export type IncidentUpdateInsert = typeof incidentUpdates.$inferInsert;
export type IncidentFollowerInsert = typeof incidentFollowers.$inferInsert;

export async function insertIncidents(db: DbOrTx, rows: IncidentInsert[]): Promise<void> {
  const { incidents } = tablesOf(db);
  if (rows.length > 0) await db.insert(incidents).values(rows);
}

export async function insertIncidentUpdates(db: DbOrTx, rows: IncidentUpdateInsert[]): Promise<void> {
  const { incidentUpdates } = tablesOf(db);
  if (rows.length > 0) await db.insert(incidentUpdates).values(rows);
}

/** "Already known — follow it" instead of filing a duplicate (seed 004 related tickets). */
export async function insertIncidentFollowers(db: DbOrTx, rows: IncidentFollowerInsert[]): Promise<void> {
  const { incidentFollowers } = tablesOf(db);
  if (rows.length > 0) await db.insert(incidentFollowers).values(rows).onConflictDoNothing();
}

export async function listOpenIncidentsOfBuilding(db: DbOrTx, buildingId: string): Promise<Incident[]> {
  const { incidents } = tablesOf(db);
  return await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.buildingId, buildingId), eq(incidents.status, 'open')));
}

export type IncidentUpdate = typeof incidentUpdates.$inferSelect;

export interface IncidentPlaces {
  buildingIds: string[];
  estateIds: string[];
}

function placeCondition({ incidents }: Tables, places: IncidentPlaces): SQL | undefined {
  const parts: SQL[] = [];
  if (places.buildingIds.length > 0)
    parts.push(and(eq(incidents.scope, 'building'), inArray(incidents.buildingId, places.buildingIds))!);
  if (places.estateIds.length > 0)
    parts.push(and(eq(incidents.scope, 'estate'), inArray(incidents.estateId, places.estateIds))!);
  return parts.length > 0 ? or(...parts) : undefined;
}

/** Open incidents and those resolved since `resolvedSince` for the given places, newest first. */
export async function listIncidentsForPlaces(
  db: DbOrTx,
  places: IncidentPlaces,
  resolvedSince: Date,
): Promise<Incident[]> {
  const tables = tablesOf(db);
  const { incidents } = tables;
  const where = placeCondition(tables, places);
  if (!where) return [];
  return await db
    .select()
    .from(incidents)
    .where(and(where, or(eq(incidents.status, 'open'), gte(incidents.resolvedAt, resolvedSince))))
    .orderBy(desc(incidents.createdAt), asc(incidents.id));
}

/** Open incidents at the places, optionally for one damage component (the "already known" offer). */
export async function listOpenIncidentsMatching(
  db: DbOrTx,
  places: IncidentPlaces,
  component?: string,
): Promise<Incident[]> {
  const tables = tablesOf(db);
  const { incidents } = tables;
  const where = placeCondition(tables, places);
  if (!where) return [];
  return await db
    .select()
    .from(incidents)
    .where(
      and(
        where,
        eq(incidents.status, 'open'),
        component ? or(eq(incidents.component, component), isNull(incidents.component)) : undefined,
      ),
    )
    .orderBy(desc(incidents.createdAt), asc(incidents.id));
}

export async function findIncident(db: DbOrTx, incidentId: string): Promise<Incident | undefined> {
  const { incidents } = tablesOf(db);
  return await first(db.select().from(incidents).where(eq(incidents.id, incidentId)));
}

export async function listUpdatesOfIncidents(db: DbOrTx, incidentIds: string[]): Promise<IncidentUpdate[]> {
  if (incidentIds.length === 0) return [];
  const { incidentUpdates } = tablesOf(db);
  return await db
    .select()
    .from(incidentUpdates)
    .where(inArray(incidentUpdates.incidentId, incidentIds))
    .orderBy(asc(incidentUpdates.createdAt), asc(incidentUpdates.id));
}

export async function listFollowedIncidentIds(
  db: DbOrTx,
  userId: string,
  incidentIds: string[],
): Promise<Set<string>> {
  if (incidentIds.length === 0) return new Set();
  const { incidentFollowers } = tablesOf(db);
  const rows = await db
    .select({ id: incidentFollowers.incidentId })
    .from(incidentFollowers)
    .where(and(eq(incidentFollowers.userId, userId), inArray(incidentFollowers.incidentId, incidentIds)));
  return new Set(rows.map((row) => row.id));
}

export async function deleteIncidentFollower(db: DbOrTx, incidentId: string, userId: string): Promise<void> {
  const { incidentFollowers } = tablesOf(db);
  await db
    .delete(incidentFollowers)
    .where(and(eq(incidentFollowers.incidentId, incidentId), eq(incidentFollowers.userId, userId)));
}

/* ---- Staff side (issue 5 item 5). ---- */

export async function insertIncident(db: DbOrTx, row: IncidentInsert): Promise<Incident> {
  const { incidents } = tablesOf(db);
  return (await first(db.insert(incidents).values(row).returning()))!;
}

export async function updateIncident(
  db: DbOrTx,
  incidentId: string,
  patch: Partial<IncidentInsert>,
): Promise<Incident> {
  const { incidents } = tablesOf(db);
  return (await first(db.update(incidents).set(patch).where(eq(incidents.id, incidentId)).returning()))!;
}

/** Incidents the staff scope covers (null lists: everything), newest first, at most `limit`. */
export async function listIncidentsForStaff(
  db: DbOrTx,
  scope: { buildingIds: string[] | null; estateIds: string[] | null },
  limit = 200,
): Promise<Incident[]> {
  const { buildings, incidents } = tablesOf(db);
  let where: SQL | undefined;
  if (scope.buildingIds !== null && scope.estateIds !== null) {
    const parts: SQL[] = [];
    if (scope.buildingIds.length > 0) parts.push(inArray(incidents.buildingId, scope.buildingIds));
    if (scope.estateIds.length > 0) {
      const inEstates = db
        .select({ id: buildings.id })
        .from(buildings)
        .where(inArray(buildings.estateId, scope.estateIds));
      parts.push(inArray(incidents.estateId, scope.estateIds), inArray(incidents.buildingId, inEstates));
    }
    if (parts.length === 0) return [];
    where = or(...parts);
  }
  return await db
    .select()
    .from(incidents)
    .where(where)
    .orderBy(desc(incidents.createdAt), asc(incidents.id))
    .limit(limit);
}

/** Tickets attached to the incidents (number and subject for the console), one query. */
export async function listTicketsOfIncidents(db: DbOrTx, incidentIds: string[]) {
  if (incidentIds.length === 0) return [];
  const { tickets } = tablesOf(db);
  return await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      subjects: tickets.subjects,
      incidentId: tickets.incidentId,
    })
    .from(tickets)
    .where(inArray(tickets.incidentId, incidentIds))
    .orderBy(asc(tickets.number));
}

export async function findTicketIdsByNumbers(db: DbOrTx, numbers: string[]) {
  if (numbers.length === 0) return [];
  const { tickets } = tablesOf(db);
  return await db
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(inArray(tickets.number, numbers));
}
