import { and, asc, desc, eq, gte, isNull, lte, or, sql, type Placeholder } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { contractParties, contracts, contractUnits, rentComponents } from '../schema/index.ts';
import { first, inJsonIdList, preparedRead, type Tables, tablesOf } from '../dialect.ts';
import { inChunks } from './chunks.ts';
import { jsonIds } from '../prepared.ts';

export type ContractInsert = typeof contracts.$inferInsert;
export type ContractUnitInsert = typeof contractUnits.$inferInsert;
export type ContractPartyInsert = typeof contractParties.$inferInsert;
export type RentComponentInsert = typeof rentComponents.$inferInsert;
export type Contract = typeof contracts.$inferSelect;
export type RentComponent = typeof rentComponents.$inferSelect;
export type ContractPartyRole = ContractPartyInsert['role'];

export async function insertContracts(db: DbOrTx, rows: ContractInsert[]): Promise<void> {
  const { contracts } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(contracts).values(chunk);
}

export async function insertContractUnits(db: DbOrTx, rows: ContractUnitInsert[]): Promise<void> {
  const { contractUnits } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(contractUnits).values(chunk);
}

export async function insertContractParties(db: DbOrTx, rows: ContractPartyInsert[]): Promise<void> {
  const { contractParties } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(contractParties).values(chunk);
}

export async function insertRentComponents(db: DbOrTx, rows: RentComponentInsert[]): Promise<void> {
  const { rentComponents } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(rentComponents).values(chunk);
}

/** A cooperative's shares on a membership contract (the portal's side; the ERP's records carry none). */
export async function setCooperativeShares(
  db: DbOrTx,
  contractId: string,
  shares: Pick<ContractInsert, 'cooperativeShares' | 'cooperativeShareValue'>,
): Promise<void> {
  const { contracts } = tablesOf(db);
  await db.update(contracts).set(shares).where(eq(contracts.id, contractId));
}

/** Links the signed contract PDF (seed 004: downloadable where signed digitally). */
export async function setSignedContractFile(
  db: DbOrTx,
  contractId: string,
  fileId: string,
  now: Date,
): Promise<void> {
  const { contracts } = tablesOf(db);
  await db
    .update(contracts)
    .set({ signedFileId: fileId, updatedAt: now })
    .where(eq(contracts.id, contractId));
}

export async function findContractByNumber(db: DbOrTx, number: string): Promise<Contract | undefined> {
  const { contracts } = tablesOf(db);
  return await first(db.select().from(contracts).where(eq(contracts.number, number)));
}

/** The contracts a person is party to, with their role and access, oldest first. */
export async function listContractsForPerson(db: DbOrTx, personId: string) {
  const { contractParties, contracts } = tablesOf(db);
  return await db
    .select({ contract: contracts, role: contractParties.role, access: contractParties.access })
    .from(contractParties)
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .where(eq(contractParties.personId, personId))
    .orderBy(asc(contracts.startDate), asc(contracts.id));
}

export async function listPartiesOfContract(db: DbOrTx, contractId: string) {
  const { contractParties } = tablesOf(db);
  return await db.select().from(contractParties).where(eq(contractParties.contractId, contractId));
}

// The contract page and the invoice page read these on every view: each is prepared once per db
// (db/prepared.ts). Lists of contract ids travel as one JSON parameter.
const unitsOfContractQuery = preparedRead((db, { buildings, contractUnits, units }) =>
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
  return await unitsOfContractQuery.all(db, { contractId });
}

/** The rent composition on a day (seed 000 "Zusammensetzung Ihrer aktuellen Miete"). */
export async function listRentComponentsValidOn(
  db: DbOrTx,
  contractId: string,
  isoDate: string,
): Promise<RentComponent[]> {
  return await rentComponentsValidOnQuery.all(db, { contractId, isoDate });
}

const validOn = ({ rentComponents }: Tables, date: Placeholder) =>
  and(
    lte(rentComponents.validFrom, date),
    or(isNull(rentComponents.validTo), gte(rentComponents.validTo, date)),
  );

