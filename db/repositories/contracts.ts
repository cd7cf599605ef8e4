import { and, asc, desc, eq, gte, isNull, lte, or, sql, type Placeholder } from 'drizzle-orm';
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
import { inJsonIds, jsonIds, preparedPerDb } from '../prepared.ts';

export type ContractInsert = typeof contracts.$inferInsert;
export type ContractUnitInsert = typeof contractUnits.$inferInsert;
export type ContractPartyInsert = typeof contractParties.$inferInsert;
export type RentComponentInsert = typeof rentComponents.$inferInsert;
export type Contract = typeof contracts.$inferSelect;
export type RentComponent = typeof rentComponents.$inferSelect;
export type ContractPartyRole = ContractPartyInsert['role'];

export async function insertContracts(db: DbOrTx, rows: ContractInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(contracts).values(chunk).run();
}

export async function insertContractUnits(db: DbOrTx, rows: ContractUnitInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(contractUnits).values(chunk).run();
}

export async function insertContractParties(db: DbOrTx, rows: ContractPartyInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(contractParties).values(chunk).run();
}

export async function insertRentComponents(db: DbOrTx, rows: RentComponentInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(rentComponents).values(chunk).run();
}

/** A cooperative's shares on a membership contract (the portal's side; the ERP's records carry none). */
export async function setCooperativeShares(
  db: DbOrTx,
  contractId: string,
  shares: Pick<ContractInsert, 'cooperativeShares' | 'cooperativeShareValue'>,
): Promise<void> {
  db.update(contracts).set(shares).where(eq(contracts.id, contractId)).run();
}

/** Links the signed contract PDF (seed 004: downloadable where signed digitally). */
export async function setSignedContractFile(
  db: DbOrTx,
  contractId: string,
  fileId: string,
  now: Date,
): Promise<void> {
  db.update(contracts)
    .set({ signedFileId: fileId, updatedAt: now })
    .where(eq(contracts.id, contractId))
    .run();
}

export async function findContractByNumber(db: DbOrTx, number: string): Promise<Contract | undefined> {
  return db.select().from(contracts).where(eq(contracts.number, number)).get();
}

/** The contracts a person is party to, with their role and access, oldest first. */
export async function listContractsForPerson(db: DbOrTx, personId: string) {
  return db
    .select({ contract: contracts, role: contractParties.role, access: contractParties.access })
    .from(contractParties)
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .where(eq(contractParties.personId, personId))
    .orderBy(asc(contracts.startDate))
    .all();
}

export async function listPartiesOfContract(db: DbOrTx, contractId: string) {
  return db.select().from(contractParties).where(eq(contractParties.contractId, contractId)).all();
}

// The contract page and the invoice page read these on every view: each is prepared once per db
// (db/prepared.ts). Lists of contract ids travel as one JSON parameter.
const unitsOfContractQuery = preparedPerDb((db) =>
  db
    .select({ unit: units, building: buildings })
    .from(contractUnits)
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(contractUnits.contractId, sql.placeholder('contractId')))
    .orderBy(asc(units.number))
    .prepare(),
);

/** The units a contract covers, each with its building (address and currency). */
export async function listUnitsOfContract(db: DbOrTx, contractId: string) {
  return unitsOfContractQuery(db).all({ contractId });
}

/** The rent composition on a day (seed 000 "Zusammensetzung Ihrer aktuellen Miete"). */
export async function listRentComponentsValidOn(
  db: DbOrTx,
  contractId: string,
  isoDate: string,
): Promise<RentComponent[]> {
  return rentComponentsValidOnQuery(db).all({ contractId, isoDate });
}

const validOn = (date: Placeholder) =>
  and(
    lte(rentComponents.validFrom, date),
    or(isNull(rentComponents.validTo), gte(rentComponents.validTo, date)),
  );

const rentComponentsValidOnQuery = preparedPerDb((db) =>
  db
    .select()
    .from(rentComponents)
    .where(
      and(eq(rentComponents.contractId, sql.placeholder('contractId')), validOn(sql.placeholder('isoDate'))),
    )
    .orderBy(asc(rentComponents.kind))
    .prepare(),
);

