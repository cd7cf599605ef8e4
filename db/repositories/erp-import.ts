import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { connectionOf, inJsonArray, inJsonIds, insertRows, jsonIds, preparedPerDb } from '../prepared.ts';
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

// One prepared lookup per table: a load looks up every slice of its records by their keys.
const byExternalIdsQuery = Object.fromEntries(
  Object.entries(externalTables).map(([entity, table]) => [
    entity,
    preparedPerDb((db) => db.select().from(table).where(inJsonIds(table.externalId, 'ids')).prepare()),
  ]),
) as unknown as { [E in ExternalTable]: (db: DbOrTx) => { all(values: { ids: string }): ExternalRow<E>[] } };

const idsByExternalIdsQuery = Object.fromEntries(
  Object.entries(externalTables).map(([entity, table]) => [
    entity,
    preparedPerDb((db) =>
      db
        .select({ id: table.id, externalId: table.externalId })
        .from(table)
        .where(inJsonIds(table.externalId, 'ids'))
        .prepare(),
    ),
  ]),
) as unknown as {
  [E in ExternalTable]: (db: DbOrTx) => {
    all(values: { ids: string }): { id: string; externalId: string | null }[];
  };
};

export async function findByExternalIds<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  externalIds: readonly string[],
): Promise<Map<string, ExternalRow<E>>> {
  const found = new Map<string, ExternalRow<E>>();
  if (externalIds.length === 0) return found;
  for (const row of byExternalIdsQuery[entity](db).all({ ids: jsonIds(externalIds) }))
    found.set(row.externalId!, row);
  return found;
}

/** externalId → internal id of the stored rows among these keys (references of a load's slice). */
export async function findIdsByExternalIds(
  db: DbOrTx,
  entity: ExternalTable,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (externalIds.length === 0) return found;
  for (const row of idsByExternalIdsQuery[entity](db).all({ ids: jsonIds(externalIds) }))
    found.set(row.externalId!, row.id);
  return found;
}

/** Many rows of one table, with their ids already (a first load writes millions). */
export async function insertExternalRows<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  rows: readonly ExternalInsert<E>[],
): Promise<void> {
  insertRows(db, externalTables[entity], rows);
}

export async function insertContractUnitRows(
  db: DbOrTx,
  rows: readonly (typeof contractUnits.$inferInsert)[],
): Promise<void> {
  insertRows(db, contractUnits, rows);
}
export async function insertPartyRows(
  db: DbOrTx,
  rows: readonly (typeof contractParties.$inferInsert)[],
): Promise<void> {
  insertRows(db, contractParties, rows);
}
export async function insertRentComponentRows(
  db: DbOrTx,
  rows: readonly (typeof rentComponents.$inferInsert)[],
): Promise<void> {
  insertRows(db, rentComponents, rows);
}

/** Whether a first load could adopt anything: rows the portal made without an ERP key. */
export async function hasRowsWithoutExternalId(db: DbOrTx, entity: ExternalTable): Promise<boolean> {
  const table = externalTables[entity];
  return db.select({ id: table.id }).from(table).where(isNull(table.externalId)).limit(1).get() !== undefined;
}

export async function updateExternalRow<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  id: string,
  values: Partial<ExternalInsert<E>>,
): Promise<void> {
  const table = externalTables[entity];
  // The generic table type is a union drizzle cannot narrow; the caller's values are typed per entity.
  db.update(table)
    .set(values as never)
    .where(eq(table.id, id))
    .run();
}

/** Portal rows without an ERP key that a first load may adopt, by natural key. */
export async function findAdoptableUnit(db: DbOrTx, buildingId: string, number: string) {
  return db
    .select()
    .from(units)
    .where(and(eq(units.buildingId, buildingId), eq(units.number, number)))
    .get();
}
export async function findAdoptableContract(db: DbOrTx, number: string) {
  return db.select().from(contracts).where(eq(contracts.number, number)).get();
}
export async function findAdoptableInvoice(db: DbOrTx, number: string) {
  return db.select().from(invoices).where(eq(invoices.number, number)).get();
}
export async function findAdoptablePerson(db: DbOrTx, customerNumber: string) {
  return db.select().from(persons).where(eq(persons.customerNumber, customerNumber)).get();
}

