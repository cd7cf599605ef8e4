import { and, eq, inArray, isNull } from 'drizzle-orm';
import { alias as pgAlias, type PgTable } from 'drizzle-orm/pg-core';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import type { attachments, files } from '../schema/index.ts';
import { changedRows, first, isPostgres, tablesOf, type Tables } from '../dialect.ts';

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
  const { files } = tablesOf(db);
  return await first(db.select().from(files).where(eq(files.sha256, sha256)));
}

export async function findFileById(db: DbOrTx, fileId: string): Promise<FileRow | undefined> {
  const { files } = tablesOf(db);
  return await first(db.select().from(files).where(eq(files.id, fileId)));
}

export async function insertFile(db: DbOrTx, values: NewFileRow): Promise<FileRow> {
  const { files } = tablesOf(db);
  return (await first(db.insert(files).values(values).returning()))!;
}

/**
 * Same content, same row: inserts the file unless one with this SHA-256 exists and returns the row
 * either way. `ON CONFLICT DO NOTHING` keeps two simultaneous uploads of one file from failing.
 */
export async function findOrInsertFile(db: DbOrTx, values: NewFileRow): Promise<FileRow> {
  const { files } = tablesOf(db);
  await db.insert(files).values(values).onConflictDoNothing({ target: files.sha256 });
  const row = await findFileBySha(db, values.sha256);
  if (!row) throw new Error(`file row ${values.sha256} vanished after insert`);
  return row;
}

export async function insertAttachment(db: DbOrTx, values: NewAttachmentRow): Promise<AttachmentRow> {
  const { attachments } = tablesOf(db);
  return (await first(db.insert(attachments).values(values).returning()))!;
}

export async function findAttachment(db: DbOrTx, attachmentId: string): Promise<AttachmentRow | undefined> {
  const { attachments } = tablesOf(db);
  return await first(db.select().from(attachments).where(eq(attachments.id, attachmentId)));
}

/** The files table a second time, for the thumbnail: an alias is made by the store's own dialect. */
function thumbnailFilesOf(db: DbOrTx, files: Tables['files']) {
  const sqliteAlias = () => alias(files, 'thumbnail_files');
  return isPostgres(db)
    ? (pgAlias(files as unknown as PgTable, 'thumbnail_files') as unknown as ReturnType<typeof sqliteAlias>)
    : sqliteAlias();
}

export async function findAttachmentWithFiles(
  db: DbOrTx,
  attachmentId: string,
): Promise<AttachmentWithFiles | undefined> {
  const { attachments, files } = tablesOf(db);
  const thumbnailFiles = thumbnailFilesOf(db, files);
  return await first(
    db
      .select({ attachment: attachments, file: files, thumbnail: thumbnailFiles })
      .from(attachments)
      .innerJoin(files, eq(files.id, attachments.fileId))
      .leftJoin(thumbnailFiles, eq(thumbnailFiles.id, attachments.thumbnailFileId))
      .where(eq(attachments.id, attachmentId)),
  );
}

export async function countAttachmentsOfFile(db: DbOrTx, fileId: string): Promise<number> {
  const { attachments } = tablesOf(db);
  return (await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.fileId, fileId)))
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
  const { attachments } = tablesOf(db);
  return changedRows(
    await db
      .update(attachments)
      .set({ ticketId: claim.ticketId, messageId: claim.messageId })
      .where(
        and(
          inArray(attachments.id, claim.attachmentIds),
          eq(attachments.ownerUserId, claim.ownerUserId),
          isNull(attachments.ticketId),
        ),
      ),
  );
}
