import { and, asc, eq, inArray, isNotNull, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { contractors } from '../schema/index.ts';
import { first, tablesOf } from '../dialect.ts';
import { contractorTrades, type ContractorTrade } from '../../shared/api/contractors.ts';

const tradeOrder = (trade: ContractorTrade) => contractorTrades.indexOf(trade);

export type ContractorRow = typeof contractors.$inferSelect;
export type ContractorInsert = typeof contractors.$inferInsert;

/** A contractor with its trades and buildings served. */
export interface ContractorRecord extends ContractorRow {
  trades: ContractorTrade[];
  buildingIds: string[];
}

/** Trades and buildings of many contractors in two queries (the list stays three queries). */
async function withLists(db: DbOrTx, rows: ContractorRow[]): Promise<ContractorRecord[]> {
  if (rows.length === 0) return [];
  const { contractorBuildings, contractorTradeRows } = tablesOf(db);
  const ids = rows.map((row) => row.id);
  const trades = await db
    .select()
    .from(contractorTradeRows)
    .where(inArray(contractorTradeRows.contractorId, ids));
  const served = await db
    .select()
    .from(contractorBuildings)
    .where(inArray(contractorBuildings.contractorId, ids));
  return rows.map((row) => ({
    ...row,
    // In the fixed order of the trade list, whatever order they were chosen in.
    trades: trades
      .filter((t) => t.contractorId === row.id)
      .map((t) => t.trade)
      .sort((a, b) => tradeOrder(a) - tradeOrder(b)),
    buildingIds: served.filter((b) => b.contractorId === row.id).map((b) => b.buildingId),
  }));
}

/** Every contractor, active or not, by name (the admin list). */
export async function listContractors(db: DbOrTx): Promise<ContractorRecord[]> {
  const { contractors } = tablesOf(db);
  return await withLists(
    db,
    await db.select().from(contractors).orderBy(asc(contractors.name), asc(contractors.id)),
  );
}

export async function findContractor(db: DbOrTx, id: string): Promise<ContractorRecord | undefined> {
  const { contractors } = tablesOf(db);
  const row = await first(db.select().from(contractors).where(eq(contractors.id, id)));
  return row ? (await withLists(db, [row]))[0] : undefined;
}

/**
 * Active contractors for the dispatch picker: serving `buildingId` (when given) and of `trade` (when
 * given), by name.
 */
export async function listActiveContractorsFor(
  db: DbOrTx,
  filter: { buildingId?: string; trade?: ContractorTrade },
): Promise<ContractorRecord[]> {
  const { contractorBuildings, contractors, contractorTradeRows } = tablesOf(db);
  const conditions = [eq(contractors.active, true)];
  if (filter.buildingId)
    conditions.push(
      inArray(
        contractors.id,
        db
          .select({ id: contractorBuildings.contractorId })
          .from(contractorBuildings)
          .where(eq(contractorBuildings.buildingId, filter.buildingId)),
      ),
    );
  if (filter.trade)
    conditions.push(
      inArray(
        contractors.id,
        db
          .select({ id: contractorTradeRows.contractorId })
          .from(contractorTradeRows)
          .where(eq(contractorTradeRows.trade, filter.trade)),
      ),
    );
  const rows = await db
    .select()
    .from(contractors)
    .where(and(...conditions))
    .orderBy(asc(contractors.name), asc(contractors.id));
  return await withLists(db, rows);
}

export async function insertContractor(db: DbOrTx, row: ContractorInsert): Promise<ContractorRow> {
  const { contractors } = tablesOf(db);
  return (await first(db.insert(contractors).values(row).returning()))!;
}

export async function updateContractor(
  db: DbOrTx,
  id: string,
  patch: Partial<Omit<ContractorInsert, 'id' | 'createdAt'>>,
): Promise<void> {
  const { contractors } = tablesOf(db);
  await db.update(contractors).set(patch).where(eq(contractors.id, id));
}

export async function replaceContractorTrades(
  db: DbOrTx,
  contractorId: string,
  trades: readonly ContractorTrade[],
) {
  const { contractorTradeRows } = tablesOf(db);
  await db.delete(contractorTradeRows).where(eq(contractorTradeRows.contractorId, contractorId));
  if (trades.length > 0)
    await db.insert(contractorTradeRows).values(trades.map((trade) => ({ contractorId, trade })));
}

export async function replaceContractorBuildings(
  db: DbOrTx,
  contractorId: string,
  buildingIds: readonly string[],
) {
  const { contractorBuildings } = tablesOf(db);
  await db.delete(contractorBuildings).where(eq(contractorBuildings.contractorId, contractorId));
  if (buildingIds.length > 0)
    await db
      .insert(contractorBuildings)
      .values(buildingIds.map((buildingId) => ({ contractorId, buildingId })));
}

/** Whether anything refers to the contractor (a job link): then it is deactivated, never deleted. */
export async function isContractorReferenced(db: DbOrTx, contractorId: string): Promise<boolean> {
  const { jobLinks } = tablesOf(db);
  return (
    (await first(
      db.select({ id: jobLinks.id }).from(jobLinks).where(eq(jobLinks.contractorId, contractorId)).limit(1),
    )) !== undefined
  );
}

export async function deleteContractor(db: DbOrTx, contractorId: string): Promise<void> {
  const { contractorBuildings, contractors, contractorTradeRows } = tablesOf(db);
  await db.delete(contractorTradeRows).where(eq(contractorTradeRows.contractorId, contractorId));
  await db.delete(contractorBuildings).where(eq(contractorBuildings.contractorId, contractorId));
  await db.delete(contractors).where(eq(contractors.id, contractorId));
}

/** Which of these ids are buildings (the service refuses the others). */
export async function findExistingBuildingIds(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { buildings } = tablesOf(db);
  const rows = await db
    .select({ id: buildings.id })
    .from(buildings)
    .where(inArray(buildings.id, [...ids]));
  return new Set(rows.map((row) => row.id));
}

/** Every building with its address, for the "buildings served" choice. */
export async function listBuildingAddresses(db: DbOrTx) {
  const { buildings } = tablesOf(db);
  return await db
    .select({
      id: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .orderBy(asc(buildings.city), asc(buildings.street), asc(buildings.houseNumber), asc(buildings.id));
}

/* ERP import (server/services/import): contractors keyed by the ERP's externalId. */

export async function findContractorsByExternalIds(
  db: DbOrTx,
  externalIds: readonly string[],
): Promise<Map<string, ContractorRecord>> {
  if (externalIds.length === 0) return new Map();
  const { contractors } = tablesOf(db);
  const rows = await db
    .select()
    .from(contractors)
    .where(inArray(contractors.externalId, [...externalIds]));
  return new Map((await withLists(db, rows)).map((row) => [row.externalId!, row]));
}

/** `full` loads: active ERP contractors the load leaves out. */
export async function listActiveErpContractorsNotIn(
  db: DbOrTx,
  externalIds: readonly string[],
): Promise<ContractorRow[]> {
  const { contractors } = tablesOf(db);
  const conditions = [eq(contractors.active, true), isNotNull(contractors.externalId)];
  // SQLite's limit of bound parameters is far above a landlord's contractors; a load names hundreds.
  if (externalIds.length > 0) conditions.push(notInArray(contractors.externalId, [...externalIds]));
  return await db
    .select()
    .from(contractors)
    .where(and(...conditions));
}
