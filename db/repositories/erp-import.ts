import { and, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import {
  apiKeys,
  buildings,
  contractParties,
  contracts,
  contractUnits,
  documents,
  estates,
  importRuns,
  invoices,
  ledgerEntries,
  persons,
  rentComponents,
  units,
  users as usersTable,
} from '../schema/index.ts';

/**
 * Reads and writes of the ERP import (server/services/import). Rows are found by the ERP's key
 * (`external_id`, unique per table) or, for rows the portal made before the first load, by their
 * natural key (a unit's number in its building, a contract's or invoice's number, a customer
 * number), so a first load adopts them instead of duplicating them.
 */
export const externalTables = {
  estates,
  buildings,
  units,
  persons,
  contracts,
  ledgerEntries,
  invoices,
} as const;
export type ExternalTable = keyof typeof externalTables;
export type ExternalRow<E extends ExternalTable> = (typeof externalTables)[E]['$inferSelect'];
export type ExternalInsert<E extends ExternalTable> = (typeof externalTables)[E]['$inferInsert'];

/** SQLite allows 32,766 variables per statement; lists are looked up in chunks well below that. */
const chunkSize = 500;
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize));
  return out;
}

export function findByExternalIds<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  externalIds: readonly string[],
): Map<string, ExternalRow<E>> {
  const table = externalTables[entity];
  const found = new Map<string, ExternalRow<E>>();
  for (const chunk of chunks([...new Set(externalIds)])) {
    const rows = db.select().from(table).where(inArray(table.externalId, chunk)).all() as ExternalRow<E>[];
    for (const row of rows) found.set(row.externalId!, row);
  }
  return found;
}

/**
 * Many rows of one table in multi-row INSERTs: a first load writes millions of rows, and one
 * statement per row spends most of its time building SQL. Rows carry their ids already.
 */
export function insertExternalRows<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  rows: readonly ExternalInsert<E>[],
): void {
  insertInBatches(db, externalTables[entity], rows);
}

function insertInBatches(db: DbOrTx, table: SQLiteTable, rows: readonly object[]): void {
  if (rows.length === 0) return;
  // SQLite binds at most 32,766 variables per statement.
  const perStatement = Math.max(
    1,
    Math.min(500, Math.floor(30_000 / Object.keys(getTableColumns(table)).length)),
  );
  for (let i = 0; i < rows.length; i += perStatement)
    db.insert(table)
      .values(rows.slice(i, i + perStatement))
      .run();
}

export function insertContractUnitRows(
  db: DbOrTx,
  rows: readonly (typeof contractUnits.$inferInsert)[],
): void {
  insertInBatches(db, contractUnits, rows);
}
export function insertPartyRows(db: DbOrTx, rows: readonly (typeof contractParties.$inferInsert)[]): void {
  insertInBatches(db, contractParties, rows);
}
export function insertRentComponentRows(
  db: DbOrTx,
  rows: readonly (typeof rentComponents.$inferInsert)[],
): void {
  insertInBatches(db, rentComponents, rows);
}

/** Whether a first load could adopt anything: rows the portal made without an ERP key. */
export function hasRowsWithoutExternalId(db: DbOrTx, entity: ExternalTable): boolean {
  const table = externalTables[entity];
  return db.select({ id: table.id }).from(table).where(isNull(table.externalId)).limit(1).get() !== undefined;
}

export function updateExternalRow<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  id: string,
  values: Partial<ExternalInsert<E>>,
): void {
  const table = externalTables[entity];
  // The generic table type is a union drizzle cannot narrow; the caller's values are typed per entity.
  db.update(table)
    .set(values as never)
    .where(eq(table.id, id))
    .run();
}

/** Portal rows without an ERP key that a first load may adopt, by natural key. */
export function findAdoptableUnit(db: DbOrTx, buildingId: string, number: string) {
  return db
    .select()
    .from(units)
    .where(and(eq(units.buildingId, buildingId), eq(units.number, number)))
    .get();
}
export function findAdoptableContract(db: DbOrTx, number: string) {
  return db.select().from(contracts).where(eq(contracts.number, number)).get();
}
export function findAdoptableInvoice(db: DbOrTx, number: string) {
  return db.select().from(invoices).where(eq(invoices.number, number)).get();
}
export function findAdoptablePerson(db: DbOrTx, customerNumber: string) {
  return db.select().from(persons).where(eq(persons.customerNumber, customerNumber)).get();
}

/** Contracts on these units (for the overlap check): id, dates and unit. */
export function listContractsOnUnits(db: DbOrTx, unitIds: readonly string[]) {
  const out: {
    contractId: string;
    unitId: string;
    startDate: string;
    endDate: string | null;
    externalId: string | null;
  }[] = [];
  for (const chunk of chunks([...new Set(unitIds)])) {
    out.push(
      ...db
        .select({
          contractId: contracts.id,
          unitId: contractUnits.unitId,
          startDate: contracts.startDate,
          endDate: contracts.endDate,
          externalId: contracts.externalId,
        })
        .from(contractUnits)
        .innerJoin(contracts, eq(contracts.id, contractUnits.contractId))
        .where(inArray(contractUnits.unitId, chunk))
        .all(),
    );
  }
  return out;
}

