import { and, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { invoices } from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type InvoiceInsert = typeof invoices.$inferInsert;
export type Invoice = typeof invoices.$inferSelect;

export function insertInvoices(db: DbOrTx, rows: InvoiceInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(invoices).values(chunk).run();
}

/** Newest first; `unpaidOnly` is the default view of seed 004 ("Visa endast obetalda"). */
export function listInvoicesForContract(
  db: DbOrTx,
  contractId: string,
  options: { unpaidOnly?: boolean } = {},
): Invoice[] {
  const contract = eq(invoices.contractId, contractId);
  return db
    .select()
    .from(invoices)
    .where(options.unpaidOnly ? and(contract, isNull(invoices.paidAt)) : contract)
    .orderBy(desc(invoices.periodStart))
    .all();
}

export function findInvoice(db: DbOrTx, invoiceId: string): Invoice | undefined {
  return db.select().from(invoices).where(eq(invoices.id, invoiceId)).get();
}
