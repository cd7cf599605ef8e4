import { asc, desc, eq, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import type { ledgerEntries } from '../schema/index.ts';
import { inJsonIdList, preparedRead, tablesOf } from '../dialect.ts';
import { inChunks } from './chunks.ts';
import { jsonIds } from '../prepared.ts';

export type LedgerEntryInsert = typeof ledgerEntries.$inferInsert;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

/** A sum of money as a number: PostgreSQL answers SUM of a bigint as a numeric string. */
const sumOf = (amount: SQLiteColumn) => sql<number>`coalesce(sum(${amount}), 0)`.mapWith(Number);

export async function insertLedgerEntries(db: DbOrTx, rows: LedgerEntryInsert[]): Promise<void> {
  const { ledgerEntries } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(ledgerEntries).values(chunk);
}

/**
 * The rent account balance (Mietkontostand, seed 000) in minor units: positive is owed by the
 * tenant (arrears), negative is a credit.
 */
export async function rentAccountBalance(db: DbOrTx, contractId: string): Promise<number> {
  return (await balanceQuery.get(db, { contractId }))?.balance ?? 0;
}

// The contract page, the contract list, the rent account and home read these on every view:
// prepared once per db (db/prepared.ts).
const balanceQuery = preparedRead((db, { ledgerEntries }) =>
  db
    .select({ balance: sumOf(ledgerEntries.amount) })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, sql.placeholder('contractId')))
    .prepare(),
);

export async function listLedgerEntries(db: DbOrTx, contractId: string): Promise<LedgerEntry[]> {
  const { ledgerEntries } = tablesOf(db);
  return await db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, contractId))
    .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.kind));
}

/** Balances of many rent accounts in one grouped query; contracts without entries are absent (= 0). */
export async function rentAccountBalancesOf(
  db: DbOrTx,
  contractIds: readonly string[],
): Promise<Map<string, number>> {
  if (contractIds.length === 0) return new Map();
  const rows = await balancesQuery.all(db, { ids: jsonIds(contractIds) });
  return new Map(rows.map((row) => [row.contractId, row.balance]));
}

const balancesQuery = preparedRead((db, { ledgerEntries }) =>
  db
    .select({ contractId: ledgerEntries.contractId, balance: sumOf(ledgerEntries.amount) })
    .from(ledgerEntries)
    .where(inJsonIdList(db, ledgerEntries.contractId, 'ids'))
    .groupBy(ledgerEntries.contractId)
    .prepare(),
);

/**
 * The rent account statement newest first, each entry with the running balance after it (a window
 * sum, so the page needs one query however long the account is). Ties on a day keep insertion order
 * by `createdAt`, then `id`.
 */
export async function listLedgerWithRunningBalance(db: DbOrTx, contractId: string) {
  return await ledgerQuery.all(db, { contractId });
}

const ledgerQuery = preparedRead((db, { ledgerEntries }) => {
  const order = sql`order by ${ledgerEntries.bookedOn}, ${ledgerEntries.createdAt}, ${ledgerEntries.id}`;
  return db
    .select({
      id: ledgerEntries.id,
      bookedOn: ledgerEntries.bookedOn,
      kind: ledgerEntries.kind,
      description: ledgerEntries.description,
      amount: ledgerEntries.amount,
      // A numeric string on PostgreSQL (SUM of a bigint): mapped to a number as SQLite's.
      balanceAfter:
        sql<number>`sum(${ledgerEntries.amount}) over (${order} rows between unbounded preceding and current row)`.mapWith(
          Number,
        ),
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, sql.placeholder('contractId')))
    .orderBy(desc(ledgerEntries.bookedOn), desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .prepare();
});

/** Rent account balance per currency over the contracts (ledger sum, positive = owed). */
export async function sumRentAccountBalances(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return await balancesPerCurrencyQuery.all(db, { ids: jsonIds(contractIds) });
}

const balancesPerCurrencyQuery = preparedRead((db, { contracts, ledgerEntries }) =>
  db
    .select({ currency: contracts.currency, amount: sumOf(ledgerEntries.amount) })
    .from(contracts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.contractId, contracts.id))
    .where(inJsonIdList(db, contracts.id, 'ids'))
    .groupBy(contracts.currency)
    .orderBy(asc(contracts.currency))
    .prepare(),
);
