import { and, asc, desc, eq, inArray, isNull, lt, lte, max, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import type { ticketMessages, ticketReads } from '../schema/index.ts';
import { first, preparedRead, preparedWrite, tablesOf } from '../dialect.ts';
import { newId } from '../ids.ts';
import { inChunks } from './chunks.ts';

/**
 * The dialog of a ticket: messages (tenant, staff, internal notes), read marks and attachments.
 * The ticket itself, its types and lists are in tickets.ts.
 */
export type TicketMessageInsert = typeof ticketMessages.$inferInsert;

export type TicketMessage = typeof ticketMessages.$inferSelect;

export type TicketReadInsert = typeof ticketReads.$inferInsert;

export async function insertTicketMessages(db: DbOrTx, rows: TicketMessageInsert[]): Promise<void> {
  const { ticketMessages } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(ticketMessages).values(chunk);
}

export async function insertTicketReads(db: DbOrTx, rows: TicketReadInsert[]): Promise<void> {
  const { ticketReads } = tablesOf(db);
  if (rows.length > 0) await db.insert(ticketReads).values(rows);
}

/** The dialog in order, internal notes included: callers decide what a viewer may see. */
export async function listMessagesOfTicket(db: DbOrTx, ticketId: string): Promise<TicketMessage[]> {
  const { ticketMessages } = tablesOf(db);
  return await db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
}

export type TicketMessageWithRole = TicketMessage & {
  authorRole: 'customer' | 'staff' | 'admin' | null;
  /** The author's first name (the dialog names the landlord's staff member by it). */
  authorFirstName?: string | null;
};

/** The dialog with each author's role; `publicOnly` for customers (internal notes never reach them). */
export async function listMessagesWithAuthorRole(
  db: DbOrTx,
  ticketId: string,
  publicOnly: boolean,
): Promise<TicketMessageWithRole[]> {
  const { persons, ticketMessages, users } = tablesOf(db);
  const rows = await db
    .select({ message: ticketMessages, authorRole: users.role, authorFirstName: persons.firstName })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        publicOnly ? eq(ticketMessages.visibility, 'public') : undefined,
      ),
    )
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
  return rows.map((row) => ({
    ...row.message,
    authorRole: row.authorRole,
    authorFirstName: row.authorFirstName,
  }));
}

/** A place in a dialog: a page holds the messages strictly before it in dialog order. */
export interface DialogPosition {
  createdAt: Date;
  id: string;
}

/**
 * One page of the dialog, in dialog order: the `limit` messages just before `before` (the newest
 * without it). Keyset paging on ticket_messages_ticket_idx (ticket_id, created_at), the id breaking
 * ties within one millisecond (sorted in a small temporary tree), so a page costs the same at the
 * first message as at the thousandth.
 */
export async function listMessagePageWithAuthorRole(
  db: DbOrTx,
  ticketId: string,
  options: { publicOnly: boolean; before: DialogPosition | null; limit: number },
): Promise<{ messages: TicketMessageWithRole[]; hasOlder: boolean }> {
  const { publicOnly, before, limit } = options;
  const { persons, ticketMessages, users } = tablesOf(db);
  const rows = await db
    .select({ message: ticketMessages, authorRole: users.role, authorFirstName: persons.firstName })
    .from(ticketMessages)
    .leftJoin(users, eq(users.id, ticketMessages.authorUserId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(
      and(
        eq(ticketMessages.ticketId, ticketId),
        publicOnly ? eq(ticketMessages.visibility, 'public') : undefined,
        // `created_at <= ?` on its own lets SQLite seek the index instead of walking down to the cursor.
        before ? lte(ticketMessages.createdAt, before.createdAt) : undefined,
        before
          ? or(lt(ticketMessages.createdAt, before.createdAt), lt(ticketMessages.id, before.id))
          : undefined,
      ),
    )
    .orderBy(desc(ticketMessages.createdAt), desc(ticketMessages.id))
    .limit(limit + 1);
  const messages = rows
    .slice(0, limit)
    .reverse()
    .map((row) => ({ ...row.message, authorRole: row.authorRole, authorFirstName: row.authorFirstName }));
  return { messages, hasOlder: rows.length > limit };
}

/** When the landlord's people last read the ticket (any staff member): the tenant's read mark. */
export async function latestStaffReadAt(db: DbOrTx, ticketId: string): Promise<Date | null> {
  const { ticketReads, users } = tablesOf(db);
  // max() is mapped by the column: a Date from SQLite's milliseconds and PostgreSQL's timestamp alike.
  const row = await first(
    db
      .select({ readAt: max(ticketReads.readAt) })
      .from(ticketReads)
      .innerJoin(users, eq(users.id, ticketReads.userId))
      .where(and(eq(ticketReads.ticketId, ticketId), inArray(users.role, ['staff', 'admin']))),
  );
  return row?.readAt ?? null;
}

const messageByClientIdQuery = preparedRead((db, { ticketMessages }) =>
  db
    .select()
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.authorUserId, sql.placeholder('authorUserId')),
        eq(ticketMessages.clientId, sql.placeholder('clientId')),
      ),
    )
    .prepare(),
);