// A nightly load compares every contract it names: these three run once per contract, prepared once.
const unitIdsOfContractQuery = preparedPerDb((db) =>
  db
    .select({ unitId: contractUnits.unitId })
    .from(contractUnits)
    .where(eq(contractUnits.contractId, sql.placeholder('contractId')))
    .prepare(),
);
const partiesOfContractQuery = preparedPerDb((db) =>
  db
    .select()
    .from(contractParties)
    .where(eq(contractParties.contractId, sql.placeholder('contractId')))
    .prepare(),
);
const rentOfContractQuery = preparedPerDb((db) =>
  db
    .select()
    .from(rentComponents)
    .where(eq(rentComponents.contractId, sql.placeholder('contractId')))
    .prepare(),
);

export function listUnitIdsOfContract(db: DbOrTx, contractId: string): string[] {
  return unitIdsOfContractQuery(db)
    .all({ contractId })
    .map((row) => row.unitId);
}

export function replaceContractUnits(db: DbOrTx, contractId: string, unitIds: readonly string[]): void {
  db.delete(contractUnits).where(eq(contractUnits.contractId, contractId)).run();
  if (unitIds.length > 0)
    db.insert(contractUnits)
      .values(unitIds.map((unitId) => ({ contractId, unitId })))
      .run();
}

export type PartyRow = typeof contractParties.$inferSelect;

export function listPartiesOf(db: DbOrTx, contractId: string): PartyRow[] {
  return partiesOfContractQuery(db).all({ contractId });
}

export function upsertParty(db: DbOrTx, row: typeof contractParties.$inferInsert): void {
  db.insert(contractParties)
    .values(row)
    .onConflictDoUpdate({
      target: [contractParties.contractId, contractParties.personId],
      set: { role: row.role, source: row.source, until: row.until ?? null, since: row.since ?? null },
    })
    .run();
}

export function endParty(db: DbOrTx, contractId: string, personId: string, until: string): void {
  db.update(contractParties)
    .set({ until })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)))
    .run();
}

export type RentComponentRow = typeof rentComponents.$inferSelect;

export function listRentComponentsOf(db: DbOrTx, contractId: string): RentComponentRow[] {
  return rentOfContractQuery(db).all({ contractId });
}

export function insertRentComponent(db: DbOrTx, row: typeof rentComponents.$inferInsert): void {
  db.insert(rentComponents).values(row).run();
}

export function updateRentComponent(
  db: DbOrTx,
  id: string,
  values: Partial<typeof rentComponents.$inferInsert>,
): void {
  db.update(rentComponents).set(values).where(eq(rentComponents.id, id)).run();
}

/** Contracts from the ERP that a `full` load did not name and that are still running on `today`. */
export function listRunningErpContractsExcept(
  db: DbOrTx,
  keptExternalIds: ReadonlySet<string>,
  today: string,
) {
  return db
    .select({ id: contracts.id, externalId: contracts.externalId, endDate: contracts.endDate })
    .from(contracts)
    .where(and(isNotNull(contracts.externalId), or(isNull(contracts.endDate), gt(contracts.endDate, today))))
    .all()
    .filter((row) => !keptExternalIds.has(row.externalId!));
}

export type DocumentRow = typeof documents.$inferSelect;

/** Documents an earlier load sent, by the ERP's key. */
export function findDocumentsByExternalIds(
  db: DbOrTx,
  externalIds: readonly string[],
): Map<string, DocumentRow> {
  const found = new Map<string, DocumentRow>();
  for (const chunk of chunks([...new Set(externalIds)]))
    for (const row of db.select().from(documents).where(inArray(documents.externalId, chunk)).all())
      found.set(row.externalId!, row);
  return found;
}

/** A re-sent document with another title, type, date or PDF: changed in place, not announced again. */
export function updateImportedDocument(
  db: DbOrTx,
  id: string,
  values: Partial<typeof documents.$inferInsert>,
): void {
  db.update(documents).set(values).where(eq(documents.id, id)).run();
}

export type ImportRunInsert = typeof importRuns.$inferInsert;
export type ImportRunRow = typeof importRuns.$inferSelect;

export function insertImportRun(db: DbOrTx, run: ImportRunInsert): string {
  return db.insert(importRuns).values(run).returning({ id: importRuns.id }).get().id;
}

/** Recent loads with who started them: a staff member's name or the API key's name. */
export function listImportRuns(db: DbOrTx, limit = 50) {
  return importRunsWithActor(db).orderBy(desc(importRuns.startedAt)).limit(limit).all();
}

/** The people an applied load created (null for a dry run, a refused load or an unknown id). */
export function findPersonsCreatedByImport(db: DbOrTx, runId: string): string[] | null {
  const row = db
    .select({ status: importRuns.status, ids: importRuns.createdPersonIds })
    .from(importRuns)
    .where(eq(importRuns.id, runId))
    .get();
  return row?.status === 'applied' ? (row.ids ?? []) : null;
}

export function findImportRun(db: DbOrTx, id: string) {
  return importRunsWithActor(db).where(eq(importRuns.id, id)).get();
}

function importRunsWithActor(db: DbOrTx) {
  return db
    .select({
      run: importRuns,
      apiKeyName: apiKeys.name,
      firstName: persons.firstName,
      lastName: persons.lastName,
    })
    .from(importRuns)
    .leftJoin(apiKeys, eq(apiKeys.id, importRuns.apiKeyId))
    .leftJoin(usersTable, eq(usersTable.id, importRuns.userId))
    .leftJoin(persons, eq(persons.id, usersTable.personId))
    .$dynamic();
}