/** Every component row, current and past: the rent history. */
export async function listRentHistory(db: DbOrTx, contractId: string): Promise<RentComponent[]> {
  return rentHistoryQuery(db).all({ contractId });
}

const rentHistoryQuery = preparedPerDb((db) =>
  db
    .select()
    .from(rentComponents)
    .where(eq(rentComponents.contractId, sql.placeholder('contractId')))
    .orderBy(asc(rentComponents.kind), asc(rentComponents.validFrom))
    .prepare(),
);

const contractByIdQuery = preparedPerDb((db) =>
  db
    .select()
    .from(contracts)
    .where(eq(contracts.id, sql.placeholder('contractId')))
    .prepare(),
);

export async function findContractById(db: DbOrTx, contractId: string): Promise<Contract | undefined> {
  return contractByIdQuery(db).get({ contractId });
}

const contractsByIdsQuery = preparedPerDb((db) =>
  db
    .select()
    .from(contracts)
    .where(inJsonIds(contracts.id, 'ids'))
    .orderBy(asc(contracts.startDate), asc(contracts.number))
    .prepare(),
);

/** The given contracts (a customer's scope), oldest first. One query for any number of ids. */
export async function listContractsByIds(db: DbOrTx, contractIds: readonly string[]): Promise<Contract[]> {
  if (contractIds.length === 0) return [];
  return contractsByIdsQuery(db).all({ ids: jsonIds(contractIds) });
}

const unitsOfContractsQuery = preparedPerDb((db) =>
  db
    .select({ contractId: contractUnits.contractId, unit: units, building: buildings })
    .from(contractUnits)
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inJsonIds(contractUnits.contractId, 'ids'))
    .orderBy(asc(units.number))
    .prepare(),
);

/** Units and buildings of many contracts at once, keyed by `contractId` in each row. */
export async function listUnitsOfContracts(db: DbOrTx, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  return unitsOfContractsQuery(db).all({ ids: jsonIds(contractIds) });
}

/** The rent composition on a day for many contracts (contract list totals) in one query. */
export async function listRentComponentsOfContractsValidOn(
  db: DbOrTx,
  contractIds: readonly string[],
  isoDate: string,
): Promise<RentComponent[]> {
  if (contractIds.length === 0) return [];
  return rentComponentsOfContractsValidOnQuery(db).all({ ids: jsonIds(contractIds), isoDate });
}

const rentComponentsOfContractsValidOnQuery = preparedPerDb((db) =>
  db
    .select()
    .from(rentComponents)
    .where(and(inJsonIds(rentComponents.contractId, 'ids'), validOn(sql.placeholder('isoDate'))))
    .prepare(),
);

/**
 * The parties of a contract with their names only: other parties' contact data stays out of the
 * query altogether (data minimisation, GDPR Art. 5 (1) c).
 */
export async function listPartyNamesOfContract(db: DbOrTx, contractId: string) {
  return partyNamesQuery(db).all({ contractId });
}

const partyNamesQuery = preparedPerDb((db) =>
  db
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
    .where(eq(contractParties.contractId, sql.placeholder('contractId')))
    .orderBy(asc(contractParties.role), asc(persons.lastName), asc(persons.firstName))
    .prepare(),
);

export type PartyName = Awaited<ReturnType<typeof listPartyNamesOfContract>>[number];

/** Tickets filed on a contract (seed 004 "ärenden kopplade till avtalet"), latest activity first. */
export async function listTicketsLinkedToContract(db: DbOrTx, contractId: string, limit = 50) {
  return linkedTicketsQuery(db).all({ contractId, limit });
}

const linkedTicketsQuery = preparedPerDb((db) =>
  db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      subjects: tickets.subjects,
      status: tickets.status,
      lastActivityAt: tickets.lastActivityAt,
    })
    .from(tickets)
    .where(eq(tickets.contractId, sql.placeholder('contractId')))
    .orderBy(desc(tickets.lastActivityAt))
    .limit(sql.placeholder('limit'))
    .prepare(),
);