/** Contracts on these units (for the overlap check): id, dates and unit. */
export async function listContractsOnUnits(db: DbOrTx, unitIds: readonly string[]) {
  const out: {
    contractId: string;
    unitId: string;
    startDate: string;
    endDate: string | null;
    externalId: string | null;
  }[] = [];
  // One JSON array parameter instead of a variable per unit: a load names tens of thousands.
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
      .where(inJsonArray(contractUnits.unitId, [...new Set(unitIds)]))
      .all(),
  );
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

export async function listUnitIdsOfContract(db: DbOrTx, contractId: string): Promise<string[]> {
  return unitIdsOfContractQuery(db)
    .all({ contractId })
    .map((row) => row.unitId);
}

export async function replaceContractUnits(
  db: DbOrTx,
  contractId: string,
  unitIds: readonly string[],
): Promise<void> {
  db.delete(contractUnits).where(eq(contractUnits.contractId, contractId)).run();
  if (unitIds.length > 0)
    db.insert(contractUnits)
      .values(unitIds.map((unitId) => ({ contractId, unitId })))
      .run();
}

export type PartyRow = typeof contractParties.$inferSelect;

export async function listPartiesOf(db: DbOrTx, contractId: string): Promise<PartyRow[]> {
  return partiesOfContractQuery(db).all({ contractId });
}

export async function upsertParty(db: DbOrTx, row: typeof contractParties.$inferInsert): Promise<void> {
  db.insert(contractParties)
    .values(row)
    .onConflictDoUpdate({
      target: [contractParties.contractId, contractParties.personId],
      set: { role: row.role, source: row.source, until: row.until ?? null, since: row.since ?? null },
    })
    .run();
}

export async function endParty(
  db: DbOrTx,
  contractId: string,
  personId: string,
  until: string,
): Promise<void> {
  db.update(contractParties)
    .set({ until })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)))
    .run();
}

export type RentComponentRow = typeof rentComponents.$inferSelect;

export async function listRentComponentsOf(db: DbOrTx, contractId: string): Promise<RentComponentRow[]> {
  return rentOfContractQuery(db).all({ contractId });
}

export async function insertRentComponent(
  db: DbOrTx,
  row: typeof rentComponents.$inferInsert,
): Promise<void> {
  db.insert(rentComponents).values(row).run();
}

export async function updateRentComponent(
  db: DbOrTx,
  id: string,
  values: Partial<typeof rentComponents.$inferInsert>,
): Promise<void> {
  db.update(rentComponents).set(values).where(eq(rentComponents.id, id)).run();
}

/**
 * The keys of the load being applied, with where each came from, in a temporary table of the
 * load's own connection: a second record with the same key is found without holding millions of
 * keys in memory, and a `full` load ends what is not among them. Part of the load's transaction:
 * rolled back with it.
 */
const loadKeysTable = 'import_load_keys';

export async function startLoadKeys(db: DbOrTx): Promise<void> {
  const client = connectionOf(db);
  client
    .prepare(
      `create temp table if not exists ${loadKeysTable} (entity text not null, external_id text not null, file text, row integer, primary key (entity, external_id)) without rowid`,
    )
    .run();
  client.prepare(`delete from temp.${loadKeysTable}`).run();
}

const loadKeyStatements = preparedPerDb((db) => {
  const client = connectionOf(db);
  return {
    claim: client.prepare(
      `insert into temp.${loadKeysTable} (entity, external_id, file, row) values (?, ?, ?, ?) on conflict do nothing`,
    ),
    // A slice's keys in one statement: [externalId, file, row] per record, as JSON.
    claimMany: client.prepare(
      `insert into temp.${loadKeysTable} (entity, external_id, file, row)
       select ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
       from json_each(?) where true on conflict do nothing`,
    ),
    savepoint: client.prepare('savepoint claim_load_keys'),
    release: client.prepare('release claim_load_keys'),
    rollback: client.prepare('rollback to claim_load_keys'),
    find: client.prepare(`select file, row from temp.${loadKeysTable} where entity = ? and external_id = ?`),
    notNamed: client.prepare(
      `select c.id from contracts c
        where c.external_id is not null and (c.end_date is null or c.end_date > ?)
          and not exists (select 1 from temp.${loadKeysTable} k where k.entity = 'contracts' and k.external_id = c.external_id)`,
    ),
  };
});

