import { and, asc, count, desc, eq, gte, inArray, isNull, lte, ne, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import type { documentReads, documents } from '../schema/index.ts';
import { first, tablesOf, type Tables } from '../dialect.ts';
import { inChunks } from './chunks.ts';

export type DocumentInsert = typeof documents.$inferInsert;
export type DocumentReadInsert = typeof documentReads.$inferInsert;
export type Document = typeof documents.$inferSelect;

export async function insertDocuments(db: DbOrTx, rows: DocumentInsert[]): Promise<void> {
  const { documents } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(documents).values(chunk);
}

/** First openings: the proof of delivery (seed 001 sends every new document by mail; this shows it arrived). */
export async function insertDocumentReads(db: DbOrTx, rows: DocumentReadInsert[]): Promise<void> {
  const { documentReads } = tablesOf(db);
  if (rows.length > 0) await db.insert(documentReads).values(rows).onConflictDoNothing();
}

/** A document with its stored file (content hash, mime, size), for download after the access check. */
export async function findDocumentWithFile(db: DbOrTx, documentId: string) {
  const { documents, files } = tablesOf(db);
  return await first(
    db
      .select({ document: documents, file: files })
      .from(documents)
      .innerJoin(files, eq(files.id, documents.fileId))
      .where(eq(documents.id, documentId)),
  );
}

export async function listDocumentsOfContract(db: DbOrTx, contractId: string): Promise<Document[]> {
  const { documents } = tablesOf(db);
  return await db.select().from(documents).where(eq(documents.contractId, contractId));
}

export async function listDocumentsOfPerson(db: DbOrTx, personId: string): Promise<Document[]> {
  const { documents } = tablesOf(db);
  return await db.select().from(documents).where(eq(documents.personId, personId));
}

/**
 * Where a customer's documents hang off (server/services/documents/tenant.ts builds it from the customer
 * scope). Building and estate documents carry an audience: tenants see `all|tenants` of the houses
 * they rent in, owners `all|owners` of the houses they own in (seed 003: tenants and owners). An
 * ownership's own documents go to its owner only, never to the other owners of the house.
 */
export interface DocumentAudience {
  personId: string;
  contractIds: string[];
  ownershipIds: string[];
  tenantBuildingIds: string[];
  ownerBuildingIds: string[];
  tenantEstateIds: string[];
  ownerEstateIds: string[];
}

function visibleTo({ documents }: Tables, audience: DocumentAudience, now: Date): SQL {
  const forTenants = inArray(documents.audience, ['all', 'tenants']);
  const forOwners = inArray(documents.audience, ['all', 'owners']);
  // Only non-empty id lists become branches: an empty branch must never widen the match.
  const branches: SQL[] = [and(eq(documents.scope, 'person'), eq(documents.personId, audience.personId))!];
  const add = (scope: Document['scope'], column: SQLiteColumn, ids: string[], audienceFilter?: SQL) => {
    if (ids.length > 0) branches.push(and(eq(documents.scope, scope), inArray(column, ids), audienceFilter)!);
  };
  add('contract', documents.contractId, audience.contractIds);
  add('ownership', documents.ownershipId, audience.ownershipIds);
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
export async function listDocumentsVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  userId: string,
  now: Date,
  type?: Document['type'],
): Promise<VisibleDocument[]> {
  const tables = tablesOf(db);
  const { documents, documentReads } = tables;
  const visible = visibleTo(tables, audience, now);
  return await db
    .select({ document: documents, firstOpenedAt: documentReads.firstOpenedAt })
    .from(documents)
    .leftJoin(
      documentReads,
      and(eq(documentReads.documentId, documents.id), eq(documentReads.userId, userId)),
    )
    .where(type ? and(visible, eq(documents.type, type)) : visible)
    .orderBy(desc(documents.publishedAt), desc(documents.id));
}

/**
 * The owner's documents (seed 003: Hausgeldabrechnung, Wirtschaftsplan, minutes, invitations):
 * of what the customer may see, those for owners only and those filed to one of their ownerships.
 */
export async function listOwnerDocumentsVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  userId: string,
  now: Date,
): Promise<VisibleDocument[]> {
  const tables = tablesOf(db);
  const { documents, documentReads } = tables;
  const forOwners = or(eq(documents.audience, 'owners'), eq(documents.scope, 'ownership'));
  return await db
    .select({ document: documents, firstOpenedAt: documentReads.firstOpenedAt })
    .from(documents)
    .leftJoin(
      documentReads,
      and(eq(documentReads.documentId, documents.id), eq(documentReads.userId, userId)),
    )
    .where(and(visibleTo(tables, audience, now), forOwners))
    .orderBy(desc(documents.publishedAt), desc(documents.id));
}

