// Generated from db/schema/ledger.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isoDate, money, timestamp } from './columns.ts';
import { contracts } from './contracts.ts';

/** Invoices (Avier & fakturor, seed 004): rent notices with payment reference or Swedish OCR. */
export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    contractId: text()
      .notNull()
      .references(() => contracts.id),
    number: text().notNull(),
    periodStart: isoDate().notNull(),
    periodEnd: isoDate().notNull(),
    issuedOn: isoDate().notNull(),
    dueOn: isoDate().notNull(),
    amount: money().notNull(),
    currency: text().notNull(),
    /** Remittance text for EUR (SEPA) or the OCR number with check digit for SEK. */
    paymentReference: text().notNull(),
    paidAt: timestamp(),
    paidAmount: money(),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.number),
    uniqueIndex('invoices_external_id_uq').on(t.externalId),
    index('invoices_contract_idx').on(t.contractId, t.dueOn),
  ],
);

/**
 * The rent account (Mietkonto): charges raise what is owed, payments and credits lower it.
 * Amounts are signed from the tenant's view: charge > 0, payment < 0; the balance is their sum.
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: id(),
    contractId: text()
      .notNull()
      .references(() => contracts.id),
    bookedOn: isoDate().notNull(),
    kind: text({ enum: ['charge', 'payment', 'credit', 'adjustment'] }).notNull(),
    description: text().notNull(),
    amount: money().notNull(),
    invoiceId: text().references(() => invoices.id),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('ledger_contract_idx').on(t.contractId, t.bookedOn),
    uniqueIndex('ledger_external_id_uq').on(t.externalId),
  ],
);
