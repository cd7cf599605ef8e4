import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { connectionOf, insertRows, jsonIds, preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import type {
  contractParties,
  contractUnits,
  documents,
  estates,
  importRuns,
  invoices,
  ledgerEntries,
  persons,
  rentComponents,
  units,
  contracts,
  buildings,
} from '../schema/index.ts';
import {
  changedRows,
  first,
  inIdArray,
  inJsonIdList,
  isPostgres,
  preparedRead,
  rawRows,
  tablesOf,
} from '../dialect.ts';
import { inChunks } from './chunks.ts';

/**
 * Reads and writes of the ERP import (server/services/import). Rows are found by the ERP's key
 * (`external_id`, unique per table) or, for rows the portal made before the first load, by their
 * natural key (a unit's number in its building, a contract's or invoice's number, a customer
 * number), so a first load adopts them instead of duplicating them.
 */
const externalEntities = [
  'estates',
  'buildings',
  'units',
  'persons',
  'contracts',
  'ledgerEntries',
  'invoices',
] as const;
interface ExternalTables {
  estates: typeof estates;
  buildings: typeof buildings;
  units: typeof units;
  persons: typeof persons;
  contracts: typeof contracts;
  ledgerEntries: typeof ledgerEntries;
  invoices: typeof invoices;
}
export type ExternalTable = keyof ExternalTables;
export type ExternalRow<E extends ExternalTable> = ExternalTables[E]['$inferSelect'];
export type ExternalInsert<E extends ExternalTable> = ExternalTables[E]['$inferInsert'];

/** The table of an entity in the handle's store. */
const externalTableOf = <E extends ExternalTable>(db: DbOrTx, entity: E): ExternalTables[E] =>
  tablesOf(db)[entity];

// One prepared lookup per table: a load looks up every slice of its records by their keys.
const byExternalIdsQuery = Object.fromEntries(
  externalEntities.map((entity) => [
    entity,
    preparedRead((db, tables) => {
      const table = tables[entity];
      return db
        .select()
        .from(table)
        .where(inJsonIdList(db, table.externalId, 'ids'))
        .prepare();
    }),
  ]),
) as unknown as {
  [E in ExternalTable]: { all(db: DbOrTx, values: { ids: string }): Promise<ExternalRow<E>[]> };
};

const idsByExternalIdsQuery = Object.fromEntries(
  externalEntities.map((entity) => [
    entity,
    preparedRead((db, tables) => {
      const table = tables[entity];
      return db
        .select({ id: table.id, externalId: table.externalId })
        .from(table)
        .where(inJsonIdList(db, table.externalId, 'ids'))
        .prepare();
    }),
  ]),
) as unknown as {
  [E in ExternalTable]: {
    all(db: DbOrTx, values: { ids: string }): Promise<{ id: string; externalId: string | null }[]>;
  };
};

export async function findByExternalIds<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  externalIds: readonly string[],
): Promise<Map<string, ExternalRow<E>>> {
  const found = new Map<string, ExternalRow<E>>();
  if (externalIds.length === 0) return found;
  for (const row of await byExternalIdsQuery[entity].all(db, { ids: jsonIds(externalIds) }))
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
  for (const row of await idsByExternalIdsQuery[entity].all(db, { ids: jsonIds(externalIds) }))
    found.set(row.externalId!, row.id);
  return found;
}

/**
 * Many rows of one table. SQLite: one prepared statement per column set (db/prepared.ts insertRows,
 * a first load writes millions); PostgreSQL: multi-row INSERTs of drizzle's, in chunks that stay
 * below its 65,535 bound parameters per statement on the widest table.
 */
async function insertMany(db: DbOrTx, table: SQLiteTable, rows: readonly object[]): Promise<void> {
  if (!isPostgres(db)) return insertRows(db, table, rows);
  for (const chunk of await inChunks(rows, 500)) await db.insert(table).values(chunk);
}

/** Many rows of one table, with their ids already (a first load writes millions). */
export async function insertExternalRows<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  rows: readonly ExternalInsert<E>[],
): Promise<void> {
  await insertMany(db, externalTableOf(db, entity), rows);
}

export async function insertContractUnitRows(
  db: DbOrTx,
  rows: readonly (typeof contractUnits.$inferInsert)[],
): Promise<void> {
  await insertMany(db, tablesOf(db).contractUnits, rows);
}
export async function insertPartyRows(
  db: DbOrTx,
  rows: readonly (typeof contractParties.$inferInsert)[],
): Promise<void> {
  await insertMany(db, tablesOf(db).contractParties, rows);
}
export async function insertRentComponentRows(
  db: DbOrTx,
  rows: readonly (typeof rentComponents.$inferInsert)[],
): Promise<void> {
  await insertMany(db, tablesOf(db).rentComponents, rows);
}

