import { findOrInsertFile } from '../../db/repositories/files.ts';
import {
  insertDocumentReads,
  insertDocuments,
  type DocumentInsert,
} from '../../db/repositories/documents.ts';
import { setSignedContractFile } from '../../db/repositories/contracts.ts';
import type { Tx } from '../../db/transaction.ts';
import type { FileStore } from '../files/store.ts';
import { renderSimpleDocument, type SimpleDocumentInput } from '../pdf/simple-document.ts';
import type { SeedContext } from './context.ts';

/** One demo document before its PDF exists: the row (without file), the PDF content, its readers. */
export interface DocumentSpec {
  row: Omit<DocumentInsert, 'fileId'> & { id: string };
  pdf: SimpleDocumentInput;
  /** Already opened: the proof-of-delivery row, so the other documents show as unread. */
  readBy?: { userId: string; at: Date };
  /** This PDF is the signed contract of that contract (seed 004: downloadable copy). */
  signedContractId?: string;
}

export interface StoredDocument extends DocumentSpec {
  sha256: string;
  size: number;
}

/** Renders and stores every PDF before the transaction: file writes cannot roll back anyway. */
export async function storeDocuments(
  files: FileStore,
  specs: readonly DocumentSpec[],
): Promise<StoredDocument[]> {
  const rendered = await Promise.all(specs.map((spec) => renderSimpleDocument(spec.pdf)));
  const stored: StoredDocument[] = [];
  for (const [index, spec] of specs.entries()) {
    const { sha256, size } = await files.put(rendered[index] as Buffer);
    stored.push({ ...spec, sha256, size });
  }
  return stored;
}

export async function insertStoredDocuments(
  tx: Tx,
  context: SeedContext,
  stored: readonly StoredDocument[],
): Promise<void> {
  const rows: DocumentInsert[] = [];
  for (const document of stored) {
    const file = await findOrInsertFile(tx, {
      id: context.newId(),
      sha256: document.sha256,
      mime: 'application/pdf',
      size: document.size,
      createdAt: document.row.publishedAt,
    });
    rows.push({ ...document.row, fileId: file.id, createdAt: document.row.publishedAt });
    if (document.signedContractId)
      await setSignedContractFile(tx, document.signedContractId, file.id, document.row.publishedAt);
  }
  await insertDocuments(tx, rows);
  await insertDocumentReads(
    tx,
    stored.flatMap((document) =>
      document.readBy
        ? [{ documentId: document.row.id, userId: document.readBy.userId, firstOpenedAt: document.readBy.at }]
        : [],
    ),
  );
}
