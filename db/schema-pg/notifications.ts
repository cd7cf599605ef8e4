// Generated from db/schema/notifications.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, json, timestamp } from './columns.ts';
import { notificationCategories, notificationChannels } from '../schema/notifications.ts';
import { users } from './accounts.ts';

export { notificationCategories, notificationChannels };

/** The outbox: written in the business transaction, sent by the worker afterwards. */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: text().references(() => users.id, { onDelete: 'cascade' }),
    /** For mails to addresses without an account yet (e.g. an e-mail change confirmation). */
    address: text(),
    channel: text({ enum: notificationChannels }).notNull(),
    category: text({ enum: notificationCategories }).notNull(),
    template: text().notNull(),
    data: json<Record<string, unknown>>().notNull(),
    language: text().notNull(),
    status: text({ enum: ['pending', 'sending', 'sent', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp().notNull(),
    lastError: text(),
    sentAt: timestamp(),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_due_idx').on(t.status, t.nextAttemptAt)],
);

/** Per-user channel choice per category (seed 003 "Informationskanäle"). Absent row = default. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    category: text({ enum: notificationCategories }).notNull(),
    channel: text({ enum: notificationChannels }).notNull(),
    enabled: boolean().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category, t.channel] })],
);

export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: id(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text().notNull(),
    p256dh: text().notNull(),
    auth: text().notNull(),
    userAgent: text(),
    createdAt: createdAt(),
    lastSuccessAt: timestamp(),
  },
  (t) => [
    uniqueIndex('push_subscriptions_endpoint_uq').on(t.endpoint),
    index('push_subscriptions_user_idx').on(t.userId),
  ],
);
