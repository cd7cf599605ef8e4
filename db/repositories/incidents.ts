import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { incidentFollowers, incidents, incidentUpdates } from '../schema/index.ts';

export type IncidentInsert = typeof incidents.$inferInsert;
export type Incident = typeof incidents.$inferSelect;
export type IncidentUpdateInsert = typeof incidentUpdates.$inferInsert;
export type IncidentFollowerInsert = typeof incidentFollowers.$inferInsert;

export function insertIncidents(db: DbOrTx, rows: IncidentInsert[]): void {
  if (rows.length > 0) db.insert(incidents).values(rows).run();
}

export function insertIncidentUpdates(db: DbOrTx, rows: IncidentUpdateInsert[]): void {
  if (rows.length > 0) db.insert(incidentUpdates).values(rows).run();
}

/** "Already known — follow it" instead of filing a duplicate (seed 004 related tickets). */
export function insertIncidentFollowers(db: DbOrTx, rows: IncidentFollowerInsert[]): void {
  if (rows.length > 0) db.insert(incidentFollowers).values(rows).onConflictDoNothing().run();
}

export function listOpenIncidentsOfBuilding(db: DbOrTx, buildingId: string): Incident[] {
  return db
    .select()
    .from(incidents)
    .where(and(eq(incidents.buildingId, buildingId), eq(incidents.status, 'open')))
    .all();
}
