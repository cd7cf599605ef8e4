import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import {
  buildings,
  hausgeldAdvances,
  ownerAccountEntries,
  ownerships,
  persons,
  units,
} from '../schema/index.ts';
import type { DbOrTx } from '../transaction.ts';
import { inChunks } from './chunks.ts';

export type OwnerAccountEntryInsert = typeof ownerAccountEntries.$inferInsert;
export type HausgeldAdvanceInsert = typeof hausgeldAdvances.$inferInsert;
export type OwnershipInsert = typeof ownerships.$inferInsert;

export async function insertOwnerships(db: DbOrTx, rows: OwnershipInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(ownerships).values(chunk).run();
}

export async function insertOwnerAccountEntries(db: DbOrTx, rows: OwnerAccountEntryInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(ownerAccountEntries).values(chunk).run();
}

export async function insertHausgeldAdvances(db: DbOrTx, rows: HausgeldAdvanceInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(hausgeldAdvances).values(chunk).run();
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
  return db
    .select({ ownership: ownerships, unit: units, building: buildings })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inArray(ownerships.id, ownershipIds))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number))
    .all();
}

/** Owner's account balance per ownership (sum of its entries, positive = owed by the owner). */
export async function sumOwnerAccountBalances(
  db: DbOrTx,
  ownershipIds: string[],
): Promise<Map<string, number>> {
  if (ownershipIds.length === 0) return new Map();
  const rows = db
    .select({
      ownershipId: ownerAccountEntries.ownershipId,
      amount: sql<number>`coalesce(sum(${ownerAccountEntries.amount}), 0)`,
    })
    .from(ownerAccountEntries)
    .where(inArray(ownerAccountEntries.ownershipId, ownershipIds))
    .groupBy(ownerAccountEntries.ownershipId)
    .all();
  return new Map(rows.map((row) => [row.ownershipId, row.amount]));
}

/** The monthly advance in force on `today` per ownership (the latest that started by then). */
export async function findCurrentHausgeldAdvances(
  db: DbOrTx,
  ownershipIds: string[],
  today: string,
): Promise<Map<string, number>> {
  if (ownershipIds.length === 0) return new Map();
  const rows = db
    .select({ ownershipId: hausgeldAdvances.ownershipId, amount: hausgeldAdvances.amount })
    .from(hausgeldAdvances)
    .where(
      and(
        inArray(hausgeldAdvances.ownershipId, ownershipIds),
        lte(hausgeldAdvances.validFrom, today),
        or(isNull(hausgeldAdvances.validTo), gte(hausgeldAdvances.validTo, today)),
      ),
    )
    .orderBy(asc(hausgeldAdvances.validFrom))
    .all();
  // Ascending: a later period overwrites an earlier one that overlaps it.
  return new Map(rows.map((row) => [row.ownershipId, row.amount]));
}

/**
 * The owner's account newest first, each entry with the running balance after it (a window sum,
 * as the rent account does: db/repositories/ledger.ts).
 */
export async function listOwnerAccountWithRunningBalance(db: DbOrTx, ownershipId: string) {
  const order = sql`order by ${ownerAccountEntries.bookedOn}, ${ownerAccountEntries.createdAt}, ${ownerAccountEntries.id}`;
  return db
    .select({
      id: ownerAccountEntries.id,
      bookedOn: ownerAccountEntries.bookedOn,
      kind: ownerAccountEntries.kind,
      description: ownerAccountEntries.description,
      amount: ownerAccountEntries.amount,
      balanceAfter: sql<number>`sum(${ownerAccountEntries.amount}) over (${order} rows between unbounded preceding and current row)`,
    })
    .from(ownerAccountEntries)
    .where(eq(ownerAccountEntries.ownershipId, ownershipId))
    .orderBy(
      desc(ownerAccountEntries.bookedOn),
      desc(ownerAccountEntries.createdAt),
      desc(ownerAccountEntries.id),
    )
    .all();
}

/** The owner (person) of each ownership: whom an ownership's own document is addressed to. */
export async function ownerPersonsOfOwnerships(
  db: DbOrTx,
  ownershipIds: string[],
): Promise<Map<string, string>> {
  if (ownershipIds.length === 0) return new Map();
  const rows = db
    .select({ id: ownerships.id, personId: ownerships.personId })
    .from(ownerships)
    .where(inArray(ownerships.id, ownershipIds))
    .all();
  return new Map(rows.map((row) => [row.id, row.personId]));
}

/**
 * Ownerships current on `today` with owner, unit and building: the choice when staff file a
 * document to one ownership (seed 003 "persönliche Abrechnung").
 */
export async function listCurrentOwnershipOptions(db: DbOrTx, today: string) {
  return db
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
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number))
    .all();
}