/** The types present for the customer (filter chips). */
export async function listDocumentTypesVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  now: Date,
): Promise<Document['type'][]> {
  const tables = tablesOf(db);
  const { documents } = tables;
  const rows = await db
    .selectDistinct({ type: documents.type })
    .from(documents)
    .where(visibleTo(tables, audience, now))
    .orderBy(asc(documents.type));
  return rows.map((row) => row.type);
}

/** Documents this user has not opened yet (the home page's "new documents"). */
export async function countUnreadDocumentsVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  userId: string,
  now: Date,
): Promise<number> {
  const tables = tablesOf(db);
  const { documents, documentReads } = tables;
  // PostgreSQL answers count() as a string.
  const row = await first(
    db
      .select({ unread: count().mapWith(Number) })
      .from(documents)
      .leftJoin(
        documentReads,
        and(eq(documentReads.documentId, documents.id), eq(documentReads.userId, userId)),
      )
      .where(and(visibleTo(tables, audience, now), isNull(documentReads.documentId))),
  );
  return row?.unread ?? 0;
}

/** The document with its file, only when the customer may see it (else undefined → 404). */
export async function findDocumentVisibleTo(
  db: DbOrTx,
  audience: DocumentAudience,
  documentId: string,
  now: Date,
) {
  const tables = tablesOf(db);
  const { documents, files } = tables;
  return await first(
    db
      .select({ document: documents, file: files })
      .from(documents)
      .innerJoin(files, eq(files.id, documents.fileId))
      .where(and(eq(documents.id, documentId), visibleTo(tables, audience, now))),
  );
}

/**
 * Records the first opening and returns the stored time: a later opening keeps the first one
 * (the proof of delivery must not move, seed 001).
 */
export async function recordFirstOpening(
  db: DbOrTx,
  documentId: string,
  userId: string,
  at: Date,
): Promise<Date> {
  const { documentReads } = tablesOf(db);
  await db.insert(documentReads).values({ documentId, userId, firstOpenedAt: at }).onConflictDoNothing();
  const row = await first(
    db
      .select({ firstOpenedAt: documentReads.firstOpenedAt })
      .from(documentReads)
      .where(and(eq(documentReads.documentId, documentId), eq(documentReads.userId, userId))),
  );
  return row?.firstOpenedAt ?? at;
}

/** Estate of each building, to tell tenant estates from owner estates. */
export async function listEstateIdsOfBuildings(
  db: DbOrTx,
  buildingIds: string[],
): Promise<Map<string, string>> {
  if (buildingIds.length === 0) return new Map();
  const { buildings } = tablesOf(db);
  const rows = await db
    .select({ id: buildings.id, estateId: buildings.estateId })
    .from(buildings)
    .where(inArray(buildings.id, buildingIds));
  return new Map(rows.map((row) => [row.id, row.estateId]));
}

/* ---- Staff side (issue 5 item 6): publishing and proof of delivery. ---- */

export async function insertDocument(db: DbOrTx, row: DocumentInsert): Promise<Document> {
  const { documents } = tablesOf(db);
  return (await first(db.insert(documents).values(row).returning()))!;
}

export interface StaffDocumentFilter {
  buildingIds: string[] | null;
  estateIds: string[] | null;
}

/**
 * Documents the staff scope covers, newest first: building/estate documents by place, contract and
 * person documents by the buildings of their contracts (a subquery, not one lookup per row).
 */