/** Whether a first load could adopt anything: rows the portal made without an ERP key. */
export async function hasRowsWithoutExternalId(db: DbOrTx, entity: ExternalTable): Promise<boolean> {
  const table = externalTableOf(db, entity);
  const row = await first(db.select({ id: table.id }).from(table).where(isNull(table.externalId)).limit(1));
  return row !== undefined;
}

export async function updateExternalRow<E extends ExternalTable>(
  db: DbOrTx,
  entity: E,
  id: string,
  values: Partial<ExternalInsert<E>>,
): Promise<void> {
  const table = externalTableOf(db, entity);
  // The generic table type is a union drizzle cannot narrow; the caller's values are typed per entity.
  await db
    .update(table)
    .set(values as never)
    .where(eq(table.id, id));
}

/** Portal rows without an ERP key that a first load may adopt, by natural key. */
export async function findAdoptableUnit(db: DbOrTx, buildingId: string, number: string) {
  const { units } = tablesOf(db);
  return await first(
    db
      .select()
      .from(units)
      .where(and(eq(units.buildingId, buildingId), eq(units.number, number))),
  );
}
export async function findAdoptableContract(db: DbOrTx, number: string) {
  const { contracts } = tablesOf(db);
  return await first(db.select().from(contracts).where(eq(contracts.number, number)));
}
export async function findAdoptableInvoice(db: DbOrTx, number: string) {
  const { invoices } = tablesOf(db);
  return await first(db.select().from(invoices).where(eq(invoices.number, number)));
}
export async function findAdoptablePerson(db: DbOrTx, customerNumber: string) {
  const { persons } = tablesOf(db);
  return await first(db.select().from(persons).where(eq(persons.customerNumber, customerNumber)));
}

/** Contracts on these units (for the overlap check): id, dates and unit. */
export async function listContractsOnUnits(db: DbOrTx, unitIds: readonly string[]) {
  const { contracts, contractUnits } = tablesOf(db);
  const out: {
    contractId: string;
    unitId: string;
    startDate: string;
    endDate: string | null;
    externalId: string | null;
  }[] = [];
  // One JSON array parameter instead of a variable per unit: a load names tens of thousands.
  out.push(
    ...(await db
      .select({
        contractId: contracts.id,
        unitId: contractUnits.unitId,
        startDate: contracts.startDate,
        endDate: contracts.endDate,
        externalId: contracts.externalId,
      })
      .from(contractUnits)
      .innerJoin(contracts, eq(contracts.id, contractUnits.contractId))
      .where(inIdArray(db, contractUnits.unitId, [...new Set(unitIds)]))),
  );
  return out;
}

// A nightly load compares every contract it names: these three run once per contract, prepared once.
const unitIdsOfContractQuery = preparedRead((db, { contractUnits }) =>
  db
    .select({ unitId: contractUnits.unitId })
    .from(contractUnits)
    .where(eq(contractUnits.contractId, sql.placeholder('contractId')))
    .prepare(),
);
const partiesOfContractQuery = preparedRead((db, { contractParties }) =>
  db
    .select()
    .from(contractParties)
    .where(eq(contractParties.contractId, sql.placeholder('contractId')))
    .prepare(),
);
const rentOfContractQuery = preparedRead((db, { rentComponents }) =>
  db
    .select()
    .from(rentComponents)
    .where(eq(rentComponents.contractId, sql.placeholder('contractId')))
    .prepare(),
);

export async function listUnitIdsOfContract(db: DbOrTx, contractId: string): Promise<string[]> {
  return (await unitIdsOfContractQuery.all(db, { contractId })).map((row) => row.unitId);
}

export async function replaceContractUnits(
  db: DbOrTx,
  contractId: string,
  unitIds: readonly string[],
): Promise<void> {
  const { contractUnits } = tablesOf(db);
  await db.delete(contractUnits).where(eq(contractUnits.contractId, contractId));
  if (unitIds.length > 0)
    await db.insert(contractUnits).values(unitIds.map((unitId) => ({ contractId, unitId })));
}

export type PartyRow = typeof contractParties.$inferSelect;

export async function listPartiesOf(db: DbOrTx, contractId: string): Promise<PartyRow[]> {
  return await partiesOfContractQuery.all(db, { contractId });
}

