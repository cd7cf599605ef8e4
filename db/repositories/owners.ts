import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { buildings, hausgeldAdvances, ownerAccountEntries, ownerships, units } from '../schema/index.ts';
import { tablesOf } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';
import { inChunks } from './chunks.ts';

export type OwnerAccountEntryInsert = typeof ownerAccountEntries.$inferInsert;
export type HausgeldAdvanceInsert = typeof hausgeldAdvances.$inferInsert;
export type OwnershipInsert = typeof ownerships.$inferInsert;

export async function insertOwnerships(db: DbOrTx, rows: OwnershipInsert[]): Promise<void> {
  const { ownerships } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(ownerships).values(chunk);
}

export async function insertOwnerAccountEntries(db: DbOrTx, rows: OwnerAccountEntryInsert[]): Promise<void> {
  const { ownerAccountEntries } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(ownerAccountEntries).values(chunk);
}

export async function insertHausgeldAdvances(db: DbOrTx, rows: HausgeldAdvanceInsert[]): Promise<void> {
  const { hausgeldAdvances } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(hausgeldAdvances).values(chunk);
}

export interface OwnershipWithUnit {
  ownership: typeof ownerships.$inferSelect;
  unit: typeof units.$inferSelect;
  building: typeof buildings.$inferSelect;
}

/** The given ownerships with unit and building (address, currency), in address order. */
export async function listOwnershipsWithUnits(
  db: DbOrTx,
  ownershipIds: string[],
): Promise<OwnershipWithUnit[]> {
  if (ownershipIds.length === 0) return [];
  const { buildings, ownerships, units } = tablesOf(db);
  return await db
    .select({ ownership: ownerships, unit: units, building: buildings })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inArray(ownerships.id, ownershipIds))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number), asc(ownerships.id));
}

/** Owner's account balance per ownership (sum of its entries, positive = owed by the owner). */
export async function sumOwnerAccountBalances(
  db: DbOrTx,
  ownershipIds: string[],
): Promise<Map<string, number>> {
  if (ownershipIds.length === 0) return new Map();
  const { ownerAccountEntries } = tablesOf(db);
  const rows = await db
    .select({
      ownershipId: ownerAccountEntries.ownershipId,
      // PostgreSQL answers SUM of a bigint as a numeric string: mapped to a number as SQLite's.
      amount: sql<number>`coalesce(sum(${ownerAccountEntries.amount}), 0)`.mapWith(Number),
    })
    .from(ownerAccountEntries)
    .where(inArray(ownerAccountEntries.ownershipId, ownershipIds))
    .groupBy(ownerAccountEntries.ownershipId);
  return new Map(rows.map((row) => [row.ownershipId, row.amount]));
}

/** The monthly advance in force on `today` per ownership (the latest that started by then). */
export async function findCurrentHausgeldAdvances(
  db: DbOrTx,
  ownershipIds: string[],
  today: string,
): Promise<Map<string, number>> {
  if (ownershipIds.length === 0) return new Map();
  const { hausgeldAdvances } = tablesOf(db);
  const rows = await db
    .select({ ownershipId: hausgeldAdvances.ownershipId, amount: hausgeldAdvances.amount })
    .from(hausgeldAdvances)
    .where(
      and(
        inArray(hausgeldAdvances.ownershipId, ownershipIds),
        lte(hausgeldAdvances.validFrom, today),
        or(isNull(hausgeldAdvances.validTo), gte(hausgeldAdvances.validTo, today)),
      ),
    )
    .orderBy(asc(hausgeldAdvances.validFrom), asc(hausgeldAdvances.id));
  // Ascending: a later period overwrites an earlier one that overlaps it.
  return new Map(rows.map((row) => [row.ownershipId, row.amount]));
}

/**
 * The owner's account newest first, each entry with the running balance after it (a window sum,
 * as the rent account does: db/repositories/ledger.ts).
 */
export async function listOwnerAccountWithRunningBalance(db: DbOrTx, ownershipId: string) {
  const { ownerAccountEntries } = tablesOf(db);
  const order = sql`order by ${ownerAccountEntries.bookedOn}, ${ownerAccountEntries.createdAt}, ${ownerAccountEntries.id}`;
  return await db
    .select({
      id: ownerAccountEntries.id,
      bookedOn: ownerAccountEntries.bookedOn,
      kind: ownerAccountEntries.kind,
      description: ownerAccountEntries.description,
      amount: ownerAccountEntries.amount,
      // A numeric string on PostgreSQL (SUM of a bigint): mapped to a number as SQLite's.
      balanceAfter:
        sql<number>`sum(${ownerAccountEntries.amount}) over (${order} rows between unbounded preceding and current row)`.mapWith(
          Number,
        ),
    })
    .from(ownerAccountEntries)
    .where(eq(ownerAccountEntries.ownershipId, ownershipId))
    .orderBy(
      desc(ownerAccountEntries.bookedOn),
      desc(ownerAccountEntries.createdAt),
      desc(ownerAccountEntries.id),
    );
}

/** The owner (person) of each ownership: whom an ownership's own document is addressed to. */
export async function ownerPersonsOfOwnerships(
  db: DbOrTx,
  ownershipIds: string[],
): Promise<Map<string, string>> {
  if (ownershipIds.length === 0) return new Map();
  const { ownerships } = tablesOf(db);
  const rows = await db
    .select({ id: ownerships.id, personId: ownerships.personId })
    .from(ownerships)
    .where(inArray(ownerships.id, ownershipIds));
  return new Map(rows.map((row) => [row.id, row.personId]));
}

/**
 * Ownerships current on `today` with owner, unit and building: the choice when staff file a
 * document to one ownership (seed 003 "persönliche Abrechnung").
 */
export async function listCurrentOwnershipOptions(db: DbOrTx, today: string) {
  const { buildings, ownerships, persons, units } = tablesOf(db);
  return await db
    .select({
      ownershipId: ownerships.id,
      personId: ownerships.personId,
      firstName: persons.firstName,
      lastName: persons.lastName,
      organisationName: persons.organisationName,
      unitNumber: units.number,
      buildingId: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(ownerships)
    .innerJoin(persons, eq(persons.id, ownerships.personId))
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(or(isNull(ownerships.until), gte(ownerships.until, today)))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number), asc(ownerships.id));
}