/** The idempotency lookup of every message send (unique index ticket_messages_client_uq). */
export async function findMessageByClientId(
  db: DbOrTx,
  authorUserId: string,
  clientId: string,
): Promise<TicketMessage | undefined> {
  return await messageByClientIdQuery.get(db, { authorUserId, clientId });
}

const messageOfTicketQuery = preparedRead((db, { ticketMessages }) =>
  db
    .select()
    .from(ticketMessages)
    .where(
      and(
        eq(ticketMessages.id, sql.placeholder('messageId')),
        eq(ticketMessages.ticketId, sql.placeholder('ticketId')),
      ),
    )
    .prepare(),
);

export async function findMessageOfTicket(
  db: DbOrTx,
  ticketId: string,
  messageId: string,
): Promise<TicketMessage | undefined> {
  return await messageOfTicketQuery.get(db, { ticketId, messageId });
}

const insertMessageQuery = preparedRead((db, { ticketMessages }) =>
  db
    .insert(ticketMessages)
    .values({
      id: sql.placeholder('id'),
      ticketId: sql.placeholder('ticketId'),
      authorUserId: sql.placeholder('authorUserId'),
      body: sql.placeholder('body'),
      visibility: sql.placeholder('visibility'),
      kind: sql.placeholder('kind'),
      clientId: sql.placeholder('clientId'),
      createdAt: sql.placeholder('createdAt'),
    })
    .returning()
    .prepare(),
);

/** Prepared with every column bound, so the schema defaults are applied here. */
export async function insertTicketMessage(db: DbOrTx, row: TicketMessageInsert): Promise<TicketMessage> {
  const stored = await insertMessageQuery.get(db, {
    id: row.id ?? newId(),
    ticketId: row.ticketId,
    authorUserId: row.authorUserId ?? null,
    body: row.body,
    visibility: row.visibility ?? 'public',
    kind: row.kind ?? 'message',
    clientId: row.clientId ?? null,
    createdAt: row.createdAt ?? new Date(),
  });
  if (!stored) throw new Error('the stored message came back empty');
  return stored;
}

/** Read mark per user and ticket: only ever moves forward in time. */
const upsertReadQuery = preparedWrite((db, { ticketReads }) =>
  db
    .insert(ticketReads)
    .values({
      ticketId: sql.placeholder('ticketId'),
      userId: sql.placeholder('userId'),
      lastReadMessageId: sql.placeholder('lastReadMessageId'),
      readAt: sql.placeholder('readAt'),
    })
    .onConflictDoUpdate({
      target: [ticketReads.ticketId, ticketReads.userId],
      // `excluded` names the row that was to be inserted, on SQLite and PostgreSQL alike.
      set: { lastReadMessageId: sql`excluded.last_read_message_id`, readAt: sql`excluded.read_at` },
    })
    .prepare(),
);

export async function upsertTicketRead(db: DbOrTx, row: Required<TicketReadInsert>): Promise<void> {
  await upsertReadQuery(db, row);
}

/**
 * The attachment columns with the file and thumbnail; the alias is made of the handle's own files
 * table (sqlite-core's alias() only wraps the table, so it serves PostgreSQL's as well).
 */
function attachmentQuery(db: DbOrTx) {
  const { attachments, files, ticketMessages } = tablesOf(db);
  const thumbnailFiles = alias(files, 'ticket_thumbnail_files');
  return db
    .select({
      attachment: attachments,
      file: files,
      thumbnail: thumbnailFiles,
      visibility: ticketMessages.visibility,
    })
    .from(attachments)
    .innerJoin(files, eq(files.id, attachments.fileId))
    .leftJoin(thumbnailFiles, eq(thumbnailFiles.id, attachments.thumbnailFileId))
    .leftJoin(ticketMessages, eq(ticketMessages.id, attachments.messageId))
    .$dynamic();
}

/** Every attachment of a ticket with its files and the visibility of the message it hangs on. */
export async function listAttachmentsOfTicket(db: DbOrTx, ticketId: string) {
  const { attachments } = tablesOf(db);
  return await attachmentQuery(db).where(eq(attachments.ticketId, ticketId));
}

/**
 * The attachments of some of a ticket's messages (a dialog page), with `ticketFiles` also those on
 * the ticket itself. Same row shape as listAttachmentsOfTicket.
 */
export async function listAttachmentsOfMessages(
  db: DbOrTx,
  ticketId: string,
  messageIds: string[],
  ticketFiles: boolean,
) {
  const { attachments } = tablesOf(db);
  const onPage = messageIds.length > 0 ? inArray(attachments.messageId, messageIds) : undefined;
  const onTicket = ticketFiles ? isNull(attachments.messageId) : undefined;
  if (!onPage && !onTicket) return [];
  return await attachmentQuery(db).where(and(eq(attachments.ticketId, ticketId), or(onTicket, onPage)));
}

/** Visibility of the message an attachment hangs on (null: on the ticket itself). */
export async function findMessageVisibility(
  db: DbOrTx,
  messageId: string,
): Promise<'public' | 'internal' | undefined> {
  const { ticketMessages } = tablesOf(db);
  const row = await first(
    db
      .select({ visibility: ticketMessages.visibility })
      .from(ticketMessages)
      .where(eq(ticketMessages.id, messageId)),
  );
  return row?.visibility;
}
