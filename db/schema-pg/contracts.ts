// Generated from db/schema/contracts.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isoDate, money, timestamp } from './columns.ts';
import { units } from './estates.ts';
import { persons } from './people.ts';

export const contracts = pgTable(
  'contracts',
  {
    id: id(),
    /** The landlord's contract number; bulk document publishing matches file names against it. */
    number: text().notNull(),
    kind: text({ enum: ['residential', 'commercial', 'parking', 'cooperative'] }).notNull(),
    startDate: isoDate().notNull(),
    endDate: isoDate(),
    currency: text().notNull(),
    paymentMethod: text({ enum: ['direct_debit', 'transfer', 'standing_order'] }).notNull(),
    /** Only the masked IBAN is ever stored, e.g. "DE89 •••• •••• •••• •••• 00". */
    ibanMasked: text(),
    accountHolder: text(),
    /**
     * The direct-debit mandate (SEPA Core Rulebook: mandate reference and date of signature; for SEK
     * the autogiro consent, whose reference is the payer number). Printed on every pre-notification.
     */
    mandateReference: text(),
    mandateSignedOn: isoDate(),
    depositAmount: money(),
    /** Cooperative shares (Geschäftsanteile, seed 002). */
    cooperativeShares: money(),
    cooperativeShareValue: money(),
    /** The signed contract PDF, where one exists (seed 004). */
    signedFileId: text(),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
    updatedAt: timestamp(),
  },
  (t) => [
    uniqueIndex('contracts_number_uq').on(t.number),
    uniqueIndex('contracts_external_id_uq').on(t.externalId),
  ],
);

export const contractUnits = pgTable(
  'contract_units',
  {
    contractId: text()
      .notNull()
      .references(() => contracts.id),
    unitId: text()
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.unitId] }), index('contract_units_unit_idx').on(t.unitId)],
);

/** The people on a contract. Every adult may have an own login (seed 003). */
export const contractParties = pgTable(
  'contract_parties',
  {
    contractId: text()
      .notNull()
      .references(() => contracts.id),
    personId: text()
      .notNull()
      .references(() => persons.id),
    role: text({ enum: ['main_tenant', 'co_tenant', 'household_member', 'guarantor'] }).notNull(),
    /** `read` sees everything but cannot file requests or change data. */
    access: text({ enum: ['full', 'read'] })
      .notNull()
      .default('full'),
    since: isoDate(),
    until: isoDate(),
    /** `erp` when a load named this party; a `full` load ends only those it no longer names. */
    source: text({ enum: ['erp', 'portal'] }),
  },
  (t) => [
    primaryKey({ columns: [t.contractId, t.personId] }),
    index('contract_parties_person_idx').on(t.personId),
  ],
);

/** Rent broken into components with validity; the history is the set of past rows. */
export const rentComponents = pgTable(
  'rent_components',
  {
    id: id(),
    contractId: text()
      .notNull()
      .references(() => contracts.id),
    kind: text({
      enum: ['net_rent', 'service_charge_advance', 'heating_advance', 'surcharge', 'parking', 'vat'],
    }).notNull(),
    label: text(),
    amount: money().notNull(),
    validFrom: isoDate().notNull(),
    validTo: isoDate(),
  },
  (t) => [index('rent_components_contract_idx').on(t.contractId, t.validFrom)],
);
