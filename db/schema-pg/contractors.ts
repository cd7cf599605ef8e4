// Generated from db/schema/contractors.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamp } from './columns.ts';
import { buildings } from './estates.ts';
import { users } from './accounts.ts';
import { tickets } from './tickets.ts';
import { contractorLanguages, contractorTrades } from '../../shared/api/contractors.ts';

/**
 * The landlord's contractors (craftsmen a ticket is dispatched to). Never deleted once a job link
 * names them: deactivated instead, so the ticket's history keeps its company.
 */
export const contractors = pgTable(
  'contractors',
  {
    id: id(),
    name: text().notNull(),
    contactPerson: text(),
    phone: text(),
    email: text(),
    language: text({ enum: contractorLanguages }).notNull().default('de'),
    /** The ERP's key (API.md "Integration"); null for contractors the portal made itself. */
    externalId: text(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp()
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [uniqueIndex('contractors_external_id_uq').on(t.externalId)],
);

/** A row per trade: the picker filters by trade in SQL on either store. */
export const contractorTradeRows = pgTable(
  'contractor_trades',
  {
    contractorId: text()
      .notNull()
      .references(() => contractors.id),
    trade: text({ enum: contractorTrades }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contractorId, t.trade] }),
    index('contractor_trades_trade_idx').on(t.trade),
  ],
);

/** The buildings a contractor serves. */
export const contractorBuildings = pgTable(
  'contractor_buildings',
  {
    contractorId: text()
      .notNull()
      .references(() => contractors.id),
    buildingId: text()
      .notNull()
      .references(() => buildings.id),
  },
  (t) => [
    primaryKey({ columns: [t.contractorId, t.buildingId] }),
    index('contractor_buildings_building_idx').on(t.buildingId),
  ],
);

/**
 * A contractor's link to one ticket's job page (no account). The token only carries this row's id
 * under an HMAC (server/services/repairs/job-link.ts); expiry and revocation live here, so a link
 * can be withdrawn before it runs out.
 */
export const jobLinks = pgTable(
  'job_links',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    contractorId: text()
      .notNull()
      .references(() => contractors.id),
    createdByUserId: text().references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp().notNull(),
    revokedAt: timestamp(),
  },
  (t) => [index('job_links_ticket_idx').on(t.ticketId), index('job_links_contractor_idx').on(t.contractorId)],
);
