import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import { attachments, files, persons, ticketMessages, ticketReads, users } from '../schema/index.ts';
import { newId } from '../ids.ts';
import { preparedPerDb } from '../prepared.ts';
import { inChunks } from './chunks.ts';

/**
 * The dialog of a ticket: messages (tenant, staff, internal notes), read marks and attachments.
 * The ticket itself, its types and lists are in tickets.ts.
 */
export type TicketMessageInsert = typeof ticketMessages.$inferInsert;

export type TicketMessage = typeof ticketMessages.$inferSelect;

export type TicketReadInsert = typeof ticketReads.$inferInsert;

export async function insertTicketMessages(db: DbOrTx, rows: TicketMessageInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(ticketMessages).values(chunk).run();
}

export async function insertTicketReads(db: DbOrTx, rows: TicketReadInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(ticketReads).values(rows).run();
}

/** The dialog in order, internal notes included: callers decide what a viewer may see. */
export async function listMessagesOfTicket(db: DbOrTx, ticketId: string): Promise<TicketMessage[]> {
  return db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
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
  return db
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
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all()
    .map((row) => ({ ...row.message, authorRole: row.authorRole, authorFirstName: row.authorFirstName }));
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
  const rows = db
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
    .limit(limit + 1)
    .all();
  const messages = rows
    .slice(0, limit)
    .reverse()
    .map((row) => ({ ...row.message, authorRole: row.authorRole, authorFirstName: row.authorFirstName }));
  return { messages, hasOlder: rows.length > limit };
}

/** When the landlord's people last read the ticket (any staff member): the tenant's read mark. */
export async function latestStaffReadAt(db: DbOrTx, ticketId: string): Promise<Date | null> {
  const row = db
    .select({ readAt: sql<number | null>`max(${ticketReads.readAt})` })
    .from(ticketReads)
    .innerJoin(users, eq(users.id, ticketReads.userId))
    .where(and(eq(ticketReads.ticketId, ticketId), inArray(users.role, ['staff', 'admin'])))
    .get();
  return row?.readAt == null ? null : new Date(row.readAt);
}

const messageByClientIdQuery = preparedPerDb((db) =>
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
  return messageByClientIdQuery(db).get({ authorUserId, clientId });
}

const messageOfTicketQuery = preparedPerDb((db) =>
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
  return messageOfTicketQuery(db).get({ ticketId, messageId });
}

const insertMessageQuery = preparedPerDb((db) =>
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
  return insertMessageQuery(db).get({
    id: row.id ?? newId(),
    ticketId: row.ticketId,
    authorUserId: row.authorUserId ?? null,
    body: row.body,
    visibility: row.visibility ?? 'public',
    kind: row.kind ?? 'message',
    clientId: row.clientId ?? null,
    createdAt: row.createdAt ?? new Date(),
  });
}

/** Read mark per user and ticket: only ever moves forward in time. */
const upsertReadQuery = preparedPerDb((db) =>
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
      set: { lastReadMessageId: sql`excluded.last_read_message_id`, readAt: sql`excluded.read_at` },
    })
    .prepare(),
);

export async function upsertTicketRead(db: DbOrTx, row: Required<TicketReadInsert>): Promise<void> {
  upsertReadQuery(db).run(row);
}

const thumbnailFiles = alias(files, 'ticket_thumbnail_files');

/** Every attachment of a ticket with its files and the visibility of the message it hangs on. */
export async function listAttachmentsOfTicket(db: DbOrTx, ticketId: string) {
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
    .where(eq(attachments.ticketId, ticketId))
    .all();
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
  const onPage = messageIds.length > 0 ? inArray(attachments.messageId, messageIds) : undefined;
  const onTicket = ticketFiles ? isNull(attachments.messageId) : undefined;
  if (!onPage && !onTicket) return [];
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
    .where(and(eq(attachments.ticketId, ticketId), or(onTicket, onPage)))
    .all();
}

/** Visibility of the message an attachment hangs on (null: on the ticket itself). */
export async function findMessageVisibility(
  db: DbOrTx,
  messageId: string,
): Promise<'public' | 'internal' | undefined> {
  return db
    .select({ visibility: ticketMessages.visibility })
    .from(ticketMessages)
    .where(eq(ticketMessages.id, messageId))
    .get()?.visibility;
}
