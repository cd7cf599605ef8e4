import { and, asc, count, desc, eq, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import { buildings, documentReads, documents, files } from '../schema/index.ts';
import { inChunks } from './chunks.ts';

export type DocumentInsert = typeof documents.$inferInsert;
export type DocumentReadInsert = typeof documentReads.$inferInsert;
export type Document = typeof documents.$inferSelect;

export function insertDocuments(db: DbOrTx, rows: DocumentInsert[]): void {
  for (const chunk of inChunks(rows)) db.insert(documents).values(chunk).run();
}

/** First openings: the proof of delivery (seed 001 sends every new document by mail; this shows it arrived). */
export function insertDocumentReads(db: DbOrTx, rows: DocumentReadInsert[]): void {
  if (rows.length > 0) db.insert(documentReads).values(rows).onConflictDoNothing().run();
}

/** A document with its stored file (content hash, mime, size), for download after the access check. */
export function findDocumentWithFile(db: DbOrTx, documentId: string) {
  return db
    .select({ document: documents, file: files })
    .from(documents)
    .innerJoin(files, eq(files.id, documents.fileId))
    .where(eq(documents.id, documentId))
    .get();
}

export function listDocumentsOfContract(db: DbOrTx, contractId: string): Document[] {
  return db.select().from(documents).where(eq(documents.contractId, contractId)).all();
}

export function listDocumentsOfPerson(db: DbOrTx, personId: string): Document[] {
  return db.select().from(documents).where(eq(documents.personId, personId)).all();
}

/**
 * Where a customer's documents hang off (server/services/documents.ts builds it from the customer
 * scope). Building and estate documents carry an audience: tenants see `all|tenants` of the houses
 * they rent in, owners `all|owners` of the houses they own in (seed 003: tenants and owners).
 */
export interface DocumentAudience {
  personId: string;
  contractIds: string[];
  tenantBuildingIds: string[];
  ownerBuildingIds: string[];
  tenantEstateIds: string[];
  ownerEstateIds: string[];
}

function visibleTo(audience: DocumentAudience, now: Date): SQL {
  const forTenants = inArray(documents.audience, ['all', 'tenants']);
  const forOwners = inArray(documents.audience, ['all', 'owners']);
  // Only non-empty id lists become branches: an empty branch must never widen the match.
  const branches: SQL[] = [and(eq(documents.scope, 'person'), eq(documents.personId, audience.personId))!];
  const add = (scope: Document['scope'], column: SQLiteColumn, ids: string[], audienceFilter?: SQL) => {
    if (ids.length > 0) branches.push(and(eq(documents.scope, scope), inArray(column, ids), audienceFilter)!);
  };
  add('contract', documents.contractId, audience.contractIds);
  add('building', documents.buildingId, audience.tenantBuildingIds, forTenants);
  add('building', documents.buildingId, audience.ownerBuildingIds, forOwners);
  add('estate', documents.estateId, audience.tenantEstateIds, forTenants);
  add('estate', documents.estateId, audience.ownerEstateIds, forOwners);
  // Scheduled publishing: a document is not there before its time.
  return and(or(...branches), lte(documents.publishedAt, now))!;
}

export interface VisibleDocument {
  document: Document;
  firstOpenedAt: Date | null;
}

/** The customer's documents with their own first opening, newest first: one query. */
export function listDocumentsVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  userId: string,
  now: Date,
  type?: Document['type'],
): VisibleDocument[] {
  const visible = visibleTo(audience, now);
  return db
    .select({ document: documents, firstOpenedAt: documentReads.firstOpenedAt })
    .from(documents)
    .leftJoin(
      documentReads,
      and(eq(documentReads.documentId, documents.id), eq(documentReads.userId, userId)),
    )
    .where(type ? and(visible, eq(documents.type, type)) : visible)
    .orderBy(desc(documents.publishedAt), desc(documents.id))
    .all();
}

/** The types present for the customer (filter chips). */
export function listDocumentTypesVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  now: Date,
): Document['type'][] {
  return db
    .selectDistinct({ type: documents.type })
    .from(documents)
    .where(visibleTo(audience, now))
    .orderBy(asc(documents.type))
    .all()
    .map((row) => row.type);
}

/** Documents this user has not opened yet (the home page's "new documents"). */
export function countUnreadDocumentsVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  userId: string,
  now: Date,
): number {
  const row = db
    .select({ unread: count() })
    .from(documents)
    .leftJoin(
      documentReads,
      and(eq(documentReads.documentId, documents.id), eq(documentReads.userId, userId)),
    )
    .where(and(visibleTo(audience, now), isNull(documentReads.documentId)))
    .get();
  return row?.unread ?? 0;
}

/** The document with its file, only when the customer may see it (else undefined → 404). */
export function findDocumentVisibleTo(db: DbOrTx, audience: DocumentAudience, documentId: string, now: Date) {
  return db
    .select({ document: documents, file: files })
    .from(documents)
    .innerJoin(files, eq(files.id, documents.fileId))
    .where(and(eq(documents.id, documentId), visibleTo(audience, now)))
    .get();
}

/**
 * Records the first opening and returns the stored time: a later opening keeps the first one
 * (the proof of delivery must not move, seed 001).
 */
export function recordFirstOpening(db: DbOrTx, documentId: string, userId: string, at: Date): Date {
  db.insert(documentReads).values({ documentId, userId, firstOpenedAt: at }).onConflictDoNothing().run();
  const row = db
    .select({ firstOpenedAt: documentReads.firstOpenedAt })
    .from(documentReads)
    .where(and(eq(documentReads.documentId, documentId), eq(documentReads.userId, userId)))
    .get();
  return row?.firstOpenedAt ?? at;
}

/** Estate of each building, to tell tenant estates from owner estates. */
export function listEstateIdsOfBuildings(db: DbOrTx, buildingIds: string[]): Map<string, string> {
  if (buildingIds.length === 0) return new Map();
  const rows = db
    .select({ id: buildings.id, estateId: buildings.estateId })
    .from(buildings)
    .where(inArray(buildings.id, buildingIds))
    .all();
  return new Map(rows.map((row) => [row.id, row.estateId]));
}