const rentComponentsValidOnQuery = preparedRead((db, tables) =>
  db
    .select()
    .from(tables.rentComponents)
    .where(
      and(
        eq(tables.rentComponents.contractId, sql.placeholder('contractId')),
        validOn(tables, sql.placeholder('isoDate')),
      ),
    )
    .orderBy(asc(tables.rentComponents.kind), asc(tables.rentComponents.id))
    .prepare(),
);

/** Every component row, current and past: the rent history. */
export async function listRentHistory(db: DbOrTx, contractId: string): Promise<RentComponent[]> {
  return await rentHistoryQuery.all(db, { contractId });
}

const rentHistoryQuery = preparedRead((db, { rentComponents }) =>
  db
    .select()
    .from(rentComponents)
    .where(eq(rentComponents.contractId, sql.placeholder('contractId')))
    .orderBy(asc(rentComponents.kind), asc(rentComponents.validFrom))
    .prepare(),
);

const contractByIdQuery = preparedRead((db, { contracts }) =>
  db
    .select()
    .from(contracts)
    .where(eq(contracts.id, sql.placeholder('contractId')))
    .prepare(),
);

export async function findContractById(db: DbOrTx, contractId: string): Promise<Contract | undefined> {
  return await contractByIdQuery.get(db, { contractId });
}

const contractsByIdsQuery = preparedRead((db, { contracts }) =>
  db
    .select()
    .from(contracts)
    .where(inJsonIdList(db, contracts.id, 'ids'))
    .orderBy(asc(contracts.startDate), asc(contracts.number))
    .prepare(),
);

/** The given contracts (a customer's scope), oldest first. One query for any number of ids. */
export async function listContractsByIds(db: DbOrTx, contractIds: readonly string[]): Promise<Contract[]> {
  if (contractIds.length === 0) return [];
  return await contractsByIdsQuery.all(db, { ids: jsonIds(contractIds) });
}

const unitsOfContractsQuery = preparedRead((db, { buildings, contractUnits, units }) =>
  db
    .select({ contractId: contractUnits.contractId, unit: units, building: buildings })
    .from(contractUnits)
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(inJsonIdList(db, contractUnits.contractId, 'ids'))
    .orderBy(asc(units.number))
    .prepare(),
);

/** Units and buildings of many contracts at once, keyed by `contractId` in each row. */
export async function listUnitsOfContracts(db: DbOrTx, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  return await unitsOfContractsQuery.all(db, { ids: jsonIds(contractIds) });
}

/** The rent composition on a day for many contracts (contract list totals) in one query. */
export async function listRentComponentsOfContractsValidOn(
  db: DbOrTx,
  contractIds: readonly string[],
  isoDate: string,
): Promise<RentComponent[]> {
  if (contractIds.length === 0) return [];
  return await rentComponentsOfContractsValidOnQuery.all(db, { ids: jsonIds(contractIds), isoDate });
}

const rentComponentsOfContractsValidOnQuery = preparedRead((db, tables) =>
  db
    .select()
    .from(tables.rentComponents)
    .where(
      and(
        inJsonIdList(db, tables.rentComponents.contractId, 'ids'),
        validOn(tables, sql.placeholder('isoDate')),
      ),
    )
    .prepare(),
);

/**
 * The parties of a contract with their names only: other parties' contact data stays out of the
 * query altogether (data minimisation, GDPR Art. 5 (1) c).
 */
export async function listPartyNamesOfContract(db: DbOrTx, contractId: string) {
  return await partyNamesQuery.all(db, { contractId });
}

const partyNamesQuery = preparedRead((db, { contractParties, persons }) =>
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
    // An organisation has no first or last name: NULLS FIRST as SQLite sorts them, PostgreSQL too.
    .orderBy(
      asc(contractParties.role),
      sql`${persons.lastName} asc nulls first`,
      sql`${persons.firstName} asc nulls first`,
    )
    .prepare(),
);

export type PartyName = Awaited<ReturnType<typeof listPartyNamesOfContract>>[number];

/** Tickets filed on a contract (seed 004 "ärenden kopplade till avtalet"), latest activity first. */
export async function listTicketsLinkedToContract(db: DbOrTx, contractId: string, limit = 50) {
  return await linkedTicketsQuery.all(db, { contractId, limit });
}

const linkedTicketsQuery = preparedRead((db, { tickets }) =>
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
