// Generated from db/schema/estates.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** A quarter or property holding of the landlord. */
export const estates = pgTable(
  'estates',
  {
    id: id(),
    name: text().notNull(),
    city: text().notNull(),
    country: text().notNull(), // ISO 3166-1 alpha-2
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('estates_external_id_uq').on(t.externalId)],
);

export const buildings = pgTable(
  'buildings',
  {
    id: id(),
    estateId: text()
      .notNull()
      .references(() => estates.id),
    street: text().notNull(),
    houseNumber: text().notNull(),
    postalCode: text().notNull(),
    city: text().notNull(),
    country: text().notNull(),
    use: text({ enum: ['residential', 'commercial', 'mixed'] }).notNull(),
    /** Currency of the leases in this building (EUR, SEK). */
    currency: text().notNull(),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('buildings_estate_idx').on(t.estateId),
    uniqueIndex('buildings_external_id_uq').on(t.externalId),
  ],
);

export const units = pgTable(
  'units',
  {
    id: id(),
    buildingId: text()
      .notNull()
      .references(() => buildings.id),
    /** The landlord's unit number as printed on the door and the contract, e.g. "1.02". */
    number: text().notNull(),
    kind: text({ enum: ['flat', 'commercial', 'parking', 'storage'] }).notNull(),
    floor: integer(),
    areaSqm: doublePrecision(),
    rooms: doublePrecision(),
    /** The ERP's key (API.md "Integration"); null for rows the portal made itself. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('units_building_number_uq').on(t.buildingId, t.number),
    uniqueIndex('units_external_id_uq').on(t.externalId),
  ],
);