/**
 * Notes a record's key; when the load named it before, answers where (the first sighting wins).
 * `startLoadKeys` must have run on this connection.
 */
export async function claimLoadKey(
  db: DbOrTx,
  entity: string,
  externalId: string,
  at: { file: string; row: number } | null,
): Promise<{ file: string | null; row: number | null } | null> {
  const statements = loadKeyStatements(db);
  if (statements.claim.run(entity, externalId, at?.file ?? null, at?.row ?? null).changes === 1) return null;
  return statements.find.get(entity, externalId) as { file: string | null; row: number | null };
}

/**
 * claimLoadKey for a slice of records, in one statement when none of their keys was named before
 * (the rule); when one was, the slice is claimed again key by key to say which and where.
 */
export async function claimLoadKeys(
  db: DbOrTx,
  entity: string,
  keys: readonly { externalId: string; at: { file: string; row: number } | null }[],
): Promise<({ file: string | null; row: number | null } | null)[]> {
  const statements = loadKeyStatements(db);
  statements.savepoint.run();
  const json = JSON.stringify(
    keys.map(({ externalId, at }) => [externalId, at?.file ?? null, at?.row ?? null]),
  );
  if (statements.claimMany.run(entity, json).changes === keys.length) {
    statements.release.run();
    return keys.map(() => null);
  }
  statements.rollback.run();
  statements.release.run();
  const firsts = [];
  for (const { externalId, at } of keys) firsts.push(await claimLoadKey(db, entity, externalId, at));
  return firsts;
}

/** Whether the load being applied names this key (a record read, written or not). */
export async function isLoadKey(db: DbOrTx, entity: string, externalId: string): Promise<boolean> {
  return loadKeyStatements(db).find.get(entity, externalId) !== undefined;
}

/** Contracts from the ERP that the load being applied did not name and that still run on `today`. */
export async function listRunningErpContractsNotInLoad(db: DbOrTx, today: string): Promise<{ id: string }[]> {
  return loadKeyStatements(db).notNamed.all(today) as { id: string }[];
}

export type DocumentRow = typeof documents.$inferSelect;

/** Documents an earlier load sent, by the ERP's key. */
export async function findDocumentsByExternalIds(
  db: DbOrTx,
  externalIds: readonly string[],
): Promise<Map<string, DocumentRow>> {
  const found = new Map<string, DocumentRow>();
  for (const row of db
    .select()
    .from(documents)
    .where(inJsonArray(documents.externalId, [...new Set(externalIds)]))
    .all())
    found.set(row.externalId!, row);
  return found;
}

/** A re-sent document with another title, type, date or PDF: changed in place, not announced again. */
export async function updateImportedDocument(
  db: DbOrTx,
  id: string,
  values: Partial<typeof documents.$inferInsert>,
): Promise<void> {
  db.update(documents).set(values).where(eq(documents.id, id)).run();
}

export type ImportRunInsert = typeof importRuns.$inferInsert;
export type ImportRunRow = typeof importRuns.$inferSelect;

export async function insertImportRun(db: DbOrTx, run: ImportRunInsert): Promise<string> {
  return db.insert(importRuns).values(run).returning({ id: importRuns.id }).get().id;
}

/** Recent loads with who started them: a staff member's name or the API key's name. */
export async function listImportRuns(db: DbOrTx, limit = 50) {
  return importRunsWithActor(db).orderBy(desc(importRuns.startedAt)).limit(limit).all();
}

/** The people an applied load created (null for a dry run, a refused load or an unknown id). */
export async function findPersonsCreatedByImport(db: DbOrTx, runId: string): Promise<string[] | null> {
  const row = db
    .select({ status: importRuns.status, ids: importRuns.createdPersonIds })
    .from(importRuns)
    .where(eq(importRuns.id, runId))
    .get();
  return row?.status === 'applied' ? (row.ids ?? []) : null;
}

export async function findImportRun(db: DbOrTx, id: string) {
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