export async function listDocumentsForStaff(
  db: DbOrTx,
  scope: StaffDocumentFilter,
  limit = 200,
): Promise<Document[]> {
  const { buildings, contractParties, contractUnits, documents, ownerships, units } = tablesOf(db);
  let where: SQL | undefined;
  if (scope.buildingIds !== null && scope.estateIds !== null) {
    if (scope.buildingIds.length === 0 && scope.estateIds.length === 0) return [];
    const inScope = or(
      scope.buildingIds.length > 0 ? inArray(buildings.id, scope.buildingIds) : undefined,
      scope.estateIds.length > 0 ? inArray(buildings.estateId, scope.estateIds) : undefined,
    );
    const scopedBuildings = db.select({ id: buildings.id }).from(buildings).where(inScope);
    const scopedContracts = db
      .select({ id: contractUnits.contractId })
      .from(contractUnits)
      .innerJoin(units, eq(units.id, contractUnits.unitId))
      .where(inArray(units.buildingId, scopedBuildings));
    const scopedPersons = db
      .select({ id: contractParties.personId })
      .from(contractParties)
      .where(inArray(contractParties.contractId, scopedContracts));
    const scopedOwnerships = db
      .select({ id: ownerships.id })
      .from(ownerships)
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .where(inArray(units.buildingId, scopedBuildings));
    where = or(
      inArray(documents.buildingId, scopedBuildings),
      scope.estateIds.length > 0 ? inArray(documents.estateId, scope.estateIds) : undefined,
      inArray(documents.contractId, scopedContracts),
      inArray(documents.personId, scopedPersons),
      inArray(documents.ownershipId, scopedOwnerships),
    );
  }
  return await db.select().from(documents).where(where).orderBy(desc(documents.publishedAt)).limit(limit);
}

/** Contracts with the place of their (first) unit, by id or by number; one query. */
export async function listContractPlaces(db: DbOrTx, by: { ids?: string[]; numbers?: string[] }) {
  const { buildings, contracts, contractUnits, units } = tablesOf(db);
  const where = by.ids
    ? inArray(contracts.id, by.ids)
    : by.numbers
      ? inArray(contracts.number, by.numbers)
      : undefined;
  return db
    .selectDistinct({
      contractId: contracts.id,
      number: contracts.number,
      buildingId: units.buildingId,
      estateId: buildings.estateId,
    })
    .from(contracts)
    .innerJoin(contractUnits, eq(contractUnits.contractId, contracts.id))
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(where);
}

/** The buildings of a person's contracts (is the person in a staff scope?). */
export async function listPersonPlaces(db: DbOrTx, personId: string) {
  const { buildings, contractParties, contractUnits, units } = tablesOf(db);
  return await db
    .selectDistinct({ buildingId: units.buildingId, estateId: buildings.estateId })
    .from(contractParties)
    .innerJoin(contractUnits, eq(contractUnits.contractId, contractParties.contractId))
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(contractParties.personId, personId));
}

const displayName = ({ persons }: Tables) => ({
  firstName: persons.firstName,
  lastName: persons.lastName,
  organisationName: persons.organisationName,
});

/** Users on the contracts today (no guarantors), with names: the recipients of contract documents. */
export async function listRecipientsOfContracts(db: DbOrTx, contractIds: string[], today: string) {
  if (contractIds.length === 0) return [];
  const tables = tablesOf(db);
  const { contractParties, persons, users } = tables;
  return await db
    .select({ contractId: contractParties.contractId, userId: users.id, ...displayName(tables) })
    .from(contractParties)
    .innerJoin(users, eq(users.personId, contractParties.personId))
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .where(
      and(
        inArray(contractParties.contractId, contractIds),
        ne(contractParties.role, 'guarantor'),
        or(isNull(contractParties.until), gte(contractParties.until, today)),
      ),
    );
}

/** Users of persons and of arbitrary user ids, with names. */
export async function listNamedUsers(db: DbOrTx, by: { personIds?: string[]; userIds?: string[] }) {
  const tables = tablesOf(db);
  const { persons, users } = tables;
  const where = by.personIds ? inArray(users.personId, by.personIds) : inArray(users.id, by.userIds ?? []);
  if ((by.personIds ?? by.userIds ?? []).length === 0) return [];
  return await db
    .select({ personId: users.personId, userId: users.id, ...displayName(tables) })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(where);
}

export async function listReadsOfDocuments(db: DbOrTx, documentIds: string[]) {
  if (documentIds.length === 0) return [];
  const { documentReads } = tablesOf(db);
  return await db.select().from(documentReads).where(inArray(documentReads.documentId, documentIds));
}

/** Every contract number with its place: bulk matching looks for them in file names. */
export async function listAllContractNumbers(db: DbOrTx) {
  return await listContractPlaces(db, {});
}
