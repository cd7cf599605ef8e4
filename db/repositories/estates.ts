import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { buildings, estates, units } from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type EstateInsert = typeof estates.$inferInsert;
export type BuildingInsert = typeof buildings.$inferInsert;
export type UnitInsert = typeof units.$inferInsert;
export type Building = typeof buildings.$inferSelect;

export async function insertEstates(db: DbOrTx, rows: EstateInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(estates).values(rows).run();
}

export async function insertBuildings(db: DbOrTx, rows: BuildingInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(buildings).values(rows).run();
}

export async function insertUnits(db: DbOrTx, rows: UnitInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(units).values(chunk).run();
}

export async function listBuildingsOfEstate(db: DbOrTx, estateId: string): Promise<Building[]> {
  return db
    .select()
    .from(buildings)
    .where(eq(buildings.estateId, estateId))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber))
    .all();
}

export async function findBuilding(db: DbOrTx, buildingId: string): Promise<Building | undefined> {
  return db.select().from(buildings).where(eq(buildings.id, buildingId)).get();
}
