import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { buildings, ownerships, persons, units } from '../schema/index.ts';

export type PersonRow = typeof persons.$inferSelect;
export type PersonInsert = typeof persons.$inferInsert;
export type PersonContactPatch = Partial<Pick<PersonRow, 'email' | 'phone' | 'mobile'>>;

export function findPerson(db: DbOrTx, personId: string): PersonRow | undefined {
  return db.select().from(persons).where(eq(persons.id, personId)).get();
}

export function insertPerson(db: DbOrTx, values: PersonInsert): PersonRow {
  return db.insert(persons).values(values).returning().get();
}

/** Contact data the customer maintains themselves (seed 002 "Kontaktdaten ändern"). */
export function updatePersonContact(db: DbOrTx, personId: string, patch: PersonContactPatch, at: Date): void {
  db.update(persons)
    .set({ ...patch, updatedAt: at })
    .where(eq(persons.id, personId))
    .run();
}

/** The units a person owns with their building (seed 003 owners), in address order: one query. */
export function listOwnedUnitsWithBuildings(db: DbOrTx, personId: string) {
  return db
    .select({
      unit: units,
      building: buildings,
      sharePerMille: ownerships.sharePerMille,
      until: ownerships.until,
    })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(ownerships.personId, personId))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number))
    .all();
}
