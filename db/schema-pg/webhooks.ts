// Generated from db/schema/webhooks.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, json, timestamp } from './columns.ts';
import { users } from './accounts.ts';

import { webhookDeliveryStates, type WebhookEventType } from '../../shared/api/webhooks.ts';

/**
 * Webhooks out to the landlord's ERP (API.md "Integration"). The signing key must be usable to
 * sign, so it cannot be hashed like an API key: it is sealed with AES-256-GCM under a key kept in
 * $DATA_DIR (server/services/integration/webhook-secrets.ts), so a copied database alone yields none.
 */
export const webhooks = pgTable('webhooks', {
  id: id(),
  url: text().notNull(),
  events: json<WebhookEventType[]>().notNull(),
  description: text(),
  /** `v1.<base64 iv|tag|ciphertext>` of the `whsec_…` secret. */
  secret: text().notNull(),
  createdByUserId: text().references(() => users.id),
  createdAt: createdAt(),
  secretRotatedAt: timestamp(),
  /** Deleted webhooks stay for the audit trail and the delivery history; nothing more is sent. */
  deletedAt: timestamp(),
});

/**
 * The webhook outbox: one row per message and webhook, written in the business transaction and
 * sent by the worker (server/services/integration/webhook-worker.ts). `id` is the `webhook-id`
 * header and stays the same on every attempt and on a resend (Standard Webhooks: the receiver
 * deduplicates by it). `payload` is the exact body that is signed and sent.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text().primaryKey(),
    webhookId: text()
      .notNull()
      .references(() => webhooks.id),
    type: text().$type<WebhookEventType>().notNull(),
    payload: text().notNull(),
    state: text({ enum: webhookDeliveryStates }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    /** When the next attempt is due; null once delivered or dead. */
    nextAttemptAt: timestamp(),
    lastAttemptAt: timestamp(),
    lastStatus: integer(),
    lastError: text(),
    /**
     * The claim of the worker sending it now: a row whose lease ran out (the worker died) is taken
     * again, and only the claim holding `leaseToken` may record the outcome.
     */
    leaseToken: text(),
    leasedUntil: timestamp(),
    createdAt: createdAt(),
    deliveredAt: timestamp(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);
