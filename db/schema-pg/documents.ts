// Generated from db/schema/documents.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamp } from './columns.ts';
import { files } from './files.ts';
import { ownerships, persons } from './people.ts';
import { contracts } from './contracts.ts';
import { buildings, estates } from './estates.ts';
import { documentTypes } from '../../shared/api/documents.ts';

/** One list of document types for database and API (the contract lives in shared/). */
export { documentTypes };

/**
 * A document addressed to a person, a contract, a building or an estate (seeds 000, 001, 002), or
 * to one ownership (seed 003: an owner's own Hausgeldabrechnung, seen by that owner only).
 */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    type: text({ enum: documentTypes }).notNull(),
    title: text().notNull(),
    scope: text({ enum: ['person', 'contract', 'building', 'estate', 'ownership'] }).notNull(),
    personId: text().references(() => persons.id),
    contractId: text().references(() => contracts.id),
    buildingId: text().references(() => buildings.id),
    estateId: text().references(() => estates.id),
    ownershipId: text().references(() => ownerships.id),
    /** Who may see a building/estate document: tenants, owners or both. */
    audience: text({ enum: ['all', 'tenants', 'owners'] })
      .notNull()
      .default('all'),
    fileId: text()
      .notNull()
      .references(() => files.id),
    publishedAt: timestamp().notNull(),
    createdByUserId: text(),
    /** The ERP's key for a document it sent with a load (issue 14 item 4); null for staff uploads. */
    externalId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('documents_external_id_uq').on(t.externalId),
    index('documents_person_idx').on(t.personId),
    index('documents_contract_idx').on(t.contractId),
    index('documents_building_idx').on(t.buildingId),
    index('documents_estate_idx').on(t.estateId),
    index('documents_ownership_idx').on(t.ownershipId),
  ],
);

/** First opening per user: the proof of delivery staff can see. */
export const documentReads = pgTable(
  'document_reads',
  {
    documentId: text()
      .notNull()
      .references(() => documents.id),
    userId: text().notNull(),
    firstOpenedAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
);
