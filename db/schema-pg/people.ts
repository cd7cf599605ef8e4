// Generated from db/schema/people.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamp } from './columns.ts';
import { locales } from '../schema/people.ts';
import { units } from './estates.ts';

export { locales };

/** A natural person or an organisation known to the landlord (tenant, owner, staff). */
export const persons = pgTable(
  'persons',
  {
    id: id(),
    kind: text({ enum: ['natural', 'organisation'] }).notNull(),
    salutation: text(),
    firstName: text(),
    lastName: text(),
    organisationName: text(),
    /** Organisation number (seed 004 signs up with it). */
    organisationNumber: text(),
    /** Customer or member number from the ERP; a login name (seeds 000, 001). */
    customerNumber: text(),
    email: text(),
    phone: text(),
    mobile: text(),
    language: text({ enum: locales }).notNull().default('de'),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
    updatedAt: timestamp(),
  },
  (t) => [
    uniqueIndex('persons_customer_number_uq').on(t.customerNumber),
    index('persons_organisation_number_idx').on(t.organisationNumber),
    uniqueIndex('persons_external_id_uq').on(t.externalId),
  ],
);

/** Unit ownership (WEG / condominium owners, seed 003). */
export const ownerships = pgTable(
  'ownerships',
  {
    id: id(),
    unitId: text()
      .notNull()
      .references(() => units.id),
    personId: text()
      .notNull()
      .references(() => persons.id),
    /** Ownership share in parts per thousand (Miteigentumsanteil). */
    sharePerMille: integer(),
    since: text(),
    until: text(),
  },
  (t) => [index('ownerships_person_idx').on(t.personId), index('ownerships_unit_idx').on(t.unitId)],
);
