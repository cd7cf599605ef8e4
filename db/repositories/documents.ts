import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { documentReads, documents, files } from '../schema/index.ts';
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
