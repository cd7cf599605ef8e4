import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { contracts, ledgerEntries } from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type LedgerEntryInsert = typeof ledgerEntries.$inferInsert;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

export function insertLedgerEntries(db: DbOrTx, rows: LedgerEntryInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(ledgerEntries).values(chunk).run();
}

/**
 * The rent account balance (Mietkontostand, seed 000) in minor units: positive is owed by the
 * tenant (arrears), negative is a credit.
 */
export function rentAccountBalance(db: DbOrTx, contractId: string): number {
  const row = db
    .select({ balance: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, contractId))
    .get();
  return row?.balance ?? 0;
}

export function listLedgerEntries(db: DbOrTx, contractId: string): LedgerEntry[] {
  return db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.contractId, contractId))
    .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.kind))
    .all();
}

/** Balances of many rent accounts in one grouped query; contracts without entries are absent (= 0). */
export function rentAccountBalancesOf(db: DbOrTx, contractIds: readonly string[]): Map<string, number> {
  if (contractIds.length === 0) return new Map();
  const rows = db
    .select({
      contractId: ledgerEntries.contractId,
      balance: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(ledgerEntries)
    .where(inArray(ledgerEntries.contractId, [...contractIds]))
    .groupBy(ledgerEntries.contractId)
    .all();
  return new Map(rows.map((row) => [row.contractId, row.balance]));
}

/**
 * The rent account statement newest first, each entry with the running balance after it (a window
 * sum, so the page needs one query however long the account is). Ties on a day keep insertion order
 * by `createdAt`, then `id`.
 */
export function listLedgerWithRunningBalance(db: DbOrTx, contractId: string) {
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
    .where(eq(ledgerEntries.contractId, contractId))
    .orderBy(desc(ledgerEntries.bookedOn), desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .all();
}

/** Rent account balance per currency over the contracts (ledger sum, positive = owed). */
export function sumRentAccountBalances(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return db
    .select({
      currency: contracts.currency,
      amount: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(contracts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.contractId, contracts.id))
    .where(inArray(contracts.id, contractIds))
    .groupBy(contracts.currency)
    .orderBy(asc(contracts.currency))
    .all();
}
