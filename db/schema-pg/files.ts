// Generated from db/schema/files.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** A stored blob, content-addressed by SHA-256, kept outside any public folder. */
export const files = pgTable(
  'files',
  {
    id: id(),
    sha256: text().notNull(),
    mime: text().notNull(),
    size: integer().notNull(),
    width: integer(),
    height: integer(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('files_sha256_uq').on(t.sha256)],
);

/** An upload by a user; attached to a ticket message once sent. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    fileId: text()
      .notNull()
      .references(() => files.id),
    thumbnailFileId: text().references(() => files.id),
    ownerUserId: text().notNull(),
    originalName: text(),
    ticketId: text(),
    messageId: text(),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_ticket_idx').on(t.ticketId), index('attachments_owner_idx').on(t.ownerUserId)],
);
