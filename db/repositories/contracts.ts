import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildings,
  contractParties,
  contracts,
  contractUnits,
  rentComponents,
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
