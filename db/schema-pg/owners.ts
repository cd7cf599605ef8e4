// Generated from db/schema/owners.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isoDate, money } from './columns.ts';
import { ownerships } from './people.ts';

/**
 * The monthly Hausgeld advance an owner pays to the WEG (§ 28 Abs. 1 WEG: set by the economic
 * plan, Wirtschaftsplan), one row per period it applied in. Currency: the building's.
 */
export const hausgeldAdvances = pgTable(
  'hausgeld_advances',
  {
    id: id(),
    ownershipId: text()
      .notNull()
      .references(() => ownerships.id),
    amount: money().notNull(),
    validFrom: isoDate().notNull(),
    validTo: isoDate(),
    createdAt: createdAt(),
  },
  (t) => [index('hausgeld_advances_ownership_idx').on(t.ownershipId, t.validFrom)],
);

/**
 * The owner's account (Hausgeldkonto, seed 003): the rent account's twin for an ownership. Signed
 * from the owner's view: charges (advances, back payments) > 0, payments and credits < 0.
 */
export const ownerAccountEntries = pgTable(
  'owner_account_entries',
  {
    id: id(),
    ownershipId: text()
      .notNull()
      .references(() => ownerships.id),
    bookedOn: isoDate().notNull(),
    kind: text({ enum: ['charge', 'payment', 'credit', 'adjustment'] }).notNull(),
    description: text().notNull(),
    amount: money().notNull(),
    /** The ERP's key, once its load carries owner accounts; null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('owner_account_ownership_idx').on(t.ownershipId, t.bookedOn),
    uniqueIndex('owner_account_external_id_uq').on(t.externalId),
  ],
);
