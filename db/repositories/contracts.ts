import { and, asc, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildings,
  contractParties,
  contracts,
  contractUnits,
  persons,
  rentComponents,
  tickets,
  units,
} from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type ContractInsert = typeof contracts.$inferInsert;
export type ContractUnitInsert = typeof contractUnits.$inferInsert;
export type ContractPartyInsert = typeof contractParties.$inferInsert;
export type RentComponentInsert = typeof rentComponents.$inferInsert;
export type Contract = typeof contracts.$inferSelect;
export type RentComponent = typeof rentComponents.$inferSelect;
export type ContractPartyRole = ContractPartyInsert['role'];

export function insertContracts(db: DbOrTx, rows: ContractInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(contracts).values(chunk).run();
}

export function insertContractUnits(db: DbOrTx, rows: ContractUnitInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(contractUnits).values(chunk).run();
}

export function insertContractParties(db: DbOrTx, rows: ContractPartyInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(contractParties).values(chunk).run();
}

export function insertRentComponents(db: DbOrTx, rows: RentComponentInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(rentComponents).values(chunk).run();
}

/** Links the signed contract PDF (seed 004: downloadable where signed digitally). */
export function setSignedContractFile(db: DbOrTx, contractId: string, fileId: string, now: Date): void {
  db.update(contracts)
    .set({ signedFileId: fileId, updatedAt: now })
    .where(eq(contracts.id, contractId))
    .run();
}

export function findContractByNumber(db: DbOrTx, number: string): Contract | undefined {
  return db.select().from(contracts).where(eq(contracts.number, number)).get();
}

/** The contracts a person is party to, with their role and access, oldest first. */
export function listContractsForPerson(db: DbOrTx, personId: string) {
  return db
    .select({ contract: contracts, role: contractParties.role, access: contractParties.access })
    .from(contractParties)
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .where(eq(contractParties.personId, personId))
    .orderBy(asc(contracts.startDate))
    .all();
}

export function listPartiesOfContract(db: DbOrTx, contractId: string) {
  return db.select().from(contractParties).where(eq(contractParties.contractId, contractId)).all();
}

/** The units a contract covers, each with its building (address and currency). */
export function listUnitsOfContract(db: DbOrTx, contractId: string) {
  return db
    .select({ unit: units, building: buildings })
    .from(contractUnits)
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(contractUnits.contractId, contractId))
    .orderBy(asc(units.number))
    .all();
}

/** The rent composition on a day (seed 000 "Zusammensetzung Ihrer aktuellen Miete"). */
export function listRentComponentsValidOn(db: DbOrTx, contractId: string, isoDate: string): RentComponent[] {
  return db
    .select()
    .from(rentComponents)
    .where(
      and(
        eq(rentComponents.contractId, contractId),
        lte(rentComponents.validFrom, isoDate),
        or(isNull(rentComponents.validTo), gte(rentComponents.validTo, isoDate)),
      ),
    )
    .orderBy(asc(rentComponents.kind))
    .all();
}

/** Every component row, current and past: the rent history. */
export function listRentHistory(db: DbOrTx, contractId: string): RentComponent[] {
  return db
    .select()
    .from(rentComponents)
    .where(eq(rentComponents.contractId, contractId))
    .orderBy(asc(rentComponents.kind), asc(rentComponents.validFrom))
    .all();
}

export function findContractById(db: DbOrTx, contractId: string): Contract | undefined {
  return db.select().from(contracts).where(eq(contracts.id, contractId)).get();
}

/** The given contracts (a customer's scope), oldest first. One query for any number of ids. */
export function listContractsByIds(db: DbOrTx, contractIds: readonly string[]): Contract[] {
  if (contractIds.length === 0) return [];
  return db
    .select()
    .from(contracts)
    .where(inArray(contracts.id, [...contractIds]))
    .orderBy(asc(contracts.startDate), asc(contracts.number))
    .all();
}

/** Units and buildings of many contracts at once, keyed by `contractId` in each row. */
export function listUnitsOfContracts(db: DbOrTx, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  return db
    .select({ contractId: contractUnits.contractId, unit: units, building: buildings })
    .from(contractUnits)
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inArray(contractUnits.contractId, [...contractIds]))
    .orderBy(asc(units.number))
    .all();
}

/** The rent composition on a day for many contracts (contract list totals) in one query. */
export function listRentComponentsOfContractsValidOn(
  db: DbOrTx,
  contractIds: readonly string[],
  isoDate: string,
): RentComponent[] {
  if (contractIds.length === 0) return [];
  return db
    .select()
    .from(rentComponents)
    .where(
      and(
        inArray(rentComponents.contractId, [...contractIds]),
        lte(rentComponents.validFrom, isoDate),
        or(isNull(rentComponents.validTo), gte(rentComponents.validTo, isoDate)),
      ),
    )
    .all();
}

/**
 * The parties of a contract with their names only: other parties' contact data stays out of the
 * query altogether (data minimisation, GDPR Art. 5 (1) c).
 */
export function listPartyNamesOfContract(db: DbOrTx, contractId: string) {
  return db
    .select({
      personId: contractParties.personId,
      role: contractParties.role,
      until: contractParties.until,
      kind: persons.kind,
      salutation: persons.salutation,
      firstName: persons.firstName,
      lastName: persons.lastName,
      organisationName: persons.organisationName,
    })
    .from(contractParties)
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .where(eq(contractParties.contractId, contractId))
    .orderBy(asc(contractParties.role), asc(persons.lastName), asc(persons.firstName))
    .all();
}

export type PartyName = ReturnType<typeof listPartyNamesOfContract>[number];

/** Tickets filed on a contract (seed 004 "ärenden kopplade till avtalet"), latest activity first. */
export function listTicketsLinkedToContract(db: DbOrTx, contractId: string, limit = 50) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      lastActivityAt: tickets.lastActivityAt,
    })
    .from(tickets)
    .where(eq(tickets.contractId, contractId))
    .orderBy(desc(tickets.lastActivityAt))
    .limit(limit)
    .all();
}