export async function upsertParty(db: DbOrTx, row: typeof contractParties.$inferInsert): Promise<void> {
  const { contractParties } = tablesOf(db);
  await db
    .insert(contractParties)
    .values(row)
    .onConflictDoUpdate({
      target: [contractParties.contractId, contractParties.personId],
      set: { role: row.role, source: row.source, until: row.until ?? null, since: row.since ?? null },
    });
}

export async function endParty(
  db: DbOrTx,
  contractId: string,
  personId: string,
  until: string,
): Promise<void> {
  const { contractParties } = tablesOf(db);
  await db
    .update(contractParties)
    .set({ until })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)));
}

export type RentComponentRow = typeof rentComponents.$inferSelect;

export async function listRentComponentsOf(db: DbOrTx, contractId: string): Promise<RentComponentRow[]> {
  return await rentOfContractQuery.all(db, { contractId });
}

export async function insertRentComponent(
  db: DbOrTx,
  row: typeof rentComponents.$inferInsert,
): Promise<void> {
  const { rentComponents } = tablesOf(db);
  await db.insert(rentComponents).values(row);
}

export async function updateRentComponent(
  db: DbOrTx,
  id: string,
  values: Partial<typeof rentComponents.$inferInsert>,
): Promise<void> {
  const { rentComponents } = tablesOf(db);
  await db.update(rentComponents).set(values).where(eq(rentComponents.id, id));
}

/**
 * The keys of the load being applied, with where each came from, in a temporary table of the
 * load's own connection: a second record with the same key is found without holding millions of
 * keys in memory, and a `full` load ends what is not among them. Part of the load's transaction:
 * rolled back with it. On PostgreSQL the load's transaction has a pooled connection of its own, and
 * the table is dropped at its end (`on commit drop`), so the next load on that connection starts
 * empty; on SQLite it stays with the connection and is emptied here.
 */
const loadKeysTable = 'import_load_keys';

/** A statement on PostgreSQL: node-postgres's result, whose `rowCount` says what changed. */
async function onPostgres(db: DbOrTx, query: SQL): Promise<{ rowCount: number | null }> {
  return await (db as unknown as { execute(query: SQL): Promise<{ rowCount: number | null }> }).execute(
    query,
  );
}

const keysTable = sql.raw(loadKeysTable);

