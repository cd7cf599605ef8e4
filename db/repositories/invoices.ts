import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { invoices } from '../schema/index.ts';
import { first, inJsonIdList, preparedRead, type Tables, tablesOf } from '../dialect.ts';
import { inChunks } from './chunks.ts';
import { jsonIds } from '../prepared.ts';

export type InvoiceInsert = typeof invoices.$inferInsert;
export type Invoice = typeof invoices.$inferSelect;

export async function insertInvoices(db: DbOrTx, rows: InvoiceInsert[]): Promise<void> {
  const { invoices } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(invoices).values(chunk);
}

/** Newest first; `unpaidOnly` is the default view of seed 004 ("Visa endast obetalda"). */
export async function listInvoicesForContract(
  db: DbOrTx,
  contractId: string,
  options: { unpaidOnly?: boolean } = {},
): Promise<Invoice[]> {
  const { invoices } = tablesOf(db);
  const contract = eq(invoices.contractId, contractId);
  return await db
    .select()
    .from(invoices)
    .where(options.unpaidOnly ? and(contract, isNull(invoices.paidAt)) : contract)
    .orderBy(desc(invoices.periodStart), desc(invoices.number));
}

export async function findInvoice(db: DbOrTx, invoiceId: string): Promise<Invoice | undefined> {
  const { invoices } = tablesOf(db);
  return await first(db.select().from(invoices).where(eq(invoices.id, invoiceId)));
}

/** Invoices of many contracts with their contract number, newest period first: one query. */
export async function listInvoicesOfContracts(
  db: DbOrTx,
  contractIds: readonly string[],
  options: { unpaidOnly?: boolean } = {},
) {
  if (contractIds.length === 0) return [];
  const query = options.unpaidOnly ? unpaidInvoicesQuery : allInvoicesQuery;
  return await query.all(db, { ids: jsonIds(contractIds) });
}

// The invoice list and page are read on every visit: prepared once per db (db/prepared.ts), one
// statement per filter, so the SQL never changes under a prepared statement.
const invoicesOfContracts = (db: DbOrTx, { contracts, invoices }: Tables, unpaidOnly: boolean) => {
  const ofContracts = inJsonIdList(db, invoices.contractId, 'ids');
  return db
    .select({
      invoice: invoices,
      contractNumber: contracts.number,
      // How the contract pays decides what each invoice says (direct debit or transfer).
      paymentMethod: contracts.paymentMethod,
      ibanMasked: contracts.ibanMasked,
      mandateReference: contracts.mandateReference,
    })
    .from(invoices)
    .innerJoin(contracts, eq(contracts.id, invoices.contractId))
    .where(unpaidOnly ? and(ofContracts, isNull(invoices.paidAt)) : ofContracts)
    .orderBy(desc(invoices.periodStart), desc(invoices.number))
    .prepare();
};
const allInvoicesQuery = preparedRead((db, tables) => invoicesOfContracts(db, tables, false));
const unpaidInvoicesQuery = preparedRead((db, tables) => invoicesOfContracts(db, tables, true));

const invoiceWithContractQuery = preparedRead((db, { contracts, invoices }) =>
  db
    .select({ invoice: invoices, contract: contracts })
    .from(invoices)
    .innerJoin(contracts, eq(contracts.id, invoices.contractId))
    .where(eq(invoices.id, sql.placeholder('invoiceId')))
    .prepare(),
);

/** One invoice with its contract (the caller checks the contract against the customer's scope). */
export async function findInvoiceWithContract(db: DbOrTx, invoiceId: string) {
  return await invoiceWithContractQuery.get(db, { invoiceId });
}

/** Open invoices per currency: how many and the amount still open (a part payment lowers it). */
export async function summariseUnpaidInvoices(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return await unpaidSummaryQuery.all(db, { ids: jsonIds(contractIds) });
}

// count() and the sum are mapped to numbers: PostgreSQL answers bigint COUNT and SUM as strings.
const unpaidSummaryQuery = preparedRead((db, { invoices }) =>
  db
    .select({
      currency: invoices.currency,
      count: count(),
      total: sql<number>`coalesce(sum(${invoices.amount} - coalesce(${invoices.paidAmount}, 0)), 0)`.mapWith(
        Number,
      ),
    })
    .from(invoices)
    .where(and(inJsonIdList(db, invoices.contractId, 'ids'), isNull(invoices.paidAt)))
    .groupBy(invoices.currency)
    .orderBy(asc(invoices.currency))
    .prepare(),
);

/**
 * The rent-account entries booked against these invoices (charge, payment, a returned debit's
 * reversal and fees), oldest first: one query for a whole invoice list. Narrowed by contract first,
 * so SQLite walks the contracts' ledger index rather than the whole ledger.
 */
export async function listLedgerEntriesOfInvoices(
  db: DbOrTx,
  contractIds: readonly string[],
  invoiceIds: readonly string[],
) {
  if (contractIds.length === 0 || invoiceIds.length === 0) return [];
  return await ledgerOfInvoicesQuery.all(db, {
    contracts: jsonIds(contractIds),
    invoices: jsonIds(invoiceIds),
  });
}

const ledgerOfInvoicesQuery = preparedRead((db, { ledgerEntries }) =>
  db
    .select({
      invoiceId: sql<string>`${ledgerEntries.invoiceId}`,
      bookedOn: ledgerEntries.bookedOn,
      kind: ledgerEntries.kind,
      amount: ledgerEntries.amount,
    })
    .from(ledgerEntries)
    .where(
      and(
        inJsonIdList(db, ledgerEntries.contractId, 'contracts'),
        inJsonIdList(db, ledgerEntries.invoiceId, 'invoices'),
      ),
    )
    .orderBy(asc(ledgerEntries.bookedOn), asc(ledgerEntries.createdAt), asc(ledgerEntries.id))
    .prepare(),
);
