import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { buildings, estates, units } from '../schema/index.ts';
import { first, tablesOf } from '../dialect.ts';
import { inChunks } from './chunks.ts';

export type EstateInsert = typeof estates.$inferInsert;
export type BuildingInsert = typeof buildings.$inferInsert;
export type UnitInsert = typeof units.$inferInsert;
export type Building = typeof buildings.$inferSelect;

export async function insertEstates(db: DbOrTx, rows: EstateInsert[]): Promise<void> {
  const { estates } = tablesOf(db);
  if (rows.length > 0) await db.insert(estates).values(rows);
}

export async function insertBuildings(db: DbOrTx, rows: BuildingInsert[]): Promise<void> {
  const { buildings } = tablesOf(db);
  if (rows.length > 0) await db.insert(buildings).values(rows);
}

export async function insertUnits(db: DbOrTx, rows: UnitInsert[]): Promise<void> {
  const { units } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(units).values(chunk);
}

export async function listBuildingsOfEstate(db: DbOrTx, estateId: string): Promise<Building[]> {
  const { buildings } = tablesOf(db);
  return await db
    .select()
    .from(buildings)
    .where(eq(buildings.estateId, estateId))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildings.id));
}

export async function findBuilding(db: DbOrTx, buildingId: string): Promise<Building | undefined> {
  const { buildings } = tablesOf(db);
  return await first(db.select().from(buildings).where(eq(buildings.id, buildingId)));
}