export async function startLoadKeys(db: DbOrTx): Promise<void> {
  if (isPostgres(db)) {
    await onPostgres(
      db,
      sql`create temp table if not exists ${keysTable} (entity text not null, external_id text not null, file text, "row" integer, primary key (entity, external_id)) on commit drop`,
    );
    await onPostgres(db, sql`delete from ${keysTable}`);
    return;
  }
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

type KeySighting = { file: string | null; row: number | null };

async function findLoadKey(db: DbOrTx, entity: string, externalId: string): Promise<KeySighting | undefined> {
  if (!isPostgres(db)) return loadKeyStatements(db).find.get(entity, externalId) as KeySighting | undefined;
  const rows = await rawRows<KeySighting>(
    db,
    sql`select file, "row" from ${keysTable} where entity = ${entity} and external_id = ${externalId}`,
  );
  return rows[0];
}

/**
 * Notes a record's key; when the load named it before, answers where (the first sighting wins).
 * `startLoadKeys` must have run on this connection.
 */
export async function claimLoadKey(
  db: DbOrTx,
  entity: string,
  externalId: string,
  at: { file: string; row: number } | null,
): Promise<KeySighting | null> {
  const file = at?.file ?? null;
  const row = at?.row ?? null;
  const claimed = isPostgres(db)
    ? changedRows(
        await onPostgres(
          db,
          sql`insert into ${keysTable} (entity, external_id, file, "row") values (${entity}, ${externalId}, ${file}, ${row}) on conflict do nothing`,
        ),
      )
    : loadKeyStatements(db).claim.run(entity, externalId, file, row).changes;
  if (claimed === 1) return null;
  return (await findLoadKey(db, entity, externalId))!;
}

/**
 * claimLoadKey for a slice of records, in one statement when none of their keys was named before
 * (the rule); when one was, the slice is claimed again key by key to say which and where.
 */
export async function claimLoadKeys(
  db: DbOrTx,
  entity: string,
  keys: readonly { externalId: string; at: { file: string; row: number } | null }[],
): Promise<(KeySighting | null)[]> {
  const json = JSON.stringify(
    keys.map(({ externalId, at }) => [externalId, at?.file ?? null, at?.row ?? null]),
  );
  let claimedAll: boolean;
  if (isPostgres(db)) {
    await onPostgres(db, sql`savepoint claim_load_keys`);
    const claimed = await onPostgres(
      db,
      sql`insert into ${keysTable} (entity, external_id, file, "row")
          select ${entity}, value ->> 0, value ->> 1, (value ->> 2)::integer
          from jsonb_array_elements(${json}::jsonb) as value on conflict do nothing`,
    );
    claimedAll = changedRows(claimed) === keys.length;
    if (!claimedAll) await onPostgres(db, sql`rollback to savepoint claim_load_keys`);
    await onPostgres(db, sql`release savepoint claim_load_keys`);
  } else {
    const statements = loadKeyStatements(db);
    statements.savepoint.run();
    claimedAll = statements.claimMany.run(entity, json).changes === keys.length;
    if (!claimedAll) statements.rollback.run();
    statements.release.run();
  }
  if (claimedAll) return keys.map(() => null);
  const firsts = [];
  for (const { externalId, at } of keys) firsts.push(await claimLoadKey(db, entity, externalId, at));
  return firsts;
}

/** Whether the load being applied names this key (a record read, written or not). */
export async function isLoadKey(db: DbOrTx, entity: string, externalId: string): Promise<boolean> {
  return (await findLoadKey(db, entity, externalId)) !== undefined;
}

/** Contracts from the ERP that the load being applied did not name and that still run on `today`. */
export async function listRunningErpContractsNotInLoad(db: DbOrTx, today: string): Promise<{ id: string }[]> {
  if (!isPostgres(db)) return loadKeyStatements(db).notNamed.all(today) as { id: string }[];
  return await rawRows<{ id: string }>(
    db,
    sql`select c.id from contracts c
         where c.external_id is not null and (c.end_date is null or c.end_date > ${today})
           and not exists (select 1 from ${keysTable} k where k.entity = 'contracts' and k.external_id = c.external_id)`,
  );
}

export type DocumentRow = typeof documents.$inferSelect;

/** Documents an earlier load sent, by the ERP's key. */
export async function findDocumentsByExternalIds(
  db: DbOrTx,
  externalIds: readonly string[],
): Promise<Map<string, DocumentRow>> {
  const { documents } = tablesOf(db);
  const found = new Map<string, DocumentRow>();
  for (const row of await db
    .select()
    .from(documents)
    .where(inIdArray(db, documents.externalId, [...new Set(externalIds)])))
    found.set(row.externalId!, row);
  return found;
}

/** A re-sent document with another title, type, date or PDF: changed in place, not announced again. */
export async function updateImportedDocument(
  db: DbOrTx,
  id: string,
  values: Partial<typeof documents.$inferInsert>,
): Promise<void> {
  const { documents } = tablesOf(db);
  await db.update(documents).set(values).where(eq(documents.id, id));
}

export type ImportRunInsert = typeof importRuns.$inferInsert;
export type ImportRunRow = typeof importRuns.$inferSelect;

export async function insertImportRun(db: DbOrTx, run: ImportRunInsert): Promise<string> {
  const { importRuns } = tablesOf(db);
  return (await first(db.insert(importRuns).values(run).returning({ id: importRuns.id })))!.id;
}

/** Recent loads with who started them: a staff member's name or the API key's name. */
export async function listImportRuns(db: DbOrTx, limit = 50) {
  const { importRuns } = tablesOf(db);
  return await importRunsWithActor(db).orderBy(desc(importRuns.startedAt)).limit(limit);
}

/** The people an applied load created (null for a dry run, a refused load or an unknown id). */
export async function findPersonsCreatedByImport(db: DbOrTx, runId: string): Promise<string[] | null> {
  const { importRuns } = tablesOf(db);
  const row = await first(
    db
      .select({ status: importRuns.status, ids: importRuns.createdPersonIds })
      .from(importRuns)
      .where(eq(importRuns.id, runId)),
  );
  return row?.status === 'applied' ? (row.ids ?? []) : null;
}

export async function findImportRun(db: DbOrTx, id: string) {
  const { importRuns } = tablesOf(db);
  return await first(importRunsWithActor(db).where(eq(importRuns.id, id)));
}

function importRunsWithActor(db: DbOrTx) {
  const { apiKeys, importRuns, persons, users } = tablesOf(db);
  return db
    .select({
      run: importRuns,
      apiKeyName: apiKeys.name,
      firstName: persons.firstName,
      lastName: persons.lastName,
    })
    .from(importRuns)
    .leftJoin(apiKeys, eq(apiKeys.id, importRuns.apiKeyId))
    .leftJoin(users, eq(users.id, importRuns.userId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .$dynamic();
}
