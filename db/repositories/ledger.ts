import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { ledgerEntries } from '../schema/index.ts';
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
