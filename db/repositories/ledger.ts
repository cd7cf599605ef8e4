import { asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { contracts, ledgerEntries } from '../schema/index.ts';
import { inChunks } from './chunks.ts';
import { inJsonIds, jsonIds, preparedPerDb } from '../prepared.ts';

export type LedgerEntryInsert = typeof ledgerEntries.$inferInsert;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

export async function insertLedgerEntries(db: DbOrTx, rows: LedgerEntryInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(ledgerEntries).values(chunk).run();
}

/**
 * The rent account balance (Mietkontostand, seed 000) in minor units: positive is owed by the
 * tenant (arrears), negative is a credit.
 */
export async function rentAccountBalance(db: DbOrTx, contractId: string): Promise<number> {
  return balanceQuery(db).get({ contractId })?.balance ?? 0;
}

// The contract page, the contract list, the rent account and home read these on every view:
// prepared once per db (db/prepared.ts).
const balanceQuery = preparedPerDb((db) =>
  db
    .select({ balance: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, sql.placeholder('contractId')))
    .prepare(),
);

export async function listLedgerEntries(db: DbOrTx, contractId: string): Promise<LedgerEntry[]> {
  return db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, contractId))
    .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.kind))
    .all();
}

/** Balances of many rent accounts in one grouped query; contracts without entries are absent (= 0). */
export async function rentAccountBalancesOf(
  db: DbOrTx,
  contractIds: readonly string[],
): Promise<Map<string, number>> {
  if (contractIds.length === 0) return new Map();
  const rows = balancesQuery(db).all({ ids: jsonIds(contractIds) });
  return new Map(rows.map((row) => [row.contractId, row.balance]));
}

const balancesQuery = preparedPerDb((db) =>
  db
    .select({
      contractId: ledgerEntries.contractId,
      balance: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(ledgerEntries)
    .where(inJsonIds(ledgerEntries.contractId, 'ids'))
    .groupBy(ledgerEntries.contractId)
    .prepare(),
);

/**
 * The rent account statement newest first, each entry with the running balance after it (a window
 * sum, so the page needs one query however long the account is). Ties on a day keep insertion order
 * by `createdAt`, then `id`.
 */
export async function listLedgerWithRunningBalance(db: DbOrTx, contractId: string) {
  return ledgerQuery(db).all({ contractId });
}

const ledgerQuery = preparedPerDb((db) => {
  const order = sql`order by ${ledgerEntries.bookedOn}, ${ledgerEntries.createdAt}, ${ledgerEntries.id}`;
  return db
    .select({
      id: ledgerEntries.id,
      bookedOn: ledgerEntries.bookedOn,
      kind: ledgerEntries.kind,
      description: ledgerEntries.description,
      amount: ledgerEntries.amount,
      balanceAfter: sql<number>`sum(${ledgerEntries.amount}) over (${order} rows between unbounded preceding and current row)`,
    })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, sql.placeholder('contractId')))
    .orderBy(desc(ledgerEntries.bookedOn), desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .prepare();
});

/** Rent account balance per currency over the contracts (ledger sum, positive = owed). */
export async function sumRentAccountBalances(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return balancesPerCurrencyQuery(db).all({ ids: jsonIds(contractIds) });
}

const balancesPerCurrencyQuery = preparedPerDb((db) =>
  db
    .select({
      currency: contracts.currency,
      amount: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(contracts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.contractId, contracts.id))
    .where(inJsonIds(contracts.id, 'ids'))
    .groupBy(contracts.currency)
    .orderBy(asc(contracts.currency))
    .prepare(),
);
