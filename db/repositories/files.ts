import { and, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import { attachments, files } from '../schema/index.ts';

export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;
export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachmentRow = typeof attachments.$inferInsert;

/** An attachment with its stored file and, for images, its thumbnail file. */
export interface AttachmentWithFiles {
  attachment: AttachmentRow;
  file: FileRow;
  thumbnail: FileRow | null;
}

export async function findFileBySha(db: DbOrTx, sha256: string): Promise<FileRow | undefined> {
  return db.select().from(files).where(eq(files.sha256, sha256)).get();
}

export async function findFileById(db: DbOrTx, fileId: string): Promise<FileRow | undefined> {
  return db.select().from(files).where(eq(files.id, fileId)).get();
}

export async function insertFile(db: DbOrTx, values: NewFileRow): Promise<FileRow> {
  return db.insert(files).values(values).returning().get();
}

/**
 * Same content, same row: inserts the file unless one with this SHA-256 exists and returns the row
 * either way. `ON CONFLICT DO NOTHING` keeps two simultaneous uploads of one file from failing.
 */
export async function findOrInsertFile(db: DbOrTx, values: NewFileRow): Promise<FileRow> {
  db.insert(files).values(values).onConflictDoNothing({ target: files.sha256 }).run();
  const row = await findFileBySha(db, values.sha256);
  if (!row) throw new Error(`file row ${values.sha256} vanished after insert`);
  return row;
}

export async function insertAttachment(db: DbOrTx, values: NewAttachmentRow): Promise<AttachmentRow> {
  return db.insert(attachments).values(values).returning().get();
}

export async function findAttachment(db: DbOrTx, attachmentId: string): Promise<AttachmentRow | undefined> {
  return db.select().from(attachments).where(eq(attachments.id, attachmentId)).get();
}

const thumbnailFiles = alias(files, 'thumbnail_files');

export async function findAttachmentWithFiles(
  db: DbOrTx,
  attachmentId: string,
): Promise<AttachmentWithFiles | undefined> {
  return db
    .select({ attachment: attachments, file: files, thumbnail: thumbnailFiles })
    .from(attachments)
    .innerJoin(files, eq(files.id, attachments.fileId))
    .leftJoin(thumbnailFiles, eq(thumbnailFiles.id, attachments.thumbnailFileId))
    .where(eq(attachments.id, attachmentId))
    .get();
}

export async function countAttachmentsOfFile(db: DbOrTx, fileId: string): Promise<number> {
  return db.select({ id: attachments.id }).from(attachments).where(eq(attachments.fileId, fileId)).all()
    .length;
}

/**
 * Hands a user's unclaimed uploads to a ticket (and message) in the same transaction that creates it.
 * Only the owner's attachments that nothing has claimed yet move; the caller compares the count with
 * the ids it was given and refuses the request when they differ (someone else's or reused ids).
 */
export async function claimAttachments(
  db: DbOrTx,
  claim: { attachmentIds: string[]; ownerUserId: string; ticketId: string; messageId: string | null },
): Promise<number> {
  if (claim.attachmentIds.length === 0) return 0;
  return db
    .update(attachments)
    .set({ ticketId: claim.ticketId, messageId: claim.messageId })
    .where(
      and(
        inArray(attachments.id, claim.attachmentIds),
        eq(attachments.ownerUserId, claim.ownerUserId),
        isNull(attachments.ticketId),
      ),
    )
    .run().changes;
}
